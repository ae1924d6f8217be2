"""Member commands: ``group_open_http_svc/add_group_member``."""

from __future__ import annotations

from typing import Any

from emulator.store import GroupNotFound
from emulator.store.models import Membership
from emulator.vendors.tencent import errors
from emulator.vendors.tencent.groups import MAX_ADD_MEMBERS, live_group
from emulator.vendors.tencent.protocol import Ctx

RESULT_FAILED, RESULT_ADDED, RESULT_ALREADY = 0, 1, 2


async def add_group_member(ctx: Ctx) -> dict[str, Any]:
    """Add members; each gets a ``Result``: 1 added, 2 already a member, 0 not imported."""
    body = ctx.body
    group = await live_group(ctx, body)
    if group.type == "avchatroom":
        raise errors.fail(errors.NO_PERMISSION,
                          f"{errors.error_info(errors.NO_PERMISSION)}: AVChatRoom members join "
                          "from the client SDK")
    body.integer("Silence", default=0)
    accounts = list(dict.fromkeys(item.account("Member_Account") for item in body.objects(
        "MemberList", required=True, max_items=MAX_ADD_MEMBERS)))
    store = ctx.services.store
    existing = await store.existing_users(accounts)
    now_ms = ctx.services.clock.now_ms()
    to_add = [a for a in accounts if a in existing]
    try:
        added = await store.add_members(group.id, [Membership(group.id, a, "member", now_ms)
                                                   for a in to_add])
    except GroupNotFound:
        raise errors.fail(errors.GROUP_GONE) from None
    outcome = dict(zip(to_add, added, strict=True))
    results = [{"Member_Account": a,
                "Result": (RESULT_FAILED if a not in outcome
                           else RESULT_ADDED if outcome[a] else RESULT_ALREADY)}
               for a in accounts]
    return {"MemberList": results}
