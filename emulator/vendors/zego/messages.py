"""The group message Actions: SendGroupMessage (append to the shared message log) and
QueryGroupMsg (a group's messages, newest first, a page at a time).

SendGroupMessage (POST, 10 calls per second per AppId): the sender must be registered
(660500002) and a member of a live group (660600001, 660600024) who is not muted (660600032),
``MessageType`` one of the group types of ZEGO's "MessageBody 说明" page (1 text, 2 command,
10 combined, 11 image, 12 file, 13 audio, 14 video, 200 custom), ``Priority`` 1..3 and
``MessageBody`` an object whose ``Message`` is not empty and at most 2 KB (5 KB for combined
messages; for base64 commands, the decoded size), ``ExtendedData`` at most 1 KB (660400001).
The log keeps ``MessageBody`` as sent, under vendor ``zego`` and type ``MessageType`` (``200:n``
for a custom message of ``SubMsgType`` n). Commands are logged too but, as on ZIM, answer
``MsgSeq`` 0 and are not listed by QueryGroupMsg.

``MsgId`` is derived from the group and the seq, so QueryGroupMsg answers the same one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import orjson

from emulator.store import GroupDismissed, GroupNotFound
from emulator.store.models import Message, muted
from emulator.vendors.zego import errors
from emulator.vendors.zego.lookup import id_param, live_group, operator
from emulator.vendors.zego.params import Params, bad
from emulator.vendors.zego.protocol import Ctx

VENDOR = "zego"
SEND_PER_SECOND = 10
MESSAGE_TYPES = frozenset({1, 2, 10, 11, 12, 13, 14, 200})
COMMAND, COMBINED, CUSTOM = 2, 10, 200
MESSAGE_MAX_BYTES = 2048
COMBINED_MAX_BYTES = 5120
EXTENDED_MAX_BYTES = 1024
SEARCHED_MAX_BYTES = 64
SUB_MSG_TYPE_MAX = 200
# QueryGroupMsg: Limit out of (0, 100] is corrected (<= 0: 10, > 100: 100).
HISTORY_DEFAULT, HISTORY_MAX = 10, 100
SEQ_MAX = 2**62
HISTORY_SCAN = 200


def _bytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def message_id(group_id: str, seq: int) -> int:
    """A message's MsgId: a positive 63-bit number derived from its group and seq."""
    digest = hashlib.blake2b(f"{group_id}\x00{seq}".encode("utf-8", "surrogatepass"),
                             digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _message_body(params: Params, message_type: int) -> dict[str, Any]:
    body = params.get("MessageBody")
    if not isinstance(body, dict):
        raise bad("MessageBody is required and must be an object")
    text = body.get("Message")
    if not isinstance(text, str) or text == "":
        raise bad("MessageBody.Message is required and must be a string")
    size = _bytes(text)
    if message_type == COMMAND and body.get("IsBase64") in (1, "1", True):
        try:
            size = len(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError):
            raise errors.zego_error(errors.BASE64_FAILED) from None
    limit = COMBINED_MAX_BYTES if message_type == COMBINED else MESSAGE_MAX_BYTES
    if size > limit:
        raise errors.zego_error(errors.MESSAGE_TOO_LARGE,
                                f"MessageBody.Message exceeds {limit} bytes")
    extended = body.get("ExtendedData")
    if extended is not None and not isinstance(extended, str):
        raise bad("MessageBody.ExtendedData must be a string")
    if extended and _bytes(extended) > EXTENDED_MAX_BYTES:
        raise errors.zego_error(errors.MESSAGE_TOO_LARGE,
                                f"MessageBody.ExtendedData exceeds {EXTENDED_MAX_BYTES} bytes")
    if "OfflinePush" in body and body["OfflinePush"] is not None and not isinstance(
            body["OfflinePush"], dict):
        raise bad("MessageBody.OfflinePush must be an object")
    return body


def _send_options(params: Params) -> None:
    options = params.get("SendMsgOptions")
    if options is None:
        return
    if not isinstance(options, dict):
        raise bad("SendMsgOptions must be an object")
    reader = Params(options)
    reader.boolean("NoUnread")
    target = options.get("TargetOption")
    if target is None:
        return
    if not isinstance(target, dict):
        raise bad("SendMsgOptions.TargetOption must be an object")
    target_reader = Params(target)
    target_reader.boolean("Inclusive")
    receivers = target.get("ReceiverUserIds")
    if receivers is not None and (not isinstance(receivers, list) or not all(
            isinstance(item, str) for item in receivers)):
        raise bad("TargetOption.ReceiverUserIds must be an array of strings")


async def send_group_message(ctx: Ctx) -> dict[str, Any]:
    """Send a message to a group as one of its members; answers MsgSeq and MsgId."""
    params = ctx.body
    from_user = id_param(params, "FromUserId")
    group_id = id_param(params, "GroupId")
    message_type = params.integer("MessageType", low=-(2**63), high=2**63 - 1, required=True)
    if message_type not in MESSAGE_TYPES:
        raise bad("MessageType is not a type a group message may have")
    params.integer("Priority", low=1, high=3, required=True)
    body = _message_body(params, message_type)
    sub_type = params.integer("SubMsgType", low=0, high=SUB_MSG_TYPE_MAX)
    params.string("SearchedContent", max_bytes=SEARCHED_MAX_BYTES)
    _send_options(params)
    key = (ctx.call.vendor, ctx.call.app, ctx.call.endpoint, "per-app")
    if not ctx.services.limiter.allow(key, SEND_PER_SECOND):
        raise errors.zego_error(errors.APP_RATE_LIMITED)
    await operator(ctx, from_user)
    group = await live_group(ctx, group_id)
    store = ctx.services.store
    member = await store.member(group_id, from_user)
    if member is None:
        raise errors.zego_error(errors.NOT_IN_GROUP, "FromUserId is not in the group")
    now_ms = ctx.services.clock.now_ms()
    if muted(group, member, now_ms, from_user in await store.whitelist(group_id)):
        raise errors.zego_error(errors.NO_PERMISSION, "FromUserId is muted in the group")
    kind = f"{CUSTOM}:{sub_type}" if message_type == CUSTOM else str(message_type)
    try:
        message, _ = await store.append_message(group_id, sender=from_user, vendor=VENDOR,
                                                type=kind, body=body, now_ms=now_ms)
    except (GroupNotFound, GroupDismissed):
        raise errors.zego_error(errors.GROUP_NOT_FOUND) from None
    return {"MsgSeq": 0 if message_type == COMMAND else message.seq,
            "MsgId": message_id(group_id, message.seq)}


def _type_of(message: Message) -> tuple[int, int]:
    """(MsgType, SubMsgType) of a logged message; another vendor's messages read as custom
    (200), or as text (1) when their body is a string."""
    if message.vendor == VENDOR:
        head, _, sub = message.type.partition(":")
        if head.isdigit():
            return int(head), int(sub) if sub.isdigit() else 0
    return (1, 0) if isinstance(message.body, str) else (CUSTOM, 0)


def list_item(message: Message) -> dict[str, Any]:
    """One QueryGroupMsg ``List`` item."""
    msg_type, sub_type = _type_of(message)
    body = message.body
    if isinstance(body, dict) and message.vendor == VENDOR:
        text = body.get("Message", "")
        payload = body.get("ExtendedData") or ""
    elif isinstance(body, str):
        text, payload = body, ""
    else:
        text, payload = orjson.dumps(body).decode(), ""
    if message.recalled:
        text, payload = "", ""
    item: dict[str, Any] = {"Sender": message.sender, "MsgType": msg_type}
    if msg_type == CUSTOM:
        item["SubMsgType"] = sub_type
    item.update({"MsgBody": text if isinstance(text, str) else orjson.dumps(text).decode(),
                 "MsgId": message_id(message.group_id, message.seq), "MsgSeq": message.seq,
                 "Payload": payload if isinstance(payload, str) else "",
                 "MsgTime": message.time_ms, "IsEmpty": 2 if message.recalled else 0})
    return item


def _listed(message: Message, with_empty: bool) -> bool:
    if message.vendor == VENDOR and message.type == str(COMMAND):
        return False
    return with_empty or not message.recalled


async def query_group_msg(ctx: Ctx) -> dict[str, Any]:
    """A page of a group's messages, newest first: ``Next`` 0 for the newest, then the
    previous answer's ``Next`` (the seq the page stopped above); 0 in the answer when the
    whole list has been returned."""
    params = ctx.body
    group_id = id_param(params, "GroupId")
    limit = params.integer("Limit", low=-(2**63), high=2**63 - 1, default=HISTORY_DEFAULT)
    limit = HISTORY_DEFAULT if limit <= 0 else min(limit, HISTORY_MAX)
    before = params.integer("Next", low=0, high=SEQ_MAX)
    with_empty = params.integer("WithEmptyMsg", low=0, high=1) == 1
    await live_group(ctx, group_id)
    store = ctx.services.store
    found: list[Message] = []
    bound: int | None = before or None
    more = False
    while not more:
        batch = await store.history(group_id, before_seq=bound, limit=HISTORY_SCAN)
        for message in batch:
            if _listed(message, with_empty):
                if len(found) == limit:
                    more = True
                    break
                found.append(message)
        if len(batch) < HISTORY_SCAN:
            break
        bound = batch[-1].seq
    return {"Next": found[-1].seq if more else 0, "List": [list_item(m) for m in found]}
