"""The member Actions: InviteUsersIntoGroup (add up to 100 registered users), KickoutGroupUser,
QueryGroupMemberList (a page index at a time) and SetGroupMemberRole.

Inviting into a missing or dismissed group answers 660600001. Users who cannot be added
(unregistered, bad id) are reported in ``ErrorList``; the rest are added. ``Code`` is 0 when
at least one user was added, else the SubCode of the first failure. One call per second per
group (660300006), besides the AppId-level limit of the Action.
"""

from __future__ import annotations

from typing import Any

from emulator.store import GroupNotFound
from emulator.store.errors import GroupDismissed, IsOwner, NotMember
from emulator.store.models import Membership
from emulator.vendors.zego import errors, mapping
from emulator.vendors.zego.errors import error_entry
from emulator.vendors.zego.lookup import group_limit, id_param, live_group, operator
from emulator.vendors.zego.params import USER_ID_MAX_BYTES, Params, bad, id_problem
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


# ---- KickoutGroupUser, QueryGroupMemberList, SetGroupMemberRole ---------------------------

KICK_MAX_USERS = 50
CUSTOM_REASON_MAX_BYTES = 32
MEMBER_PAGE_MAX = 1000
# SetGroupMemberRole: 2 admin, 3 member, other values custom roles (the docs suggest 100-255).
ROLE_ADMIN, ROLE_MEMBER, ROLE_MAX = 2, 3, 255
PAGE_INDEX_MAX = 2**31 - 1


def _kick_targets(params: Params) -> list[str]:
    value = params.get("UserId", params.get("UserIds"))
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad("UserId must be an array of strings")
    if not value:
        raise bad("UserId is required")
    if len(value) > KICK_MAX_USERS:
        raise errors.zego_error(errors.USER_COUNT_LIMIT, f"UserId holds more than "
                                                         f"{KICK_MAX_USERS} users")
    return value


async def kickout_group_user(ctx: Ctx) -> dict[str, Any] | Reply:
    """Remove up to 50 members; the owner's removal passes the ownership to the first member
    listed (the group is dismissed when nobody is left)."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    targets = _kick_targets(params)
    params.string("CustomReason", max_bytes=CUSTOM_REASON_MAX_BYTES)
    await operator(ctx, from_user)
    group = await live_group(ctx, group_id)
    store = ctx.services.store
    failures: list[dict[str, Any]] = []
    leaving: list[str] = []
    for user_id in dict.fromkeys(targets):
        problem = id_problem(user_id, "UserId")
        if problem is not None:
            failures.append(error_entry(user_id, *problem))
        elif await store.member(group_id, user_id) is None:
            failures.append(error_entry(user_id, errors.KICKOUT_NOT_MEMBER,
                                        errors.message_of(errors.KICKOUT_NOT_MEMBER)))
        else:
            leaving.append(user_id)
    if not leaving:
        return Reply(failures[0]["SubCode"], {"ErrorList": failures})
    now_ms = ctx.services.clock.now_ms()
    try:
        if group.owner in leaving:
            gone = set(leaving)
            page = await store.member_page(group_id, order="role", limit=len(gone) + 1)
            heir = next((m.user_id for m in page.rows if m.user_id not in gone), None)
            if heir is None:
                await store.dismiss_group(group_id, now_ms=now_ms, keep_members=False)
                return {"ErrorList": failures}
            await store.transfer_owner(group_id, heir, now_ms=now_ms, old_owner_leaves=True)
            leaving.remove(group.owner)
        if leaving:
            await store.remove_group_members(group_id, leaving)
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {"ErrorList": failures}


def _page_limit(params: Params) -> int:
    """QueryGroupMemberList's Limit: absent, empty, 0 or above 1000 mean 1000."""
    limit = params.integer("Limit", low=0, high=2**63 - 1)
    return MEMBER_PAGE_MAX if limit == 0 or limit > MEMBER_PAGE_MAX else limit


