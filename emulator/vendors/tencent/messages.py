"""Group message commands (``group_open_http_svc/...``): ``send_group_msg``,
``group_msg_get_simple``, ``group_msg_recall``, ``delete_group_msg_by_sender`` and
``send_group_system_notification``.

Messages go to the store's group message log (``vendor`` "tencent"): ``type`` "group" for
``send_group_msg`` and "system" for ``send_group_system_notification``; ``body`` is the request
body as sent, less ``GroupId``. ``Random`` is the client id: the same ``Random`` from the same
sender within 5 minutes is a duplicate, answered with the first message's ``MsgSeq`` and
``MsgTime`` and not logged again. ``MsgRandom`` (sent by one public wrapper) is not a field of
``send_group_msg``: it is ignored, like any unknown field, and such a message has no dedup.
"""

from __future__ import annotations

from typing import Any

from emulator.store import GroupDismissed, GroupNotFound
from emulator.store.errors import MessageNotFound
from emulator.store.models import Group, Message, muted
from emulator.vendors.tencent import errors
from emulator.vendors.tencent.body import UINT32_MAX, Fields
from emulator.vendors.tencent.groups import live_group
from emulator.vendors.tencent.protocol import Ctx

DEDUP_MS = 5 * 60 * 1000
MAX_HISTORY = 20
MAX_RECALL = 100
# delete_group_msg_by_sender reaches this many of the group's newest messages.
SENDER_RECALL_WINDOW = 1000
MAX_NOTIFY_MEMBERS = 500
MAX_NOTIFICATION_BYTES = 300
MSG_TYPES = frozenset({"TIMTextElem", "TIMLocationElem", "TIMFaceElem", "TIMCustomElem",
                       "TIMSoundElem", "TIMImageElem", "TIMFileElem", "TIMVideoFileElem"})
PRIORITIES = ("High", "Normal", "Low", "Lowest")
# History answers the priority as a number (1 High ... 4 Lowest).
PRIORITY_NUMBERS = {name: number for number, name in enumerate(PRIORITIES, start=1)}
SEND_CONTROLS = frozenset({"NoLastMsg", "NoUnread"})

Answer = dict[str, Any] | None


def _invalid(detail: str) -> Exception:
    return errors.fail(errors.INVALID_PARAMETER,
                       f"{errors.error_info(errors.INVALID_PARAMETER)}: {detail}")


def check_msg_body(body: Fields) -> None:
    """Check ``MsgBody``: a non-empty array of ``{MsgType, MsgContent}`` elements."""
    for item in body.objects("MsgBody", required=True):
        kind = item.string("MsgType", required=True)
        if kind not in MSG_TYPES:
            raise item.bad("MsgType", f"'{kind[:32]}' is not one of {', '.join(sorted(MSG_TYPES))}")
        content = item.data.get("MsgContent")
        if not isinstance(content, dict):
            raise item.bad("MsgContent", "must be an object")
        if kind == "TIMTextElem":
            item.child("MsgContent").string("Text", required=True)


async def _sender(ctx: Ctx, body: Fields, group: Group) -> str:
    """The sender: ``From_Account`` when given (it must be an imported member that is not
    muted, except in an AVChatRoom), else the calling app admin."""
    sender = body.account("From_Account", required=False)
    if not sender:
        return ctx.principal
    ctx.call.user = sender
    store = ctx.services.store
    if sender in ctx.settings.admins:
        return sender
    if await store.get_user(sender) is None:
        raise errors.fail(errors.ACCOUNT_NOT_FOUND,
                          f"{errors.error_info(errors.ACCOUNT_NOT_FOUND)}: {sender[:64]}")
    member = await store.member(group.id, sender)
    if member is None:
        if group.type == "avchatroom":
            return sender
        raise errors.fail(errors.NO_PERMISSION,
                          f"{errors.error_info(errors.NO_PERMISSION)}: From_Account "
                          f"{sender[:64]!r} is not a member of the group")
    now_ms = ctx.services.clock.now_ms()
    whitelist = await store.whitelist(group.id) if group.mute_all else []
    if muted(group, member, now_ms, sender in whitelist) or (
            group.status == "muted" and member.role == "member"):
        raise errors.fail(errors.SENDER_MUTED)
    return sender


async def append(ctx: Ctx, group: Group, sender: str, kind: str, content: dict[str, Any],
                 client_id: str = "", time_ms: int | None = None) -> tuple[Message, bool]:
    """Log a message (sent now, or at ``time_ms``); with a ``client_id`` (the ``Random``), the
    first of the same sender and ``Random`` within 5 minutes before it answers instead."""
    try:
        return await ctx.services.store.append_message(
            group.id, sender=sender, vendor="tencent", type=kind, body=content,
            now_ms=ctx.services.clock.now_ms() if time_ms is None else time_ms,
            client_id=client_id, dedup_ms=DEDUP_MS if client_id else 0)
    except (GroupNotFound, GroupDismissed):
        raise errors.fail(errors.GROUP_GONE) from None


