"""Group history: ``/v3/message/group/query.json``, a group's stored messages in a time window,
read from the shared group message log.

The request is a JSON object (the Go and Java SDKs send ``Content-Type: application/json``;
the Go SDK writes every value as a string, the Java SDK numbers and booleans): ``userId``,
``targetId`` (the group), ``startTime`` and ``endTime`` (milliseconds), ``includeStart``
(required), ``pageSize`` (1 to 100, default 10, as the Java SDK's model documents it) and
``busChannel``. The answer is ``{"code":200,"data":[...]}``, the oldest message first, each
``{targetId, fromUserId, messageUID, msgTime, objectName, content, expansion, extraContent}``
(the Go SDK's ``HistoryMessage``; ``busChannel`` when the message had one).

RongCloud's cloud storage keeps what is stored, so the log's messages leave out: those sent
with ``isPersisted`` 0, targeted ones (``toUserId``: "群定向消息不会存储到云端", the official
Python SDK), and recalled ones. Another vendor's message reads as an ``RC:TxtMsg`` whose
``content`` is ``{"content": <its body as text>}``; its ``messageUID`` is the one
``publish.json`` answered for RongCloud's own.
"""

from __future__ import annotations

from typing import Any

import orjson

from emulator.store.models import Message
from emulator.vendors.rongcloud.errors import param_invalid, param_required
from emulator.vendors.rongcloud.form import Form
from emulator.vendors.rongcloud.messages import MAX_ID_CHARS, VENDOR, message_uid
from emulator.vendors.rongcloud.protocol import Ctx

PAGE_DEFAULT, PAGE_MAX = 10, 100
TEXT_OBJECT = "RC:TxtMsg"
_FALSE = ("0", "false")


def _time(form: Form, name: str) -> int:
    value = form.number(name)
    if value is None:
        raise param_required(name)
    return value


def _switch(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        return default
    return value.strip().lower() not in _FALSE


def _stored(message: Message, bus_channel: str) -> bool:
    """Whether RongCloud's cloud storage would hold the message (and in the channel asked)."""
    if message.recalled:
        return False
    if message.vendor != VENDOR or not isinstance(message.body, dict):
        return not bus_channel
    body = message.body
    if not _switch(body, "isPersisted", True) or body.get("toUserId"):
        return False
    return not bus_channel or body.get("busChannel") == bus_channel


def _item(message: Message) -> dict[str, Any]:
    body = message.body
    ours = message.vendor == VENDOR and isinstance(body, dict)
    if ours:
        object_name, content = message.type, str(body.get("content", ""))
    else:
        text = body if isinstance(body, str) else orjson.dumps(body).decode()
        object_name, content = TEXT_OBJECT, orjson.dumps({"content": text}).decode()
    item: dict[str, Any] = {
        "targetId": message.group_id, "fromUserId": message.sender,
        "messageUID": message_uid(message.group_id, message.seq, message.time_ms),
        "msgTime": message.time_ms, "objectName": object_name, "content": content,
        "expansion": ours and _switch(body, "expansion", False),
        "extraContent": str(body.get("extraContent", "")) if ours else ""}
    if ours and body.get("busChannel"):
        item["busChannel"] = body["busChannel"]
    return item


async def query_group(ctx: Ctx) -> dict[str, Any]:
    """``/v3/message/group/query.json``: up to ``pageSize`` stored messages of ``targetId``
    sent from ``startTime`` (included only with ``includeStart``) to ``endTime`` (included),
    oldest first. An unknown or dismissed group answers ``data: []``."""
    form = ctx.body
    form.text("userId", max_chars=MAX_ID_CHARS)
    group_id = form.text("targetId", max_chars=MAX_ID_CHARS)
    start, end = _time(form, "startTime"), _time(form, "endTime")
    if not form.first("includeStart").strip():
        raise param_required("includeStart")
    include_start = form.flag("includeStart")
    size = form.number("pageSize")
    if size is None:
        size = PAGE_DEFAULT
    elif not 1 <= size <= PAGE_MAX:
        raise param_invalid("pageSize", f"must be from 1 to {PAGE_MAX}")
    if start > end:
        raise param_invalid("startTime", "must not be after endTime")
    bus_channel = form.text("busChannel", required=False, max_chars=MAX_ID_CHARS)
    group = await ctx.services.store.get_group(group_id)
    if group is None or group.status == "dismissed":
        return {"code": 200, "data": []}
    found = await ctx.services.store.messages_by_time(group_id, start, end)
    data = [_item(message) for message in found
            if (include_start or message.time_ms > start) and _stored(message, bus_channel)]
    return {"code": 200, "data": data[:size]}
