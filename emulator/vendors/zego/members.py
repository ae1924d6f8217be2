"""Action=InviteUsersIntoGroup: add up to 100 registered users to a group, a group write used
to seed state.

Inviting into a missing or dismissed group answers 660600001. Users who cannot be added
(unregistered, bad id) are reported in ``ErrorList``; the rest are added. ``Code`` is 0 when
at least one user was added, else the SubCode of the first failure. One call per second per
group (660300006), besides the AppId-level limit of the Action.
"""

from __future__ import annotations

from typing import Any

from emulator.store import GroupNotFound
from emulator.store.models import Membership
from emulator.vendors.zego import errors, mapping
from emulator.vendors.zego.params import USER_ID_MAX_BYTES, Params, bad
from emulator.vendors.zego.protocol import Ctx, Reply
from emulator.vendors.zego.users import usable_users

MAX_USERS = 100
INVITE_LIMIT_PER_GROUP = 1
MAX_TIME_MS = 2**63 - 1


def _invitees(params: Params) -> list[tuple[str, int]]:
    """(user id, EnterGroupTime ms or 0) from GroupMemberInfos, else from UserIds."""
    infos = params.object_list("GroupMemberInfos", max_items=MAX_USERS)
    if infos:
        invitees: list[tuple[str, int]] = []
        for info in infos:
            user_id = info.string("UserId", required=True)
            invitees.append((user_id, info.integer("EnterGroupTime", low=0, high=MAX_TIME_MS)))
        return invitees
    user_ids = params.string_list("UserIds", "UserId", max_items=MAX_USERS)
    if not user_ids:
        raise bad("UserIds or GroupMemberInfos is required")
    return [(user_id, 0) for user_id in user_ids]


async def invite_users_into_group(ctx: Ctx) -> dict[str, Any] | Reply:
    """Add up to 100 registered users to a group; 1 call per second per group."""
    params = ctx.body
    from_user = params.string("FromUserId", required=True, max_bytes=USER_ID_MAX_BYTES)
    group_id = params.string("GroupId", required=True, max_bytes=USER_ID_MAX_BYTES)
    invitees = [(user_id, at) for user_id, at in _invitees(params) if user_id != from_user]
    ctx.call.user = from_user
    services = ctx.services
    group_key = (ctx.call.vendor, ctx.call.app, ctx.call.endpoint, group_id)
    if not services.limiter.allow(group_key, INVITE_LIMIT_PER_GROUP):
        raise errors.zego_error(errors.GROUP_RATE_LIMITED)
    store = services.store
    if await store.get_user(from_user) is None:
        raise errors.zego_error(errors.USER_NOT_REGISTERED)
    group = await store.get_group(group_id)
    if group is None or group.status == "dismissed":
        raise errors.zego_error(errors.GROUP_NOT_FOUND)
    failures: list[dict[str, Any]] = []
    joining = set(await usable_users(ctx, [user_id for user_id, _ in invitees], failures))
    now_ms = services.clock.now_ms()
    seen: set[str] = set()
    members: list[Membership] = []
    for user_id, at in invitees:
        if user_id in joining and user_id not in seen:
            seen.add(user_id)
            members.append(Membership(group_id, user_id, mapping.MEMBER_ROLE, at or now_ms))
    if members:
        try:
            await store.add_members(group_id, members)
        except GroupNotFound:
            raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    elif failures:
        return Reply(failures[0]["SubCode"], {"ErrorList": failures})
    return {"ErrorList": failures}
