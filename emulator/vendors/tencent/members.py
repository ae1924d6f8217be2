"""Member commands (``group_open_http_svc/...``): ``add_group_member``, ``delete_group_member``,
``get_group_member_info``, ``get_specified_group_member_info``, ``modify_group_member_info``,
``get_role_in_group``, ``forbid_send_msg``, ``get_group_muted_account`` and its old name
``get_group_shutted_uin``.

Members are listed owner first, then admins, then members, each by join time then account.
"""

from __future__ import annotations

from typing import Any

from emulator.store import GroupDismissed, GroupNotFound
from emulator.store.errors import IsOwner, NotMember
from emulator.store.models import MSG_FLAGS, Group, Membership
from emulator.vendors.tencent import errors, mapping
from emulator.vendors.tencent.body import Fields
from emulator.vendors.tencent.groups import MAX_ADD_MEMBERS, defined_data_changes, live_group
from emulator.vendors.tencent.protocol import Ctx

RESULT_FAILED, RESULT_ADDED, RESULT_ALREADY = 0, 1, 2
MAX_DELETE_MEMBERS = 100
MAX_MEMBER_PAGE = 6000
MAX_SPECIFIED_MEMBERS = 50
MAX_ROLE_ACCOUNTS = 500
MAX_MUTE_ACCOUNTS = 500
MAX_NAME_CARD_BYTES = 50
MUTE_FOREVER = 4294967295
ROLE_FILTERS: dict[str, str] = {"Owner": "owner", "Admin": "admin", "Member": "member"}

Answer = dict[str, Any] | None


def _invalid(detail: str) -> Exception:
    return errors.fail(errors.INVALID_PARAMETER,
                       f"{errors.error_info(errors.INVALID_PARAMETER)}: {detail}")


def _not_avchatroom(group: Group, what: str) -> None:
    if group.type == "avchatroom":
        raise _invalid(f"AVChatRoom groups do not support {what}")


def _gone(group_id: str) -> Exception:
    return errors.fail(errors.GROUP_GONE, explain=f"group {group_id[:64]!r} is dismissed")


def accounts(body: Fields, name: str, max_items: int) -> list[str]:
    """A required, non-empty array of account strings (repeats once, in order)."""
    value = body.data.get(name)
    if value is None:
        raise body.bad(name, "is required")
    items = body.strings(name)
    if not items:
        raise body.bad(name, "must not be empty")
    if len(items) > max_items:
        raise body.bad(name, f"has more than {max_items} items")
    return list(dict.fromkeys(items))


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


async def delete_group_member(ctx: Ctx) -> Answer:
    """Remove members; accounts that are not members are skipped. The owner cannot be
    removed (10004); AVChatRoom → 10004."""
    body = ctx.body
    group = await live_group(ctx, body)
    _not_avchatroom(group, "delete_group_member; members leave from the client SDK")
    removing = accounts(body, "MemberToDel_Account", MAX_DELETE_MEMBERS)
    body.integer("Silence", default=0, minimum=0, maximum=1)
    body.string("Reason")
    try:
        await ctx.services.store.remove_group_members(group.id, removing)
    except IsOwner:
        raise _invalid(f"MemberToDel_Account names the owner {group.owner!r}, who cannot be "
                       "deleted (change_group_owner first)") from None
    except (GroupNotFound, GroupDismissed):
        raise _gone(group.id) from None
    return None


def _app_keys(body: Fields, name: str) -> list[str] | None:
    return body.strings(name) if body.has(name) else None


def _role_filter(body: Fields) -> list[str] | None:
    """The canonical roles ``MemberRoleFilter`` names (None: every role)."""
    role_names = body.strings("MemberRoleFilter")
    for name in role_names:
        if name not in ROLE_FILTERS:
            raise body.bad("MemberRoleFilter", f"'{name[:32]}' is not Owner, Admin or Member")
    return [ROLE_FILTERS[name] for name in role_names] or None


