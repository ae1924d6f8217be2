"""Group messages: ``/message/group/publish.json``, ``/statusmessage/group/publish.json`` (online
only, never logged), and the notify message the group writes may bind (``bindNotifyMsg``).

A message goes into the shared group message log with ``type`` = its ``objectName`` and
``body`` = the form fields RongCloud was sent, as strings exactly as sent (``content`` is kept
as the JSON text it was, never re-encoded). The sender need not be a member, and mutes do not
stop it: RongCloud's docs say Server API messages rank above every mute. The rate limit is 20
messages per second per App-Key, where one call to 3 groups counts 3.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from typing import Any

from emulator.services import Services
from emulator.store.groupstore import GroupNotFound
from emulator.store.errors import GroupDismissed
from emulator.vendors.rongcloud.errors import BAD_PARAM, param_required, rate_limited_for, rc_error
from emulator.vendors.rongcloud.form import Form
from emulator.vendors.rongcloud.protocol import Ctx

VENDOR = "rongcloud"
PUBLISH_RATE_LIMIT = 20
MAX_TARGET_GROUPS = 3
MAX_OBJECT_NAME_CHARS = 32
MAX_ID_CHARS = 64
# The publish form fields kept in the log's body, in this order, when sent.
PUBLISH_FIELDS = ("fromUserId", "toGroupId", "toUserId", "objectName", "content", "pushContent",
                  "pushData", "isPersisted", "isIncludeSender", "isMentioned",
                  "contentAvailable", "expansion", "extraContent", "disablePush", "pushExt",
                  "disableUpdateLastMsg", "busChannel")
# Fields a targeted message (toUserId) may not carry (the docs' tip).
NOT_TARGETED = ("expansion", "extraContent", "disablePush", "pushExt")
# The notify-message fields the v4 SDKs send with create/join/quit/dismiss/refresh.
NOTIFY_FIELDS = ("fromUserId", "objectName", "content", "pushContent", "pushData",
                 "isIncludeSender", "isPersisted", "maxMember", "pushExt",
                 "disableUpdateLastMsg")
_UNLOGGED = itertools.count(1)


def message_uid(group_id: str, seq: int, time_ms: int) -> str:
    """A RongCloud-shaped message UID (four dash-separated groups of four characters), the same
    for one message."""
    digest = hashlib.sha1(f"{group_id}\x00{seq}\x00{time_ms}".encode()).digest()
    text = base64.b32encode(digest).decode()[:16]
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


async def log_message(services: Services, group_id: str, sender: str, object_name: str,
                      body: dict[str, Any]) -> str:
    """Append to a live group's log and return its UID; a group the store does not have (or a
    dismissed one) keeps no log, and gets a UID all the same."""
    now_ms = services.clock.now_ms()
    try:
        message, _ = await services.store.append_message(
            group_id, sender=sender, vendor=VENDOR, type=object_name, body=body, now_ms=now_ms)
    except (GroupNotFound, GroupDismissed):
        return message_uid(group_id, -next(_UNLOGGED), now_ms)
    return message_uid(group_id, message.seq, message.time_ms)


def _fields(form: Form, names: tuple[str, ...]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name in names:
        values = form.fields.get(name)
        if values:
            body[name] = values if name in ("toGroupId", "toUserId") else values[0]
    return body


def _count_groups(ctx: Ctx, groups: list[str]) -> None:
    """The 20-messages-a-second limit: the call itself counted one message at admission; each
    further group counts one more (1008 past the limit, nothing sent)."""
    key = (ctx.call.vendor, ctx.call.app, ctx.call.endpoint)
    for _ in groups[1:]:
        if not ctx.services.limiter.allow(key, PUBLISH_RATE_LIMIT):
            raise rate_limited_for(PUBLISH_RATE_LIMIT)


async def publish(ctx: Ctx) -> dict[str, Any]:
    """``/message/group/publish.json``: one message to up to 3 groups, or a targeted one
    (``toUserId``) to one group; ``{"code":200,"messageUIDs":[{"groupId","messageUID"}]}``."""
    form, services = ctx.body, ctx.services
    sender = form.text("fromUserId", max_chars=MAX_ID_CHARS)
    ctx.call.user = sender
    groups = form.ids("toGroupId", max_count=MAX_TARGET_GROUPS, max_chars=MAX_ID_CHARS)
    targets = form.ids("toUserId", max_count=1000, required=False)
    object_name = form.text("objectName", max_chars=MAX_OBJECT_NAME_CHARS)
    if "content" not in form or not form.first("content"):
        raise param_required("content")
    for name in ("isPersisted", "isIncludeSender", "isMentioned", "contentAvailable",
                 "expansion", "disablePush", "disableUpdateLastMsg"):
        form.flag(name)
    if targets:
        if len(groups) > 1:
            raise rc_error(BAD_PARAM, "Paramer 'toGroupId' takes one group for a targeted "
                                      "message (toUserId).")
        for name in NOT_TARGETED:
            if form.first(name) and form.first(name).lower() not in ("false", "0"):
                raise rc_error(BAD_PARAM, f"Paramer '{name}' is not supported with toUserId.")
    _count_groups(ctx, groups)
    body = _fields(form, PUBLISH_FIELDS)
    uids = []
    for group_id in groups:
        one = {**body, "toGroupId": [group_id]} if len(groups) > 1 else body
        uids.append({"groupId": group_id,
                     "messageUID": await log_message(services, group_id, sender, object_name,
                                                     one)})
    return {"code": 200, "messageUIDs": uids}


async def publish_status(ctx: Ctx) -> dict[str, Any]:
    """``/statusmessage/group/publish.json``: a status message to up to 3 groups, for the
    members online only: RongCloud neither counts nor stores it, so it is checked, counted
    against the 20-a-second limit and answered ``{"code":200}``, and kept in no log."""
    form = ctx.body
    ctx.call.user = form.text("fromUserId", max_chars=MAX_ID_CHARS)
    groups = form.ids("toGroupId", max_count=MAX_TARGET_GROUPS, max_chars=MAX_ID_CHARS)
    form.text("objectName", max_chars=MAX_OBJECT_NAME_CHARS)
    if not form.first("content"):
        raise param_required("content")
    for name in ("verifyBlacklist", "isIncludeSender"):
        form.flag(name)
    _count_groups(ctx, groups)
    return {"code": 200}


def notify_options(form: Form) -> dict[str, Any] | None:
    """The bound notify message of a group write, checked before the write: None unless
    ``bindNotifyMsg`` is true; then ``fromUserId``, ``objectName`` and ``content`` are
    required (1002) and the fields sent are the body to log."""
    if not form.flag("bindNotifyMsg"):
        return None
    form.text("fromUserId", max_chars=MAX_ID_CHARS)
    form.text("objectName", max_chars=MAX_OBJECT_NAME_CHARS)
    if not form.first("content"):
        raise param_required("content")
    for name in ("isIncludeSender", "isPersisted", "disableUpdateLastMsg"):
        form.flag(name)
    maximum = form.number("maxMember")
    body = _fields(form, NOTIFY_FIELDS)
    if maximum is not None:
        body["maxMember"] = str(maximum)
    return body


async def notify(services: Services, group_id: str, body: dict[str, Any] | None,
                 answer: dict[str, Any]) -> dict[str, Any]:
    """Log a bound notify message and answer ``{code, messageUID, memberCount}`` (the v4 SDKs'
    OperationGroupResult); the plain answer when none was bound."""
    if body is None:
        return answer
    uid = await log_message(services, group_id, body["fromUserId"], body["objectName"], body)
    group = await services.store.get_group(group_id)
    count = group.member_count if group is not None and group.status != "dismissed" else 0
    return {**answer, "messageUID": uid, "memberCount": count}