async def query_group_member_list(ctx: Ctx) -> dict[str, Any]:
    """One page of a group's members: ``Next`` is the page's index (0 first, with the same
    Limit on every page); the answer's ``Next`` is 0 on the last page."""
    params = ctx.body
    group_id = id_param(params, "GroupId")
    limit = _page_limit(params)
    index = params.integer("Next", low=0, high=PAGE_INDEX_MAX)
    await live_group(ctx, group_id)
    store = ctx.services.store
    try:
        page = await store.member_page(group_id, order="role", offset=index * limit,
                                       limit=limit)
    except GroupNotFound:
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    members = []
    for member in page.rows:
        user = await store.get_user(member.user_id)
        members.append({"UserId": member.user_id, "UserName": user.name if user else "",
                        "UserNickName": member.nickname})
    more = page.next is not None
    return {"TotalCount": page.total, "Next": index + 1 if more else 0, "MemberList": members}


async def set_group_member_role(ctx: Ctx) -> dict[str, Any]:
    """Make a member an admin (2), a plain member (3) or a custom role (kept as a member)."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    to_user = id_param(params, "ToUserId")
    role = params.integer("Role", low=-(2**63), high=2**63 - 1, required=True)
    if role == 1:
        raise errors.zego_error(errors.ROLE_IS_OWNER)
    if not ROLE_ADMIN <= role <= ROLE_MAX:
        raise bad(f"Role must be 2, 3 or a custom role up to {ROLE_MAX}")
    if from_user == to_user:
        raise errors.zego_error(errors.SAME_USER)
    await operator(ctx, from_user)
    group = await live_group(ctx, group_id)
    if to_user == group.owner:
        raise bad("ToUserId is the group owner; use TransferGroupOwner")
    try:
        await ctx.services.store.set_role(group_id, to_user,
                                          "admin" if role == ROLE_ADMIN else "member")
    except NotMember:
        raise errors.zego_error(errors.NOT_IN_GROUP) from None
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    except IsOwner:
        raise bad("ToUserId is the group owner; use TransferGroupOwner") from None
    return {}


# ---- SetGroupMembersNickname -------------------------------------------------------------

NICKNAME_MAX_USERS = 20
NICKNAME_LIMIT_PER_GROUP = 1
NICKNAME_MAX_BYTES = 64


def _nicknames(params: Params) -> list[tuple[str, str]]:
    """(UserId, Nickname) pairs of ``UserIds``: 1..20 objects (more: 660000011)."""
    value = params.get("UserIds")
    if not isinstance(value, list) or not value:
        raise bad("UserIds is required and must be an array of objects")
    if not all(isinstance(item, dict) for item in value):
        raise bad("UserIds must be an array of objects")
    if len(value) > NICKNAME_MAX_USERS:
        raise errors.zego_error(errors.USER_COUNT_LIMIT,
                                f"UserIds holds more than {NICKNAME_MAX_USERS} users")
    pairs = []
    for item in value:
        user_id, nickname = item.get("UserId"), item.get("Nickname")
        if not isinstance(user_id, str):
            raise bad("UserIds[].UserId is required and must be a string")
        if not isinstance(nickname, str):
            raise bad("UserIds[].Nickname is required and must be a string")
        if len(nickname.encode("utf-8", "surrogatepass")) > NICKNAME_MAX_BYTES:
            raise bad(f"UserIds[].Nickname exceeds {NICKNAME_MAX_BYTES} bytes")
        pairs.append((user_id, nickname))
    return pairs


async def set_group_members_nickname(ctx: Ctx) -> dict[str, Any] | Reply:
    """Set up to 20 members' nicknames in the group (``""`` clears one). One call per second
    per group (660300006). ``ErrorUsers`` lists the users that failed (660600024: not in the
    group); Code 660600033 when every one did."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    pairs = _nicknames(params)
    group_limit(ctx, group_id, NICKNAME_LIMIT_PER_GROUP)
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    store = ctx.services.store
    failures: list[dict[str, Any]] = []
    done = 0
    for user_id, nickname in dict(pairs).items():
        problem = id_problem(user_id, "UserId")
        if problem is not None:
            failures.append({"UserId": user_id, "SubCode": problem[0]})
            continue
        try:
            await store.update_member_info(group_id, user_id, nickname=nickname)
        except NotMember:
            failures.append({"UserId": user_id, "SubCode": errors.NOT_IN_GROUP})
            continue
        except (GroupNotFound, GroupDismissed):
            raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
        done += 1
    if not done:
        return Reply(errors.ALL_TARGETS_FAILED, {"ErrorUsers": failures})
    return {"ErrorUsers": failures} if failures else {}
