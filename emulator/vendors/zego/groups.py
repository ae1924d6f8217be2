"""The group-level Actions: CreateGroup, QueryGroupsInfoOfUser (the groups a user has joined, a
page at a time), DismissGroup, TransferGroupOwner, QueryGroupInfo, UpdateGroupData and
QueryAppGroupList (every live group, a page index at a time).

Groups created through ZEGO are stored as type ``public`` with ``FreeAccess`` joining (ZIM's
default join mode). A group id is never used twice: the id of an existing or dismissed group
answers 660600011. Members who cannot be added (unregistered, bad id) are reported in
``ErrorList``; the rest of the call goes ahead.

QueryGroupsInfoOfUser lists in join time, then group id order (the store's "join" order).
Dismissed groups are left out; groups of every type are listed. ``HasJoinGroupNum`` is the full
total whatever the page; ``NextRsp`` is the next page's offset as a numeric string, ``"0"`` on
the last page.
"""

from __future__ import annotations

import secrets
from typing import Any

from emulator.store import GroupDismissed, GroupExists, GroupNotFound, NotMember
from emulator.store.models import Group, JoinedQuery, Membership
from emulator.vendors.zego import cursor, errors, mapping
from emulator.vendors.zego.lookup import group_limit, id_param, live_group, operator
from emulator.vendors.zego.params import Params, bad, id_problem
from emulator.vendors.zego.protocol import Ctx
from emulator.vendors.zego.users import usable_users

GROUP_NAME_MAX_BYTES = 50
GROUP_NOTICE_MAX_BYTES = 300
GROUP_AVATAR_MAX_BYTES = 500
MAX_USERS = 100
FROM_USER_ID_MAX_CHARS = 32
LIMIT_MAX = 100


def checked_id(value: str, name: str) -> str:
    """An id (GroupOwner, GroupId) when it is acceptable; raises its error otherwise."""
    problem = id_problem(value, name)
    if problem is not None:
        raise errors.zego_error(problem[0], problem[1])
    return value


async def create_group(ctx: Ctx) -> dict[str, Any]:
    """Create a group owned by a registered user, with up to 100 initial members."""
    params = ctx.body
    owner = checked_id(params.string("GroupOwner", required=True), "GroupOwner")
    group_id = params.string("GroupId")
    if group_id.startswith("#"):
        raise bad("GroupId must not start with #")
    if group_id:
        checked_id(group_id, "GroupId")
    name = params.string("GroupName", max_bytes=GROUP_NAME_MAX_BYTES)
    notice = params.string("GroupNotice", max_bytes=GROUP_NOTICE_MAX_BYTES)
    avatar = params.string("GroupAvatar", max_bytes=GROUP_AVATAR_MAX_BYTES)
    member_ids = params.string_list("UserIds", "UserId", max_items=MAX_USERS) or []
    ctx.call.user = owner
    store = ctx.services.store
    if await store.get_user(owner) is None:
        raise errors.zego_error(errors.USER_NOT_REGISTERED, "GroupOwner is not registered")
    failures: list[dict[str, Any]] = []
    members = await usable_users(ctx, [m for m in member_ids if m != owner], failures)
    if group_id and await store.get_group(group_id) is not None:
        # a dismissed group's id is not reused either ("GroupID must be unique")
        raise errors.zego_error(errors.GROUP_EXISTS)
    now_ms = ctx.services.clock.now_ms()
    while True:
        new_id = group_id or "#" + secrets.token_hex(8)
        group = Group(new_id, name, mapping.GROUP_TYPE, owner, creator=owner,
                      notification=notice, face_url=avatar,
                      apply_join_option=mapping.JOIN_OPTION, create_time_ms=now_ms,
                      last_info_time=now_ms // 1000)
        memberships = [Membership(new_id, owner, mapping.OWNER_ROLE, now_ms),
                       *(Membership(new_id, user_id, mapping.MEMBER_ROLE, now_ms)
                         for user_id in members)]
        try:
            await store.create_group(group, memberships)
        except GroupExists:
            if group_id:
                raise errors.zego_error(errors.GROUP_EXISTS) from None
            continue
        break
    return {"GroupId": new_id, "ErrorList": failures}


def _next_value(value: object) -> str:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value == 0):
        return ""
    if not isinstance(value, str):
        raise bad("Next must be a string")
    return value