def _member_rows(ctx: Ctx, group: Group) -> mapping.MemberRows:
    """How this request renders members: ``MemberInfoFilter`` and
    ``AppDefinedDataFilter_GroupMember``."""
    body = ctx.body
    fields = body.strings("MemberInfoFilter") if body.has("MemberInfoFilter") else None
    return mapping.MemberRows(group, ctx.services.clock.now_ms(), fields,
                              _app_keys(body, "AppDefinedDataFilter_GroupMember"))


async def get_group_member_info(ctx: Ctx) -> Answer:
    """A page of a group's members: ``Limit``/``Offset`` (``Next`` for Community groups),
    filtered by ``MemberRoleFilter``, with the fields of ``MemberInfoFilter``."""
    body = ctx.body
    group = await live_group(ctx, body)
    _not_avchatroom(group, "get_group_member_info; use the AVChatRoom member commands")
    limit = body.integer("Limit", minimum=0, maximum=MAX_MEMBER_PAGE) or 0
    offset = body.integer("Offset", default=0, minimum=0) or 0
    roles = _role_filter(body)
    rows = _member_rows(ctx, group)
    community = group.type == "community"
    after = body.string("Next") if community else ""
    store = ctx.services.store
    try:
        page = await store.member_page(group.id, after=after or None,
                                       offset=0 if after else offset,
                                       limit=limit or max(group.member_count, 1), roles=roles,
                                       fields=rows.columns)
    except ValueError:
        raise body.bad("Next", "is not a cursor this command answered") from None
    except GroupNotFound:
        raise _gone(group.id) from None
    render = rows.row
    answer: dict[str, Any] = {"MemberNum": group.member_count,
                              "MemberList": [render(m) for m in page.rows]}
    if community:
        answer["Next"] = page.next or ""
    return answer


async def get_specified_group_member_info(ctx: Ctx) -> Answer:
    """The named members (at most 50) in the order named, with the fields of
    ``MemberInfoFilter`` (every one without it), those of the roles ``MemberRoleFilter``
    names, ``AppMemberDefinedData`` with ``AppDefinedDataFilter_GroupMember``; accounts that
    are not members are left out."""
    body = ctx.body
    group = await live_group(ctx, body)
    _not_avchatroom(group, "get_specified_group_member_info")
    wanted = accounts(body, "Member_List_Account", MAX_SPECIFIED_MEMBERS)
    roles = _role_filter(body)
    render = _member_rows(ctx, group).row
    store = ctx.services.store
    rows = []
    for account in wanted:
        member = await store.member(group.id, account)
        if member is not None and (roles is None or member.role in roles):
            rows.append(render(member))
    return {"MemberList": rows}


def mute_seconds(body: Fields, *, required: bool) -> int | None:
    """``MuteTime`` (new name) or ``ShutUpTime`` in seconds, 0 = unmute."""
    name = "MuteTime" if body.has("MuteTime") else "ShutUpTime"
    if required and not body.has(name):
        raise body.bad("MuteTime", "is required (or its old name ShutUpTime)")
    return body.integer(name, minimum=0, maximum=MUTE_FOREVER)


