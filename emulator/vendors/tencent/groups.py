"""Group commands: ``group_open_http_svc/create_group``, ``import_group``, ``destroy_group``,
``get_joined_group_list``, ``get_group_info``, ``get_appid_group_list``,
``modify_group_base_info``, ``change_group_owner`` and ``get_online_member_num``.

get_joined_group_list: ``group_open_http_svc/get_joined_group_list``: the groups a user has joined.

Rows come in join order (the user's join time, then group id). ``TotalCount`` counts every
matching group whatever ``Limit``/``Offset``. AVChatRoom groups are listed only with
``WithHugeGroups: 1`` (even when ``GroupType`` asks for them), groups that are not activated only
with ``WithNoActiveGroups: 1``; dismissed groups never. Without ``ResponseFilter`` each row is
``{"GroupId"}`` alone; with it, the requested base fields follow in the documented order, then a
``SelfInfo`` object when ``SelfInfoFilter`` names any known field. Unknown filter names are
ignored. An unknown ``Member_Account`` has joined nothing: ``TotalCount`` 0.

``destroy_group`` marks the group dismissed and keeps it (invisible to every Tencent read); a
custom ``GroupId`` of a dismissed group can be created again, which first deletes the dismissed
record. Generated ids look like ``@TGS#2J4SZEAEL``.
"""

from __future__ import annotations

import contextlib
import secrets
import string
from collections.abc import Callable
from typing import Any

from emulator.errors import VendorError
from emulator.store import GroupDismissed, GroupExists, GroupNotFound
from emulator.store.errors import NotMember
from emulator.store.models import APPLY_JOIN_OPTIONS, Group, JoinedGroup, JoinedQuery, Membership
from emulator.vendors.tencent import errors, mapping
from emulator.vendors.tencent.body import Fields
from emulator.vendors.tencent.protocol import Ctx

Answer = dict[str, Any] | None

MAX_GROUP_ID_BYTES = 48
MAX_ADD_MEMBERS = 300
MAX_JOINED_LIMIT = 5000
ALL_TYPES: frozenset[str] = frozenset(mapping.TYPE_TO_TENCENT)
GENERATED_PREFIX = "@TGS#"
COMMUNITY_PREFIX = "@TGS#_"
# The default MaxMemberNum of each type (0: no limit, AVChatRoom): Work 200, Public 2000,
# Meeting 10000 (the group-system page's type table), Community 100000 [U].
DEFAULT_MAX_MEMBERS: dict[str, int] = {"work": 200, "public": 2000, "meeting": 10000,
                                       "avchatroom": 0, "community": 100000}
_ID_ALPHABET = string.ascii_uppercase + string.digits


def _group_id(body: Fields, group_type: str) -> str | None:
    """A custom ``GroupId``: a Community id must start with ``@TGS#_``, any other must not
    start with ``@TGS#``."""
    if not body.has("GroupId"):
        return None
    group_id = body.string("GroupId", required=True, max_bytes=MAX_GROUP_ID_BYTES)
    if not all(" " < ch < "\x7f" for ch in group_id):
        raise body.bad("GroupId", "must be printable ASCII without spaces")
    if group_type == "community":
        if not group_id.startswith(COMMUNITY_PREFIX) or group_id == COMMUNITY_PREFIX:
            raise body.bad("GroupId", f"of a Community group must start with {COMMUNITY_PREFIX}")
    elif group_id.startswith(GENERATED_PREFIX):
        raise body.bad("GroupId", f"must not start with {GENERATED_PREFIX}")
    return group_id


def _generated_id(group_type: str) -> str:
    if group_type == "community":
        return (COMMUNITY_PREFIX + GENERATED_PREFIX + "c"
                + "".join(secrets.choice(_ID_ALPHABET) for _ in range(12)))
    digit = "2" if group_type != "avchatroom" else "a"
    return GENERATED_PREFIX + digit + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


async def _require_accounts(ctx: Ctx, accounts: list[str]) -> None:
    missing = await ctx.services.store.missing_users(accounts)
    if missing:
        info = errors.error_info(errors.ACCOUNT_NOT_FOUND)
        raise errors.fail(errors.ACCOUNT_NOT_FOUND, f"{info}: {', '.join(missing[:20])}")


