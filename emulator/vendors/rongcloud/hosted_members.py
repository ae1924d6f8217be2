"""Hosted groups' member writes: ``/entrust/group/join.json``, ``quit.json``,
``member/kick.json``, ``member/kick/all.json``, ``manager/add.json``, ``manager/remove.json``
and ``member/set.json`` (a member's ``nickname`` and ``extra``).

A member who leaves (quits or is kicked) comes off the whitelist unless ``isDelWhite=0`` and
takes along the follows of them unless ``isDelFollowed=0``; the owner may not leave (1002). A
group has at most 10 managers.
"""

from __future__ import annotations

from typing import Any

from emulator.services import Services
from emulator.store.errors import GroupDismissed, GroupNotFound, IsOwner
from emulator.store.models import JoinedQuery
from emulator.vendors.rongcloud.form import Form
from emulator.vendors.rongcloud.hosted import (MAX_ID_CHARS, add_members, group_id_of, id_list,
                                               live, no_group, not_member, owner_cannot_leave)
from emulator.vendors.rongcloud.hosted_mapping import ext_text, permissions_text, profile_text
from emulator.vendors.rongcloud.members import OK
from emulator.vendors.rongcloud.protocol import Ctx

MAX_JOIN_USERS = 100
MAX_MANAGERS = 10
MAX_NICKNAME_CHARS, MAX_EXTRA_CHARS = 64, 1024


async def _remove(services: Services, group_id: str, users: list[str], form: Form) -> None:
    store = services.store
    group = await live(services, group_id)
    if group.owner in users:
        raise owner_cannot_leave(group.owner)
    form.flag("isDelBan")
    keep_followed = not form.flag("isDelFollowed", default=True)
    if form.flag("isDelWhite", default=True):
        await store.set_whitelist(group_id, remove=users)
    try:
        await store.remove_group_members(group_id, users, keep_followed=keep_followed)
    except IsOwner:
        raise owner_cannot_leave(group.owner) from None
    except (GroupNotFound, GroupDismissed):
        raise no_group(group_id) from None


async def join(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/join.json``: ``groupId``, ``userIds`` (at most 100); members already
    in stay; answers the group's profile."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    users = id_list(form, "userIds", max_count=MAX_JOIN_USERS)
    await live(services, group_id)
    await add_members(services, group_id, users)
    group = await live(services, group_id)
    return {"code": 200, "groupId": group.id, "name": group.name,
            "groupProfile": profile_text(group),
            "groupExtProfile": await ext_text(services, group_id),
            "permissions": permissions_text(group), "owner": group.owner,
            "createTime": group.create_time_ms, "memberCount": group.member_count}


async def quit_group(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/quit.json``: ``groupId``, ``userIds`` (at most 100), ``isDelBan``,
    ``isDelWhite``, ``isDelFollowed``; the owner may not quit (1002)."""
    form = ctx.body
    group_id = group_id_of(form)
    users = id_list(form, "userIds", max_count=MAX_JOIN_USERS)
    await _remove(ctx.services, group_id, users, form)
    return OK


async def kick(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/kick.json``: as quit, by the app."""
    return await quit_group(ctx)


async def kick_all(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/kick/all.json``: ``userId`` leaves every group it is in but
    those it owns."""
    services = ctx.services
    user_id = ctx.body.text("userId", max_chars=MAX_ID_CHARS)
    page = await services.store.joined(JoinedQuery(user_id))
    for row in page.rows:
        if row.membership.role != "owner":
            await services.store.remove_group_members(row.group.id, [user_id])
    return OK


async def add_managers(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/manager/add.json``: ``groupId``, ``userIds``; members become managers
    (at most 10 in a group). ``{"code":200}``, with ``userIds`` the ids that are not members
    when there are any, and ``managerCount`` (nothing changed) when 10 would be passed."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    users = id_list(form, "userIds", max_count=MAX_MANAGERS)
    await live(services, group_id)
    store = services.store
    roles = {user: (await store.member(group_id, user)) for user in users}
    missing = [user for user, member in roles.items() if member is None]
    promoting = [user for user, member in roles.items()
                 if member is not None and member.role == "member"]
    managers = (await store.member_page(group_id, limit=MAX_MANAGERS + 1,
                                        roles=["admin"])).total
    if managers + len(promoting) > MAX_MANAGERS:
        return {"code": 200, "managerCount": managers}
    for user in promoting:
        await store.set_role(group_id, user, "admin")
    return {"code": 200, "userIds": missing} if missing else OK


async def remove_managers(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/manager/remove.json``: ``groupId``, ``userIds``; managers become
    members (anyone else is left as is)."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    users = id_list(form, "userIds", max_count=MAX_MANAGERS)
    await live(services, group_id)
    for user in users:
        member = await services.store.member(group_id, user)
        if member is not None and member.role == "admin":
            await services.store.set_role(group_id, user, "member")
    return OK


async def set_member(ctx: Ctx) -> dict[str, Any]:
    """``/entrust/group/member/set.json``: ``groupId``, ``userId``, ``nickname``, ``extra``
    (an absent one is unchanged)."""
    form, services = ctx.body, ctx.services
    group_id = group_id_of(form)
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    changes: dict[str, str] = {}
    if "nickname" in form:
        changes["nickname"] = form.text("nickname", required=False,
                                        max_chars=MAX_NICKNAME_CHARS)
    if "extra" in form:
        changes["ex"] = form.text("extra", required=False, max_chars=MAX_EXTRA_CHARS)
    await live(services, group_id)
    if await services.store.member(group_id, user_id) is None:
        raise not_member(user_id)
    if changes:
        await services.store.update_member_info(group_id, user_id, **changes)
    return OK