async def query_groups_info_of_user(ctx: Ctx) -> dict[str, Any]:
    """One page of a user's groups."""
    params = ctx.body
    user_id = params.string("FromUserId", required=True)
    if len(user_id) > FROM_USER_ID_MAX_CHARS:
        raise bad(f"FromUserId exceeds {FROM_USER_ID_MAX_CHARS} characters")
    limit = params.integer("Limit", low=1, high=LIMIT_MAX, required=True)
    try:
        offset = cursor.decode(_next_value(params.get("Next")))
    except cursor.BadCursor:
        raise bad("Next must be a numeric string (a NextRsp)") from None
    ctx.call.user = user_id
    store = ctx.services.store
    page = await store.joined(JoinedQuery(user_id, order="join", offset=offset, limit=limit,
                                          group_fields=mapping.GROUP_INFO_COLUMNS,
                                          member_fields=frozenset()))
    # Only registered users are members of groups (every vendor's writes register or require
    # their users, and fixtures must define them), so the user lookup is needed only when the
    # user has no visible group.
    if page.total == 0 and await store.get_user(user_id) is None:
        raise errors.zego_error(errors.USER_NOT_REGISTERED)
    end = offset + len(page.rows)
    next_rsp = cursor.encode(end) if page.rows and end < page.total else cursor.END
    return {"NextRsp": next_rsp, "HasJoinGroupNum": page.total,
            "GroupInfoList": [mapping.group_info(row.group) for row in page.rows]}


# ---- DismissGroup, TransferGroupOwner, QueryGroupInfo, UpdateGroupData ---------------------

DISMISS_LIMIT_PER_GROUP = 1
TRANSFER_LIMIT_PER_GROUP = 1
ROLE_NUMBERS = {"owner": 1, "admin": 2, "member": 3}
JOIN_MODES = {"FreeAccess": 0, "NeedPermission": 1, "DisableApply": 2}
# UpdateGroupData: each field and (store column, byte limit).
UPDATE_FIELDS = {"GroupName": ("name", GROUP_NAME_MAX_BYTES),
                 "GroupNotice": ("notification", GROUP_NOTICE_MAX_BYTES),
                 "GroupAvatar": ("face_url", GROUP_AVATAR_MAX_BYTES)}


async def dismiss_group(ctx: Ctx) -> dict[str, Any]:
    """Dismiss a group; the operator may be any registered user. One call per second per
    group."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    group_limit(ctx, group_id, DISMISS_LIMIT_PER_GROUP)
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    try:
        await ctx.services.store.dismiss_group(group_id, now_ms=ctx.services.clock.now_ms())
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {}


async def transfer_group_owner(ctx: Ctx) -> dict[str, Any]:
    """Make a member the owner (the old owner stays, as a member). One call per second per
    group."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    new_owner = id_param(params, "NewOwner")
    group_limit(ctx, group_id, TRANSFER_LIMIT_PER_GROUP)
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    try:
        await ctx.services.store.transfer_owner(group_id, new_owner,
                                                now_ms=ctx.services.clock.now_ms())
    except NotMember:
        raise errors.zego_error(errors.NOT_IN_GROUP) from None
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {}


def forbid_fields(group: Group, now_ms: int) -> dict[str, Any]:
    """IsAllForbid or ForbidList (never both) and ForbidExpireTime (ms; -1 permanent, 0 none)."""
    if not group.mute_all_active(now_ms):
        return {"IsAllForbid": False, "ForbidExpireTime": 0}
    expire = group.mute_all_until_ms or -1
    roles = group.muted_roles
    if roles >= set(ROLE_NUMBERS):
        return {"IsAllForbid": True, "ForbidExpireTime": expire}
    return {"ForbidList": sorted(ROLE_NUMBERS[role] for role in roles),
            "ForbidExpireTime": expire}


