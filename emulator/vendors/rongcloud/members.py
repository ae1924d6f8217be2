"""Membership endpoints: ``/group/join.json``, ``/group/quit.json`` and
``/group/user/query.json``.

``join.json`` on an unknown (or dismissed) group creates it, owned by the first userId; on an
existing group it adds the users it does not have, up to 3000 members (more → 1502 with HTTP
405). ``quit.json`` on an unknown group is not an error; ``user/query.json`` lists no members
for one.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import VendorError
from emulator.services import Services
from emulator.store.groupstore import GroupExists
from emulator.store.models import Group, Membership
from emulator.vendors.rongcloud.errors import COUNT_EXCEEDED, rc_error
from emulator.vendors.rongcloud.mapping import GROUP_TYPE, MEMBER_ROLE, OWNER_ROLE, visible
from emulator.vendors.rongcloud.messages import notify, notify_options
from emulator.vendors.rongcloud.protocol import Ctx
from emulator.vendors.rongcloud.users import register_missing

MAX_GROUP_MEMBERS = 3000
MAX_ID_CHARS = 64
MAX_GROUP_NAME_CHARS = 64
OK: dict[str, Any] = {"code": 200}


async def join_group(ctx: Ctx) -> dict[str, Any]:
    """``/group/join.json``: ``userId`` (repeated), ``groupId``, optional ``groupName``."""
    form = ctx.body
    users = form.user_ids()
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    name = form.text("groupName", required=False, max_chars=MAX_GROUP_NAME_CHARS)
    bound = notify_options(form)
    await join(ctx.services, group_id, users, name or None)
    return await notify(ctx.services, group_id, bound, OK)


async def quit_group(ctx: Ctx) -> dict[str, Any]:
    """``/group/quit.json``: removes the users; an unknown group is not an error."""
    form, store = ctx.body, ctx.services.store
    users = form.user_ids()
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    bound = notify_options(form)
    if visible(await store.get_group(group_id)) is not None:
        await store.remove_members(group_id, users)
    return await notify(ctx.services, group_id, bound, OK)


async def group_members(ctx: Ctx) -> dict[str, Any]:
    """``/group/user/query.json``: a group's member ids (none for an unknown group)."""
    store = ctx.services.store
    group_id = ctx.body.text("groupId")
    if visible(await store.get_group(group_id)) is None:
        return {"code": 200, "users": []}
    members = await store.members(group_id)
    return {"code": 200, "users": [{"id": member.user_id} for member in members]}


async def join(services: Services, group_id: str, users: list[str], name: str | None) -> None:
    """Add users to a group, creating it (and its unknown users) when it does not exist; a
    dismissed group is deleted first, so the call starts a new one."""
    store = services.store
    await register_missing(services, users)
    now_ms = services.clock.now_ms()
    group = await store.get_group(group_id)
    if group is not None and group.status == "dismissed":
        await store.delete_group(group_id)
        group = None
    if group is None:
        owner = users[0]
        members = [Membership(group_id, user_id, OWNER_ROLE if user_id == owner else MEMBER_ROLE,
                              now_ms)
                   for user_id in users]
        try:
            await store.create_group(Group(group_id, name or "", GROUP_TYPE, owner, creator=owner,
                                           create_time_ms=now_ms, max_members=MAX_GROUP_MEMBERS),
                                     members)
            return
        except GroupExists:
            pass
    current = {member.user_id for member in await store.members(group_id)}
    joining = [user_id for user_id in users if user_id not in current]
    if len(current) + len(joining) > MAX_GROUP_MEMBERS:
        raise _capacity(len(current) + len(joining))
    await store.add_members(group_id, [Membership(group_id, user_id, MEMBER_ROLE, now_ms)
                                       for user_id in joining])
    if name is not None:
        await store.update_group(group_id, name=name)


def _capacity(count: int) -> VendorError:
    return rc_error(COUNT_EXCEEDED, f"A group holds at most {MAX_GROUP_MEMBERS} members; "
                                    f"this would make {count}.", http_status=405)
