"""Action=CreateGroup and Action=InviteUsersIntoGroup, the group writes used to seed state.

Groups created through ZEGO are stored as type ``public`` with ``FreeAccess`` joining (ZIM's
default join mode). A dismissed group is invisible to ZEGO: creating its id again first deletes
the dismissed record; inviting into it answers 660600001. Users who cannot be added (unregistered,
bad id) are reported in ``ErrorList``; the rest of the call goes ahead.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.responses import Response

from emulator.store.groupstore import GroupExists, GroupNotFound
from emulator.store.models import Group, Membership
from emulator.vendors.zego import errors
from emulator.vendors.zego.context import Context, error_entry
from emulator.vendors.zego.params import (USER_ID_MAX_BYTES, bad, id_problem, integer,
                                          object_list, string, string_list)

GROUP_TYPE = "public"
GROUP_NAME_MAX_BYTES = 50
GROUP_NOTICE_MAX_BYTES = 300
GROUP_AVATAR_MAX_BYTES = 500
MAX_USERS = 100
INVITE_LIMIT_PER_GROUP = 1
INVITE_LIMIT_KEY = "zego-group"
MAX_TIME_MS = 2**63 - 1


def _checked_id(value: str, name: str) -> str:
    problem = id_problem(value, name)
    if problem is not None:
        raise errors.zego_error(problem[0], problem[1])
    return value


async def _usable(ctx: Context, user_ids: list[str],
                  failures: list[dict[str, Any]]) -> list[str]:
    """The ids that are well formed and registered; the others are added to ``failures``."""
    well_formed: list[str] = []
    for user_id in dict.fromkeys(user_ids):
        problem = id_problem(user_id, "UserId")
        if problem is None:
            well_formed.append(user_id)
        else:
            failures.append(error_entry(user_id, *problem))
    registered = await ctx.services.store.existing_users(well_formed)
    for user_id in well_formed:
        if user_id not in registered:
            failures.append(error_entry(user_id, errors.USER_NOT_REGISTERED,
                                        "The user is not registered."))
    return [user_id for user_id in well_formed if user_id in registered]


async def create_group(ctx: Context) -> Response:
    """Create a group owned by a registered user, with up to 100 initial members."""
    params = ctx.params
    owner = _checked_id(string(params, "GroupOwner", required=True), "GroupOwner")
    group_id = string(params, "GroupId")
    if group_id.startswith("#"):
        raise bad("GroupId must not start with #")
    if group_id:
        _checked_id(group_id, "GroupId")
    name = string(params, "GroupName", max_bytes=GROUP_NAME_MAX_BYTES)
    notice = string(params, "GroupNotice", max_bytes=GROUP_NOTICE_MAX_BYTES)
    avatar = string(params, "GroupAvatar", max_bytes=GROUP_AVATAR_MAX_BYTES)
    member_ids = string_list(params, "UserIds", "UserId", max_items=MAX_USERS) or []
    ctx.call.user = owner
    store = ctx.services.store
    if await store.get_user(owner) is None:
        raise errors.zego_error(errors.USER_NOT_REGISTERED, "GroupOwner is not registered")
    failures: list[dict[str, Any]] = []
    members = await _usable(ctx, [m for m in member_ids if m != owner], failures)
    if group_id:
        existing = await store.get_group(group_id)
        if existing is not None and existing.status != "dismissed":
            raise errors.zego_error(errors.GROUP_EXISTS)
        if existing is not None:
            await store.delete_group(group_id)
    now_ms = ctx.services.clock.now_ms()
    while True:
        new_id = group_id or "#" + secrets.token_hex(8)
        group = Group(new_id, name, GROUP_TYPE, owner, creator=owner, notification=notice,
                      face_url=avatar, apply_join_option="FreeAccess", create_time_ms=now_ms,
                      last_info_time=now_ms // 1000)
        memberships = [Membership(new_id, owner, "owner", now_ms),
                       *(Membership(new_id, user_id, "member", now_ms) for user_id in members)]
        try:
            await store.create_group(group, memberships)
        except GroupExists:
            if group_id:
                raise errors.zego_error(errors.GROUP_EXISTS) from None
            continue
        break
    ctx.call.code = errors.SUCCESS
    return errors.envelope(GroupId=new_id, ErrorList=failures)


def _invitees(params: dict[str, Any]) -> list[tuple[str, int]]:
    """(user id, EnterGroupTime ms or 0) from GroupMemberInfos, else from UserIds."""
    infos = object_list(params, "GroupMemberInfos", max_items=MAX_USERS)
    if infos:
        invitees: list[tuple[str, int]] = []
        for info in infos:
            user_id = string(info, "UserId", required=True)
            invitees.append((user_id, integer(info, "EnterGroupTime", low=0, high=MAX_TIME_MS)))
        return invitees
    user_ids = string_list(params, "UserIds", "UserId", max_items=MAX_USERS)
    if not user_ids:
        raise bad("UserIds or GroupMemberInfos is required")
    return [(user_id, 0) for user_id in user_ids]


async def invite_users_into_group(ctx: Context) -> Response:
    """Add up to 100 registered users to a group; 1 call per second per group."""
    params = ctx.params
    from_user = string(params, "FromUserId", required=True, max_bytes=USER_ID_MAX_BYTES)
    group_id = string(params, "GroupId", required=True, max_bytes=USER_ID_MAX_BYTES)
    invitees = [(user_id, at) for user_id, at in _invitees(params) if user_id != from_user]
    ctx.call.user = from_user
    services = ctx.services
    if not services.limiter.allow(INVITE_LIMIT_KEY, str(ctx.caller.app_id),
                                  f"InviteUsersIntoGroup/{group_id}"):
        raise errors.zego_error(errors.GROUP_RATE_LIMITED)
    store = services.store
    if await store.get_user(from_user) is None:
        raise errors.zego_error(errors.USER_NOT_REGISTERED)
    group = await store.get_group(group_id)
    if group is None or group.status == "dismissed":
        raise errors.zego_error(errors.GROUP_NOT_FOUND)
    failures: list[dict[str, Any]] = []
    joining = set(await _usable(ctx, [user_id for user_id, _ in invitees], failures))
    now_ms = services.clock.now_ms()
    seen: set[str] = set()
    members: list[Membership] = []
    for user_id, at in invitees:
        if user_id in joining and user_id not in seen:
            seen.add(user_id)
            members.append(Membership(group_id, user_id, "member", at or now_ms))
    if members:
        try:
            await store.add_members(group_id, members)
        except GroupNotFound:
            raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    code = failures[0]["SubCode"] if failures and not members else errors.SUCCESS
    ctx.call.code = code
    return errors.envelope(code, ErrorList=failures)