def _initial_members(body: Fields, owner: str) -> dict[str, str]:
    """The initial members' roles by account: the owner first, then ``MemberList``."""
    roles: dict[str, str] = {owner: "owner"} if owner else {}
    for item in body.objects("MemberList", max_items=MAX_ADD_MEMBERS):
        account = item.account("Member_Account")
        role_name = item.string("Role", default="Member")
        if role_name not in mapping.ROLE_FROM_TENCENT:
            raise item.bad("Role", "must be Admin or Member")
        roles.setdefault(account, mapping.ROLE_FROM_TENCENT[role_name])
    return roles


def _profile(body: Fields) -> tuple[Group, str | None]:
    """The group ``create_group`` and ``import_group`` describe (its id, times and seq not yet
    set) and its custom ``GroupId``, checked."""
    type_name = body.string("Type", required=True)
    if type_name not in mapping.TYPE_FROM_TENCENT:
        raise body.bad("Type", f"'{type_name[:64]}' is not one of "
                               f"{', '.join(mapping.TYPE_FROM_TENCENT)}")
    group_type = mapping.TYPE_FROM_TENCENT[type_name]
    name = body.string("Name", required=True, max_bytes=30)
    owner = body.account("Owner_Account", required=False)
    custom_id = _group_id(body, group_type)
    introduction = body.string("Introduction", max_bytes=240)
    notification = body.string("Notification", max_bytes=300)
    face_url = body.string("FaceUrl", max_bytes=100)
    max_members = body.integer("MaxMemberCount", minimum=1) or DEFAULT_MAX_MEMBERS[group_type]
    apply_join = body.string("ApplyJoinOption", default="NeedPermission")
    if apply_join not in APPLY_JOIN_OPTIONS:
        raise body.bad("ApplyJoinOption", "must be FreeAccess, NeedPermission or DisableApply")
    return Group(id="", name=name, type=group_type, owner=owner, introduction=introduction,
                 notification=notification, face_url=face_url, apply_join_option=apply_join,
                 max_members=max_members, next_msg_seq=1), custom_id


async def _store_group(ctx: Ctx, group: Group, custom_id: str | None, roles: dict[str, str],
                       time_ms: int) -> Answer:
    """Create ``group`` (with ``custom_id`` or a generated id) created at ``time_ms``, with
    the members of ``roles``, all joined then; answers its ``GroupId``."""
    store = ctx.services.store
    if custom_id is not None:
        existing = await store.get_group(custom_id)
        if existing is not None and existing.status != "dismissed":
            raise errors.fail(errors.GROUP_ID_USED)
        if existing is not None:
            with contextlib.suppress(GroupNotFound):
                await store.delete_group(custom_id)
    group.creator = group.owner or ctx.principal
    group.create_time_ms = time_ms
    group.last_info_time = time_ms // 1000
    for _ in range(8):
        group.id = custom_id or _generated_id(group.type)
        try:
            await store.create_group(group, [Membership(group.id, account, role, time_ms)
                                             for account, role in roles.items()])
        except GroupExists:
            if custom_id is not None:
                raise errors.fail(errors.GROUP_ID_USED) from None
            continue
        return {"GroupId": group.id}
    raise errors.fail(errors.INTERNAL)


async def create_group(ctx: Ctx) -> Answer:
    """Create a group with its owner and initial members; answers its ``GroupId``."""
    body = ctx.body
    group, custom_id = _profile(body)
    roles = _initial_members(body, group.owner)
    ctx.call.user = group.owner
    if group.type == "avchatroom" and any(role != "owner" for role in roles.values()):
        raise errors.fail(errors.NO_PERMISSION,
                          f"{errors.error_info(errors.NO_PERMISSION)}: an AVChatRoom takes no "
                          "MemberList; members join from the client SDK")
    await _require_accounts(ctx, list(roles))
    if group.type == "avchatroom":
        roles = {}
    return await _store_group(ctx, group, custom_id, roles, ctx.services.clock.now_ms())