async def send_group_msg(ctx: Ctx) -> Answer:
    """Send a message to a group; answers ``MsgTime`` (s) and ``MsgSeq``."""
    body = ctx.body
    group = await live_group(ctx, body)
    random = body.integer("Random", minimum=0, maximum=UINT32_MAX)
    check_msg_body(body)
    priority = body.string("MsgPriority")
    if priority and priority not in PRIORITIES:
        raise body.bad("MsgPriority", f"must be one of {', '.join(PRIORITIES)}")
    body.integer("OnlineOnlyFlag", default=0, minimum=0, maximum=1)
    for control in body.strings("SendMsgControl"):
        if control not in SEND_CONTROLS:
            raise body.bad("SendMsgControl", f"'{control[:32]}' is not NoLastMsg or NoUnread")
    body.strings("ForbidCallbackControl")
    body.string("CloudCustomData")
    body.child("OfflinePushInfo")
    sender = await _sender(ctx, body, group)
    content = {key: value for key, value in body.data.items() if key != "GroupId"}
    message, _ = await append(ctx, group, sender, "group", content,
                               "" if random is None else str(random))
    return {"MsgTime": message.time_ms // 1000, "MsgSeq": message.seq}


def _history_item(message: Message) -> dict[str, Any]:
    content = message.body if isinstance(message.body, dict) else {}
    random = content.get("Random")
    return {
        "From_Account": message.sender,
        "IsPlaceMsg": 1 if message.recalled else 0,
        "IsSystemMsg": 1 if message.type == "system" else 0,
        "MsgBody": [] if message.recalled else content.get("MsgBody", []),
        "MsgPriority": PRIORITY_NUMBERS.get(content.get("MsgPriority") or "Normal", 2),
        "MsgRandom": random if isinstance(random, int) else 0,
        "MsgSeq": message.seq,
        "MsgTimeStamp": message.time_ms // 1000,
    }


async def group_msg_get_simple(ctx: Ctx) -> Answer:
    """Up to ``ReqMsgNumber`` (≤ 20) messages at or below ``ReqMsgSeq`` (omitted: the newest),
    newest first; recalled ones only with ``WithRecalledMsg: 1``; system notifications never
    (they do not roam). ``IsFinished`` is 1 when no
    older message remains."""
    body = ctx.body
    group = await live_group(ctx, body)
    if group.type == "avchatroom":
        raise _invalid("AVChatRoom groups keep no message history")
    number = body.integer("ReqMsgNumber", minimum=1, maximum=MAX_HISTORY)
    if number is None:
        raise body.bad("ReqMsgNumber", "is required")
    seq = body.integer("ReqMsgSeq", minimum=0)
    with_recalled = body.flag("WithRecalledMsg")
    store = ctx.services.store
    before = None if seq is None else seq + 1
    found: list[Message] = []
    finished = True
    while True:
        batch = await store.history(group.id, before_seq=before, limit=MAX_HISTORY + 1)
        for message in batch:
            if (message.recalled and not with_recalled) or message.type == "system":
                continue
            if len(found) == number:
                finished = False
                break
            found.append(message)
        if not finished or len(batch) <= MAX_HISTORY:
            break
        before = batch[-1].seq
    return {"GroupId": group.id, "IsFinished": 1 if finished else 0,
            "RspMsgList": [_history_item(message) for message in found]}


async def group_msg_recall(ctx: Ctx) -> Answer:
    """Recall messages by ``MsgSeqList[{MsgSeq}]``; each gets a ``RetCode`` (0, or 10030 for
    a message that does not exist)."""
    body = ctx.body
    group = await live_group(ctx, body)
    if group.type == "avchatroom":
        raise _invalid("AVChatRoom messages cannot be recalled")
    seqs = [item.integer("MsgSeq", minimum=1) for item in body.objects(
        "MsgSeqList", required=True, max_items=MAX_RECALL)]
    results = []
    for seq in seqs:
        if seq is None:
            raise _invalid("MsgSeqList[].MsgSeq is required")
        try:
            await ctx.services.store.recall_message(group.id, seq)
            code = 0
        except MessageNotFound:
            code = errors.RECALL_NOT_FOUND
        results.append({"MsgSeq": seq, "RetCode": code})
    return {"RecallRetList": results}


async def send_group_system_notification(ctx: Ctx) -> Answer:
    """Send a system notification (``Content``) to ``ToMembers_Account`` (empty: everyone);
    recorded in the log with type "system"."""
    body = ctx.body
    group = await live_group(ctx, body)
    body.string("Content", required=True, max_bytes=MAX_NOTIFICATION_BYTES)
    if body.has("ToMembers_Account") and len(body.strings("ToMembers_Account")) > (
            MAX_NOTIFY_MEMBERS):
        raise body.bad("ToMembers_Account", f"has more than {MAX_NOTIFY_MEMBERS} items")
    content = {key: value for key, value in body.data.items() if key != "GroupId"}
    await append(ctx, group, ctx.principal, "system", content)
    return None


async def delete_group_msg_by_sender(ctx: Ctx) -> Answer:
    """Silently recall ``Sender_Account``'s messages among the group's newest 1000: history
    shows them only with ``WithRecalledMsg: 1``, as placeholders. An AVChatRoom keeps no
    history: nothing changes and the call succeeds."""
    body = ctx.body
    group = await live_group(ctx, body)
    sender = body.account("Sender_Account")
    ctx.call.user = sender
    if group.type == "avchatroom":
        return None
    try:
        await ctx.services.store.recall_by_sender(group.id, sender,
                                                  within_last=SENDER_RECALL_WINDOW)
    except (GroupNotFound, GroupDismissed):
        raise errors.fail(errors.GROUP_GONE) from None
    return None