def limit_info(group: Group) -> dict[str, int]:
    """QueryGroupInfo's LimitInfo."""
    return {"MemberCountLimit": group.max_members,
            "JoinMode": JOIN_MODES.get(group.apply_join_option, 0),
            "InviteMode": 0 if group.inviter_role == "member" else 1,
            "BeInvitedMode": int(group.invitee_must_accept),
            "NumberMessage": 0}


async def query_group_info(ctx: Ctx) -> dict[str, Any]:
    """A group's profile, mute-all state, limits, creation time and attributes."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    await operator(ctx, from_user)
    group = await live_group(ctx, group_id)
    forbid = forbid_fields(group, ctx.services.clock.now_ms())
    attributes = await ctx.services.store.attributes(group_id)
    answer: dict[str, Any] = {
        "GroupName": group.name, "GroupNotice": group.notification,
        "GroupDataSeq": group.info_seq, "GroupAvatar": group.face_url}
    for name in ("IsAllForbid", "ForbidList"):
        if name in forbid:
            answer[name] = forbid[name]
    answer.update({"LimitInfo": limit_info(group),
                   "ForbidExpireTime": forbid["ForbidExpireTime"],
                   "GroupCreateTime": group.create_time_ms, "GroupId": group.id,
                   "GroupAttributes": [{"Key": key, "Value": value}
                                       for key, value in attributes.items()]})
    return answer


async def update_group_data(ctx: Ctx) -> dict[str, Any]:
    """Change the name, notice or avatar: an absent field is unchanged, an empty string
    clears it."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    changes: dict[str, str] = {}
    for name, (column, limit) in UPDATE_FIELDS.items():
        if name not in params or params[name] is None:
            continue
        value = params[name]
        if not isinstance(value, str):
            raise bad(f"{name} must be a string")
        if len(value.encode("utf-8", "surrogatepass")) > limit:
            raise bad(f"{name} exceeds {limit} bytes")
        changes[column] = value
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    if changes:
        try:
            await ctx.services.store.update_group_info(
                group_id, now_ms=ctx.services.clock.now_ms(), **changes)
        except (GroupNotFound, GroupDismissed):
            raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {}


# ---- QueryAppGroupList -------------------------------------------------------------------

APP_GROUP_PAGE_MAX = 10000
APP_GROUP_LIST_PER_SECOND = 1
PAGE_INDEX_MAX = 2**31 - 1


async def query_app_group_list(ctx: Ctx) -> dict[str, Any]:
    """One page of every live group of the app in creation order: ``Next`` is the page's index
    (0 first, the same Limit on every page), 0 in the answer on the last page. One call per
    second per AppId (660600007)."""
    params = ctx.body
    limit = params.integer("Limit", low=0, high=2**63 - 1)
    if limit == 0 or limit > APP_GROUP_PAGE_MAX:
        limit = APP_GROUP_PAGE_MAX
    index = params.integer("Next", low=0, high=PAGE_INDEX_MAX)
    key = (ctx.call.vendor, ctx.call.app, ctx.call.endpoint, "per-app")
    if not ctx.services.limiter.allow(key, APP_GROUP_LIST_PER_SECOND):
        raise errors.zego_error(errors.APP_GROUP_LIST_RATE_LIMITED)
    store = ctx.services.store
    after = 0
    if index:
        total = (await store.group_page(limit=0, include_dismissed=False)).total
        if index * limit >= total:
            return {"TotalCount": total, "Next": 0, "GroupIdList": []}
        skipped = await store.group_page(after=0, limit=index * limit, include_dismissed=False)
        after = skipped.next
        if after == 0:
            return {"TotalCount": skipped.total, "Next": 0, "GroupIdList": []}
    page = await store.group_page(after=after, limit=limit, include_dismissed=False)
    return {"TotalCount": page.total, "Next": index + 1 if page.next else 0,
            "GroupIdList": [{"GroupId": group.id, "GroupName": group.name}
                            for group in page.groups]}


# ---- ModifyGroupAttribute, ModifyGroupLimit ----------------------------------------------

