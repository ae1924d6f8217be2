"""The mute Actions: MuteGroup (mute every member, or some roles, of a group), MuteGroupMembers
(mute given members) and FetchForbidGroupList (the app's groups with a mute in force).

Both mute Actions are GET with the parameters in the query string (``MuteRoleList[]=2``,
``UserIds[]=u``) and need the operator to be the group's owner or an admin (660600024 when not a
member, 660600032 when a plain member). ``Duration``: -1 for good, 0 to lift, else seconds up to
30 days (2592000); a mute's end is now plus the duration on the emulator's clock, and mutes are
read against the clock (nothing expires them). ZIM role numbers: 1 owner, 2 admin, 3 member;
other numbers are custom roles, which the shared store keeps as plain members, so muting a custom
role is accepted and covers nobody.
"""

from __future__ import annotations

from typing import Any

from emulator.store import GroupDismissed, GroupNotFound
from emulator.store.models import Group
from emulator.vendors.zego import errors
from emulator.vendors.zego.lookup import (ROLE_RANK, id_param, live_group, manager,
                                          operator)
from emulator.vendors.zego.params import Params, bad, id_problem
from emulator.vendors.zego.protocol import Ctx, Reply

MUTE_ROLES_MAX = 20
MUTE_USERS_MAX = 20
DURATION_MAX_S = 2592000
FOREVER = -1
# A member muted for good is stored muted until 9999-12-31T23:59:59Z (the store has no "for
# good" for members; other vendors read it as a far end).
MEMBER_FOREVER_MS = 253402300799000
ROLE_OF_NUMBER = {1: "owner", 2: "admin", 3: "member"}
ROLE_NUMBER_MAX = 255
# FetchForbidGroupList: ForbidType bits, and groups per answer.
FORBID_ALL, FORBID_ROLES, FORBID_USERS = 1, 2, 4
FORBID_PAGE = 10000
SCAN_PAGE = 1000
START_FLAG_MAX = 2**63 - 1


def duration(params: Params) -> int:
    """``Duration``: -1 for good, 0 (or absent) to lift, else 1..2592000 seconds."""
    return params.integer("Duration", low=FOREVER, high=DURATION_MAX_S)


async def mute_group(ctx: Ctx) -> dict[str, Any]:
    """Mute every member (``IsAllMuted``) or the roles of ``MuteRoleList`` (which replaces the
    roles muted before) for ``Duration``; ``Duration`` 0, or no parameter at all, lifts the
    group-level mute."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    all_muted = params.boolean("IsAllMuted")
    numbers = params.integer_list("MuteRoleList", low=1, high=ROLE_NUMBER_MAX,
                                  max_items=MUTE_ROLES_MAX)
    seconds = duration(params)
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    role = await manager(ctx, group_id, from_user)
    if role == "admin" and not all_muted and 1 in numbers:
        raise errors.zego_error(errors.NO_PERMISSION, "an admin cannot mute the owner role")
    roles = (list(ROLE_OF_NUMBER.values()) if all_muted
             else [ROLE_OF_NUMBER[n] for n in dict.fromkeys(numbers) if n in ROLE_OF_NUMBER])
    now_ms = ctx.services.clock.now_ms()
    store = ctx.services.store
    try:
        if seconds == 0 or not roles:
            await store.mute_all(group_id, False, now_ms=now_ms)
        else:
            until = 0 if seconds == FOREVER else now_ms + seconds * 1000
            await store.mute_all(group_id, True, now_ms=now_ms, until_ms=until, roles=roles)
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {}


def _error_user(user_id: str, code: int) -> dict[str, Any]:
    return {"UserId": user_id, "SubCode": code}


async def mute_group_members(ctx: Ctx) -> dict[str, Any] | Reply:
    """Mute (or with ``Duration`` 0 unmute) up to 20 members. A member the operator outranks
    only: the owner may mute admins and members, an admin members. ``ErrorUsers`` lists the
    users that failed; Code 660600033 when every one did."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    targets = params.string_list("UserIds", max_items=MUTE_USERS_MAX)
    if not targets:
        raise bad("UserIds is required")
    seconds = duration(params)
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    rank = ROLE_RANK[await manager(ctx, group_id, from_user)]
    store = ctx.services.store
    failures: list[dict[str, Any]] = []
    muting: list[str] = []
    for user_id in dict.fromkeys(targets):
        problem = id_problem(user_id, "UserIds")
        member = None if problem else await store.member(group_id, user_id)
        if problem is not None:
            failures.append(_error_user(user_id, problem[0]))
        elif member is None:
            failures.append(_error_user(user_id, errors.NOT_IN_GROUP))
        elif ROLE_RANK.get(member.role, 2) <= rank:
            failures.append(_error_user(user_id, errors.NO_PERMISSION))
        else:
            muting.append(user_id)
    if not muting:
        return Reply(errors.ALL_TARGETS_FAILED, {"ErrorUsers": failures})
    now_ms = ctx.services.clock.now_ms()
    until = (0 if seconds == 0 else MEMBER_FOREVER_MS if seconds == FOREVER
             else now_ms + seconds * 1000)
    try:
        await store.mute_members(group_id, muting, until, now_ms=now_ms)
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {"ErrorUsers": failures} if failures else {}


def forbid_type(group: Group, members_muted: bool, now_ms: int) -> int:
    """FetchForbidGroupList's ForbidType: 1 every role muted, 2 some roles, plus 4 when some
    member is muted on their own; 0 when nothing is muted."""
    kind = 0
    if group.mute_all_active(now_ms) and group.muted_roles:
        kind = FORBID_ALL if group.muted_roles >= set(ROLE_OF_NUMBER.values()) else FORBID_ROLES
    return kind | (FORBID_USERS if members_muted else 0)


async def fetch_forbid_group_list(ctx: Ctx) -> dict[str, Any]:
    """The app's live groups with a mute in force, in creation order, up to 10000 an answer:
    ``StartFlag`` 0 first, then the previous ``NextFlag``; ``FetchEnd`` 1 on the last page
    (``NextFlag`` is then 0)."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    start = params.integer("StartFlag", low=0, high=START_FLAG_MAX, required=True)
    await operator(ctx, from_user)
    store = ctx.services.store
    now_ms = ctx.services.clock.now_ms()
    found: list[dict[str, Any]] = []
    after = start
    while True:
        page = await store.group_page(after=after, limit=SCAN_PAGE, include_dismissed=False)
        for index, group in enumerate(page.groups):
            members_muted = bool(await store.muted_members(group.id, now_ms=now_ms))
            kind = forbid_type(group, members_muted, now_ms)
            if kind:
                found.append({"GroupId": group.id, "ForbidType": kind})
            if len(found) == FORBID_PAGE and (index + 1 < len(page.groups) or page.next):
                # the next page starts after this group: a page of one group from ``after``
                # ending here gives its cursor
                rest = await store.group_page(after=after, limit=index + 1,
                                              include_dismissed=False)
                return {"FetchEnd": 0, "NextFlag": rest.next, "GroupList": found}
        if not page.next:
            return {"FetchEnd": 1, "NextFlag": 0, "GroupList": found}
        after = page.next