async def modify_group_member_info(ctx: Ctx) -> Answer:
    """Change one member's ``Role``, ``MsgFlag``, ``NameCard``, ``AppMemberDefinedData`` and
    mute (``MuteTime``/``ShutUpTime``)."""
    body = ctx.body
    group = await live_group(ctx, body)
    _not_avchatroom(group, "modify_group_member_info")
    account = body.account("Member_Account")
    ctx.call.user = account
    role = body.string("Role")
    if role and role not in mapping.ROLE_FROM_TENCENT:
        raise body.bad("Role", "must be Admin or Member")
    msg_flag = body.string("MsgFlag")
    if msg_flag and msg_flag not in MSG_FLAGS:
        raise body.bad("MsgFlag", f"must be one of {', '.join(MSG_FLAGS)}")
    name_card = body.string("NameCard", max_bytes=MAX_NAME_CARD_BYTES) if body.has(
        "NameCard") else None
    seconds = mute_seconds(body, required=False)
    store = ctx.services.store
    member = await store.member(group.id, account)
    if member is None:
        raise _invalid(f"Member_Account {account[:64]!r} is not a member of the group")
    ex = defined_data_changes(body, "AppMemberDefinedData", member.ex)
    if role and member.role == "owner":
        raise _invalid("the owner's Role cannot change (change_group_owner)")
    now_ms = ctx.services.clock.now_ms()
    changes: dict[str, Any] = {}
    if msg_flag:
        changes["msg_flag"] = msg_flag
    if name_card is not None:
        changes["nickname"] = name_card
    if ex is not None:
        changes["ex"] = ex
    try:
        if role:
            await store.set_role(group.id, account, mapping.ROLE_FROM_TENCENT[role])
        if changes:
            await store.update_member_info(group.id, account, **changes)
        if seconds is not None:
            await store.mute_members(group.id, [account], now_ms + seconds * 1000 if seconds
                                     else 0, now_ms=now_ms)
    except (GroupNotFound, GroupDismissed):
        raise _gone(group.id) from None
    except NotMember:
        raise _invalid(f"Member_Account {account[:64]!r} is not a member of the group") from None
    return None


async def get_role_in_group(ctx: Ctx) -> Answer:
    """Each named user's role: Owner, Admin, Member or NotMember."""
    body = ctx.body
    group = await live_group(ctx, body)
    users = accounts(body, "User_Account", MAX_ROLE_ACCOUNTS)
    store = ctx.services.store
    found: dict[str, str] = {}
    for user in users:
        member = await store.member(group.id, user)
        if member is not None:
            found[user] = mapping.ROLE_TO_TENCENT.get(member.role, "Member")
    return {"UserIdList": [{"Member_Account": user, "Role": found.get(user, "NotMember")}
                           for user in users]}


async def forbid_send_msg(ctx: Ctx) -> Answer:
    """Mute members for ``MuteTime``/``ShutUpTime`` seconds (0 unmutes; 4294967295 is
    for ever); non-members are skipped. Work (Private) groups → 10004."""
    body = ctx.body
    group = await live_group(ctx, body)
    if group.type == "work":
        raise _invalid("Work (Private) groups do not support muting members")
    users = accounts(body, "Members_Account", MAX_MUTE_ACCOUNTS)
    seconds = mute_seconds(body, required=True) or 0
    now_ms = ctx.services.clock.now_ms()
    try:
        await ctx.services.store.mute_members(
            group.id, users, now_ms + seconds * 1000 if seconds else 0, now_ms=now_ms)
    except (GroupNotFound, GroupDismissed):
        raise _gone(group.id) from None
    return None


async def _muted(ctx: Ctx) -> tuple[Group, list[Membership]]:
    body = ctx.body
    group = await live_group(ctx, body)
    now_ms = ctx.services.clock.now_ms()
    return group, await ctx.services.store.muted_members(group.id, now_ms=now_ms)


async def get_group_muted_account(ctx: Ctx) -> Answer:
    """The muted members: ``MutedAccountList[{Member_Account, MutedUntil}]`` (seconds)."""
    group, muted = await _muted(ctx)
    return {"GroupId": group.id,
            "MutedAccountList": [{"Member_Account": m.user_id,
                                  "MutedUntil": m.mute_until_ms // 1000} for m in muted]}


async def get_group_shutted_uin(ctx: Ctx) -> Answer:
    """The old name: ``ShuttedUinList[{Member_Account, ShuttedUntil}]`` (seconds)."""
    group, muted = await _muted(ctx)
    return {"GroupId": group.id,
            "ShuttedUinList": [{"Member_Account": m.user_id,
                                "ShuttedUntil": m.mute_until_ms // 1000} for m in muted]}