async def import_group(ctx: Ctx) -> Answer:
    """Import a group (migration): the fields of ``create_group`` but ``MemberList``, with
    ``AppDefinedData`` and its ``CreateTime`` (Unix s, not after now; default now); the owner
    (optional: without one the group has none) is its only member. AVChatRoom → 10007."""
    body = ctx.body
    group, custom_id = _profile(body)
    ctx.call.user = group.owner
    if group.type == "avchatroom":
        raise errors.fail(errors.NO_PERMISSION, f"{errors.error_info(errors.NO_PERMISSION)}: "
                                                "AVChatRoom groups cannot be imported")
    now_s = ctx.services.clock.now_ms() // 1000
    create_time = body.integer("CreateTime", default=now_s, minimum=0)
    assert create_time is not None
    if create_time > now_s:
        raise body.bad("CreateTime", f"is after now ({now_s})")
    group.ex = defined_data_changes(body, "AppDefinedData", "") or ""
    roles = {group.owner: "owner"} if group.owner else {}
    await _require_accounts(ctx, list(roles))
    return await _store_group(ctx, group, custom_id, roles, create_time * 1000)


def group_error(group_id: str, group: Group | None) -> VendorError:
    """The error for a group that never existed (10015) or was destroyed (10010)."""
    if group is None:
        return errors.fail(errors.GROUP_NOT_FOUND,
                           explain=f"group {group_id[:64]!r} does not exist")
    return errors.fail(errors.GROUP_GONE, explain=f"group {group_id[:64]!r} is dismissed")


async def live_group(ctx: Ctx, body: Fields) -> Group:
    """The group a request's ``GroupId`` names; 10015 when it never existed, 10010 when it is
    dismissed."""
    group_id = body.string("GroupId", required=True)
    group = await ctx.services.store.get_group(group_id)
    if group is None or group.status == "dismissed":
        raise group_error(group_id, group)
    return group


async def destroy_group(ctx: Ctx) -> Answer:
    """Dismiss a group: it stays in the store with status dismissed."""
    group = await live_group(ctx, ctx.body)
    try:
        await ctx.services.store.update_group(group.id, status="dismissed")
    except GroupNotFound:
        raise errors.fail(errors.GROUP_GONE) from None
    return None


def group_types(body: Fields, with_huge: bool) -> frozenset[str]:
    """The canonical group types the request selects."""
    name = body.string("GroupType")
    if not name:
        types = ALL_TYPES
    elif name in mapping.TYPE_FROM_TENCENT:
        types = frozenset({mapping.TYPE_FROM_TENCENT[name]})
    elif name in mapping.FILTER_ONLY_TYPES:
        types = frozenset()
    else:
        raise body.bad("GroupType", f"'{name[:64]}' is not one of "
                                    f"{', '.join([*mapping.TYPE_FROM_TENCENT, 'BChatRoom'])}")
    return types if with_huge else types - {"avchatroom"}


