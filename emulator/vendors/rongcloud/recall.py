"""Recalling a group message: ``/message/recall.json`` with ``conversationType`` 3.

RongCloud's recall is a command message (``RC:RcCmd``) that tells the clients to replace the
message; the docs list no error for a message it cannot find. So a well-formed call answers
``{"code":200}`` whatever it names, and marks recalled, in the shared log, the message of
``targetId`` whose ``messageUID`` (as publish and the history answer it) is the one given and
whose sender is ``fromUserId`` (only one's own messages, as the official Python SDK says).
Anything else (another group's or another sender's message, an unknown UID, a message already
recalled, an unknown or dismissed group, the other conversation types 1, 4, 6 and 10, which
this emulator keeps no log of) changes nothing. There is no time window. The command message
itself is not logged: the log's ``recalled`` mark is what every vendor reads (RongCloud's
history leaves the message out, Tencent shows a placeholder, ZEGO an empty message).

Fields: ``fromUserId``, ``conversationType``, ``targetId``, ``messageUID`` (required, 1002);
``sentTime`` (digits; the UID alone names the message), ``isAdmin`` and ``isDelete`` (0/1),
``extra``, ``disablePush``, ``disableUpdateLastMsg`` and ``busChannel`` are checked and change
nothing the emulator keeps.
"""

from __future__ import annotations

from typing import Any

from emulator.store.errors import GroupDismissed, GroupNotFound, MessageNotFound
from emulator.vendors.rongcloud.errors import param_invalid, param_required
from emulator.vendors.rongcloud.messages import MAX_ID_CHARS, message_uid
from emulator.vendors.rongcloud.protocol import Ctx

GROUP_CONVERSATION = 3
CONVERSATION_TYPES = (1, 3, 4, 6, 10)
OK: dict[str, Any] = {"code": 200}


def _conversation_type(ctx: Ctx) -> int:
    value = ctx.body.number("conversationType")
    if value is None:
        raise param_required("conversationType")
    if value not in CONVERSATION_TYPES:
        raise param_invalid("conversationType", "must be 1, 3, 4, 6 or 10")
    return value


async def recall(ctx: Ctx) -> dict[str, Any]:
    """``/message/recall.json``: marks recalled the named group message of ``fromUserId``;
    ``{"code":200}``, whether or not a message was found."""
    form, store = ctx.body, ctx.services.store
    sender = form.text("fromUserId", max_chars=MAX_ID_CHARS)
    ctx.call.user = sender
    kind = _conversation_type(ctx)
    target = form.text("targetId", max_chars=MAX_ID_CHARS)
    uid = form.text("messageUID", max_chars=MAX_ID_CHARS)
    form.number("sentTime")
    for name in ("isAdmin", "isDelete", "disablePush", "disableUpdateLastMsg"):
        form.flag(name)
    form.text("extra", required=False)
    form.text("busChannel", required=False, max_chars=MAX_ID_CHARS)
    group = await store.get_group(target)
    if kind != GROUP_CONVERSATION or group is None or group.status == "dismissed":
        return OK
    for message in await store.message_log(group=target, sender=sender):
        if message.kind == "message" and not message.recalled \
                and message_uid(target, message.seq, message.time_ms) == uid:
            try:
                await store.recall_message(target, message.seq)
            except (MessageNotFound, GroupNotFound, GroupDismissed):
                return OK
            break
    return OK
