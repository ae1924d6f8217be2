"""Migration commands (``group_open_http_svc/...``): ``import_group_member``,
``import_group_msg`` and ``set_unread_msg_num`` (``import_group`` is with the group commands).

They write what another system held: members with their join times and unread counts, and
messages with their send times, in the store every vendor reads; no notice is posted. None of
them applies to an AVChatRoom (10007; ``set_unread_msg_num`` there, and in a Meeting
(ChatRoom) group, succeeds and changes nothing, as documented).
"""

from __future__ import annotations

from typing import Any

import orjson

from emulator.store import GroupDismissed, GroupNotFound
from emulator.store.errors import GroupFull, NotMember
from emulator.store.models import Group, Membership
from emulator.vendors.tencent import errors, mapping
from emulator.vendors.tencent.body import UINT32_MAX, Fields
from emulator.vendors.tencent.groups import live_group
from emulator.vendors.tencent.messages import append, check_msg_body
from emulator.vendors.tencent.protocol import Ctx

RESULT_FAILED, RESULT_ADDED, RESULT_ALREADY = 0, 1, 2
MAX_MSG_BYTES = 8000
NO_UNREAD_TYPES = frozenset({"meeting", "avchatroom"})

Answer = dict[str, Any] | None


def _not_avchatroom(group: Group, what: str) -> None:
    if group.type == "avchatroom":
        raise errors.fail(errors.NO_PERMISSION, f"{errors.error_info(errors.NO_PERMISSION)}: "
                                                f"AVChatRoom groups do not support {what}")


def _message_count(group: Group) -> int:
    """How many messages the group has had (its newest seq)."""
    return max(group.next_msg_seq - 1, 0)


def _gone(group_id: str) -> Exception:
    return errors.fail(errors.GROUP_GONE, explain=f"group {group_id[:64]!r} is dismissed")


async def import_group_member(ctx: Ctx) -> Answer:
    """Import members with their ``Role`` (Admin, or Member by default), ``JoinTime`` (Unix s,
    from the group's creation to now; default now) and ``UnreadMsgNum`` (at most the group's
    message count). Each gets a ``Result``: 1 imported, 2 already a member, 0 failed (an
    account never imported, or a ``JoinTime`` out of range)."""
    body = ctx.body
    group = await live_group(ctx, body)
    _not_avchatroom(group, "import_group_member")
    items = body.objects("MemberList", required=True, max_items=ctx.settings.import_member_limit)
    now_ms = ctx.services.clock.now_ms()
    created_s = group.create_time_ms // 1000
    wanted: dict[str, Membership | None] = {}
    for item in items:
        account = item.account("Member_Account")
        role = item.string("Role", default="Member")
        if role not in mapping.ROLE_FROM_TENCENT:
            raise item.bad("Role", "must be Admin or Member")
        join_time = item.integer("JoinTime", minimum=0)
        unread = item.integer("UnreadMsgNum", default=0, minimum=0) or 0
        if account in wanted:
            continue
        if join_time is not None and not created_s <= join_time <= now_ms // 1000:
            wanted[account] = None
            continue
        wanted[account] = Membership(
            group.id, account, mapping.ROLE_FROM_TENCENT[role],
            now_ms if join_time is None else join_time * 1000,
            unread=min(unread, _message_count(group)), operator=ctx.principal)
    members = [member for member in wanted.values() if member is not None]
    try:
        outcome = await ctx.services.store.add_group_members(group.id, members)
    except GroupFull:
        raise errors.fail(errors.GROUP_FULL, explain=(
            f"{len(members)} more members would pass the group's MaxMemberNum "
            f"{group.max_members}")) from None
    except (GroupNotFound, GroupDismissed):
        raise _gone(group.id) from None
    results = {"added": RESULT_ADDED, "already_member": RESULT_ALREADY}
    return {"MemberList": [{"Member_Account": account,
                            "Result": results.get(outcome.get(account, ""), RESULT_FAILED)}
                           for account in wanted]}


def _imported_message(item: Fields) -> tuple[str, int, int | None]:
    """One ``MsgList`` item checked: its sender, send time (s) and ``Random``."""
    sender = item.account("From_Account")
    send_time = item.integer("SendTime", minimum=0, maximum=UINT32_MAX)
    if send_time is None:
        raise item.bad("SendTime", "is required")
    random = item.integer("Random", minimum=0, maximum=UINT32_MAX)
    check_msg_body(item)
    return sender, send_time, random


async def import_group_msg(ctx: Ctx) -> Answer:
    """Import messages in time order, each at its ``SendTime``; each gets ``Result`` (0, or
    10004 for a time before the group's creation or its newest message, or after now; 80002
    for a ``MsgBody`` over 8000 bytes), ``MsgTime`` and ``MsgSeq`` (0 when not imported).
    Imported ones take the next seqs; every member's unread count becomes 0."""
    body = ctx.body
    group = await live_group(ctx, body)
    _not_avchatroom(group, "import_group_msg")
    body.integer("RecentContactFlag", default=0, minimum=0, maximum=1)
    items = body.objects("MsgList", required=True, max_items=ctx.settings.import_msg_limit)
    checked = [_imported_message(item) for item in items]
    now_s = ctx.services.clock.now_ms() // 1000
    floor = max(group.create_time_ms // 1000, group.last_msg_time)
    results: list[dict[str, Any]] = []
    imported = False
    for item, (sender, send_time, random) in zip(items, checked, strict=True):
        if not floor <= send_time <= now_s:
            results.append({"Result": errors.INVALID_PARAMETER, "MsgTime": send_time,
                            "MsgSeq": 0})
            continue
        if len(orjson.dumps(item.data["MsgBody"])) > MAX_MSG_BYTES:
            results.append({"Result": errors.MSG_TOO_LONG, "MsgTime": send_time, "MsgSeq": 0})
            continue
        message, _ = await append(ctx, group, sender, "group", dict(item.data),
                                  "" if random is None else str(random), send_time * 1000)
        floor = max(floor, send_time)
        imported = True
        results.append({"Result": 0, "MsgTime": message.time_ms // 1000, "MsgSeq": message.seq})
    if imported:
        try:
            await ctx.services.store.clear_unread(group.id)
        except (GroupNotFound, GroupDismissed):
            raise _gone(group.id) from None
    return {"ImportMsgResult": results}


async def set_unread_msg_num(ctx: Ctx) -> Answer:
    """Set a member's unread count (``UnreadMsgNum``, at most the group's message count). A
    Meeting (ChatRoom) or AVChatRoom group keeps none: success, nothing changes. A
    ``Member_Account`` that is not a member → 10004."""
    body = ctx.body
    group = await live_group(ctx, body)
    account = body.account("Member_Account")
    ctx.call.user = account
    unread = body.integer("UnreadMsgNum", minimum=0)
    if unread is None:
        raise body.bad("UnreadMsgNum", "is required")
    if group.type in NO_UNREAD_TYPES:
        return None
    try:
        await ctx.services.store.update_member_info(
            group.id, account, unread=min(unread, _message_count(group)))
    except NotMember:
        raise errors.fail(errors.INVALID_PARAMETER, (
            f"{errors.error_info(errors.INVALID_PARAMETER)}: Member_Account {account[:64]!r} "
            "is not a member of the group")) from None
    except (GroupNotFound, GroupDismissed):
        raise _gone(group.id) from None
    return None