def _row(row: JoinedGroup, base: list[str], self_fields: list[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"GroupId": row.group.id}
    for name in base:
        item[name] = mapping.BASE_FIELDS[name](row.group)
    if self_fields:
        item["SelfInfo"] = {name: mapping.SELF_FIELDS[name](row.membership)
                            for name in self_fields}
    return item


async def get_joined_group_list(ctx: Ctx) -> Answer:
    """List a user's groups with the filters, flags and paging of the request."""
    body = ctx.body
    account = body.account("Member_Account")
    ctx.call.user = account
    limit = body.integer("Limit", minimum=0, maximum=MAX_JOINED_LIMIT)
    offset = body.integer("Offset", default=0, minimum=0) or 0
    types = group_types(body, body.flag("WithHugeGroups"))
    with_inactive = body.flag("WithNoActiveGroups")
    response_filter = body.child("ResponseFilter")
    requested_base = set(response_filter.strings("GroupBaseInfoFilter"))
    requested_self = set(response_filter.strings("SelfInfoFilter"))
    base = [name for name in mapping.BASE_FIELDS if name in requested_base]
    self_fields = [name for name in mapping.SELF_FIELDS if name in requested_self]
    page = await ctx.services.store.joined(JoinedQuery(
        account, include_inactive=with_inactive, types=types, order="join", offset=offset,
        limit=limit or None, group_fields=mapping.group_columns(base),
        member_fields=mapping.member_columns(self_fields)))
    return {"TotalCount": page.total,
            "GroupIdList": [_row(row, base, self_fields) for row in page.rows]}


MAX_INFO_GROUPS = 50
MAX_APPID_LIMIT = 10000


def _info_fields(ctx: Ctx) -> dict[str, Callable[[Group], Any]]:
    """get_group_info's base fields in the documented order."""
    fields: dict[str, Callable[[Group], Any]] = {}
    for name, read in mapping.BASE_FIELDS.items():
        fields[name] = read
        if name == "Name":
            fields["Appid"] = lambda g: ctx.settings.sdkappid
        if name == "CreateTime":
            fields["InfoSeq"] = lambda g: g.info_seq
    return fields


def defined_data_changes(body: Fields, name: str, current: str) -> str | None:
    """The new ``ex`` after an ``AppDefinedData``-style list (None when the field is absent);
    an empty ``Value`` deletes its key."""
    if not body.has(name):
        return None
    data = mapping.defined_data(current)
    for item in body.objects(name):
        key = item.string("Key", required=True, max_bytes=64)
        value = item.string("Value", max_bytes=4096)
        if value:
            data[key] = value
        else:
            data.pop(key, None)
    return mapping.defined_ex(data)


async def get_group_info(ctx: Ctx) -> Answer:
    """The info of up to 50 groups; each carries its own ``ErrorCode``/``ErrorInfo`` (10015
    for an id that never existed, 10010 for a destroyed group) and the call succeeds."""
    body = ctx.body
    value = body.data.get("GroupIdList")
    if value is None:
        raise body.bad("GroupIdList", "is required")
    group_ids = body.strings("GroupIdList")
    if not group_ids:
        raise body.bad("GroupIdList", "must not be empty")
    if len(group_ids) > MAX_INFO_GROUPS:
        raise body.bad("GroupIdList", f"has more than {MAX_INFO_GROUPS} items")
    filtered = body.has("ResponseFilter")
    response_filter = body.child("ResponseFilter")
    fields = _info_fields(ctx)
    if filtered:
        asked = set(response_filter.strings("GroupBaseInfoFilter"))
        base = [name for name in fields if name in asked and name != "MuteAllMember"]
        if "MuteAllMember" in asked:
            base.append("MuteAllMember")
    else:
        base = [name for name in fields if name != "MuteAllMember"]
    member_fields = (response_filter.strings("MemberInfoFilter")
                     if response_filter.has("MemberInfoFilter") else None)
    with_members = not filtered or member_fields is not None
    group_keys = (response_filter.strings("AppDefinedDataFilter_Group")
                  if response_filter.has("AppDefinedDataFilter_Group") else None)
    member_keys = (response_filter.strings("AppDefinedDataFilter_GroupMember")
                   if response_filter.has("AppDefinedDataFilter_GroupMember") else None)
    store = ctx.services.store
    lookup = await store.get_groups(group_ids)
    found = {group.id: group for group in lookup.groups}
    now_ms = ctx.services.clock.now_ms()
    infos = []
    for group_id in group_ids:
        group = found.get(group_id)
        if group is None or group.status == "dismissed":
            error = group_error(group_id, group)
            infos.append({"GroupId": group_id, "ErrorCode": error.code,
                          "ErrorInfo": error.message})
            continue
        info: dict[str, Any] = {"GroupId": group_id, "ErrorCode": 0, "ErrorInfo": ""}
        for name in base:
            info[name] = fields[name](group)
        if not filtered or group_keys is not None:
            data = mapping.defined_list(mapping.defined_data(group.ex), group_keys)
            if data or group_keys is not None:
                info["AppDefinedData"] = data
        if with_members and group.type != "avchatroom":
            members = await store.members(group_id)
            render = mapping.MemberRows(group, now_ms, member_fields, member_keys).row
            info["MemberList"] = [render(m) for m in members]
        infos.append(info)
    return {"GroupInfo": infos}


async def get_appid_group_list(ctx: Ctx) -> Answer:
    """Every live group of the app, oldest created first: ``Limit`` (≤ 10000, default 10000)
    and ``Next`` (0 first, 0 back when done); ``TotalCount`` honours ``GroupType`` alone."""
    body = ctx.body
    limit = body.integer("Limit", minimum=1, maximum=MAX_APPID_LIMIT) or MAX_APPID_LIMIT
    after = body.integer("Next", default=0, minimum=0, maximum=2 ** 63 - 1) or 0
    types = group_types(body, with_huge=True)
    page = await ctx.services.store.group_page(after=after, limit=limit, types=types,
                                               include_dismissed=False)
    return {"TotalCount": page.total,
            "GroupIdList": [{"GroupId": group.id} for group in page.groups],
            "Next": page.next}


async def modify_group_base_info(ctx: Ctx) -> Answer:
    """Change a group's ``Name``, ``Introduction``, ``Notification``, ``FaceUrl``,
    ``MaxMemberNum``, ``ApplyJoinOption``, ``AppDefinedData`` and the mute-all switch
    ``MuteAllMember`` (old name ``ShutUpAllMember``: On / Off)."""
    body = ctx.body
    group = await live_group(ctx, body)
    changes: dict[str, Any] = {}
    if body.has("Name"):
        changes["name"] = body.string("Name", required=True, max_bytes=30)
    for name, column, limit in (("Introduction", "introduction", 240),
                                ("Notification", "notification", 300),
                                ("FaceUrl", "face_url", 100)):
        if body.has(name):
            changes[column] = body.string(name, max_bytes=limit)
    if body.has("MaxMemberNum"):
        max_members = body.integer("MaxMemberNum", minimum=1)
        assert max_members is not None
        if max_members < group.member_count:
            raise body.bad("MaxMemberNum", f"is below the group's {group.member_count} members")
        changes["max_members"] = max_members
    if body.has("ApplyJoinOption"):
        option = body.string("ApplyJoinOption")
        if option not in APPLY_JOIN_OPTIONS:
            raise body.bad("ApplyJoinOption",
                           "must be FreeAccess, NeedPermission or DisableApply")
        changes["apply_join_option"] = option
    ex = defined_data_changes(body, "AppDefinedData", group.ex)
    if ex is not None:
        changes["ex"] = ex
    switch_name = "MuteAllMember" if body.has("MuteAllMember") else "ShutUpAllMember"
    switch = body.string(switch_name) if body.has(switch_name) else None
    if switch is not None and switch not in ("On", "Off"):
        raise body.bad(switch_name, "must be On or Off")
    store = ctx.services.store
    now_ms = ctx.services.clock.now_ms()
    try:
        if changes:
            await store.update_group_info(group.id, now_ms=now_ms, **changes)
        if switch is not None:
            await store.mute_all(group.id, switch == "On", now_ms=now_ms)
            if switch == "Off" and group.status == "muted":
                await store.update_group(group.id, status="normal")
    except (GroupNotFound, GroupDismissed):
        raise errors.fail(errors.GROUP_GONE) from None
    return None


async def change_group_owner(ctx: Ctx) -> Answer:
    """Make ``NewOwner_Account`` (a member) the owner; the old owner stays as a member.
    AVChatRoom → 10007."""
    body = ctx.body
    group = await live_group(ctx, body)
    new_owner = body.account("NewOwner_Account")
    ctx.call.user = new_owner
    if group.type == "avchatroom":
        raise errors.fail(errors.NO_PERMISSION, f"{errors.error_info(errors.NO_PERMISSION)}: "
                                                "AVChatRoom groups cannot change owner")
    store = ctx.services.store
    if await store.get_user(new_owner) is None:
        raise errors.fail(errors.ACCOUNT_NOT_FOUND,
                          f"{errors.error_info(errors.ACCOUNT_NOT_FOUND)}: {new_owner[:64]}")
    try:
        await store.transfer_owner(group.id, new_owner, now_ms=ctx.services.clock.now_ms())
    except NotMember:
        raise errors.fail(errors.INVALID_PARAMETER, f"{errors.error_info(errors.INVALID_PARAMETER)}"
                          f": NewOwner_Account {new_owner[:64]!r} is not a member of the "
                          "group") from None
    except (GroupNotFound, GroupDismissed):
        raise errors.fail(errors.GROUP_GONE) from None
    return None


async def get_online_member_num(ctx: Ctx) -> Answer:
    """How many members are online: always 0 (the emulator keeps no connections). Any group
    type, or only an AVChatRoom (others 10007) with ``tencent_online_status_groups`` off."""
    group = await live_group(ctx, ctx.body)
    if group.type != "avchatroom" and not ctx.settings.online_status_groups:
        raise errors.fail(errors.NO_PERMISSION, (
            f"{errors.error_info(errors.NO_PERMISSION)}: only AVChatRoom groups have an online "
            "count without the group member online status feature"),
            explain="see --tencent-online-status-groups")
    return {"OnlineMemberNum": 0}