ATTRIBUTE_SET, ATTRIBUTE_DELETE = 0, 1
ATTRIBUTES_MAX = 10
ATTRIBUTE_KEY_MAX_BYTES = 16
ATTRIBUTE_VALUE_MAX_BYTES = 1024
JOIN_MODE_OPTIONS = {number: name for name, number in JOIN_MODES.items()}
MEMBER_COUNT_MAX = 2**31 - 1


def _attributes(params: Params, action: int) -> list[tuple[str, str]]:
    """(Key, Value) pairs of ``Attributes`` (Value only read when setting)."""
    value = params.get("Attributes")
    if not isinstance(value, list) or not value or not all(isinstance(i, dict) for i in value):
        raise bad("Attributes is required and must be an array of objects")
    pairs = []
    for item in value:
        key, text = item.get("Key"), item.get("Value", "")
        if not isinstance(key, str) or key == "":
            raise bad("Attributes[].Key is required and must be a string")
        if action == ATTRIBUTE_SET and not isinstance(text, str):
            raise bad("Attributes[].Value must be a string")
        if len(key.encode("utf-8", "surrogatepass")) > ATTRIBUTE_KEY_MAX_BYTES or (
                action == ATTRIBUTE_SET
                and len(text.encode("utf-8", "surrogatepass")) > ATTRIBUTE_VALUE_MAX_BYTES):
            raise errors.zego_error(errors.ATTRIBUTE_LENGTH_ERROR)
        pairs.append((key, text if isinstance(text, str) else ""))
    return pairs


async def modify_group_attribute(ctx: Ctx) -> dict[str, Any]:
    """Set (``Action`` 0, the default) or delete (1) group attributes: keys up to 16 bytes,
    values up to 1024 bytes (660600020), at most 10 attributes a group (660600019)."""
    params = ctx.body
    action = params.integer("Action", low=ATTRIBUTE_SET, high=ATTRIBUTE_DELETE)
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    pairs = _attributes(params, action)
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    store = ctx.services.store
    now_ms = ctx.services.clock.now_ms()
    try:
        if action == ATTRIBUTE_DELETE:
            await store.delete_attributes(group_id, [key for key, _ in pairs], now_ms=now_ms)
            return {}
        values = dict(pairs)
        current = await store.attributes(group_id)
        if len(set(current) | set(values)) > ATTRIBUTES_MAX:
            raise errors.zego_error(errors.ATTRIBUTE_COUNT_LIMIT)
        await store.set_attributes(group_id, values, now_ms=now_ms)
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {}


def _mode(params: Params, name: str, high: int) -> int | None:
    """A mode parameter: None when absent; present but empty counts as 0, as the docs warn."""
    if name not in params:
        return None
    if params[name] == "":
        return 0
    return params.integer(name, low=0, high=high)


async def modify_group_limit(ctx: Ctx) -> dict[str, Any]:
    """Change the join mode (0 free, 1 approval, 2 invitation only), the invite mode (0 any
    member, 1 owner and admins), the invitee's consent (0 none, 1 needed) and the member count
    limit; an absent parameter is unchanged, a present but empty one is 0."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    join = _mode(params, "JoinMode", 2)
    invite = _mode(params, "InviteMode", 1)
    be_invited = _mode(params, "BeInvitedMode", 1)
    count = _mode(params, "MemberCountLimit", MEMBER_COUNT_MAX)
    await operator(ctx, from_user)
    await live_group(ctx, group_id)
    changes: dict[str, Any] = {}
    if join is not None:
        changes["apply_join_option"] = JOIN_MODE_OPTIONS[join]
    if invite is not None:
        changes["inviter_role"] = "admin" if invite else "member"
    if be_invited is not None:
        changes["invitee_must_accept"] = bool(be_invited)
    if count:
        changes["max_members"] = count
    if changes:
        try:
            await ctx.services.store.update_group_info(
                group_id, now_ms=ctx.services.clock.now_ms(), **changes)
        except (GroupNotFound, GroupDismissed):
            raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {}
