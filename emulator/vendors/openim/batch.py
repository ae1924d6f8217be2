"""``/msg/batch_send_msg`` (``BatchSendMsg``, open-im-server ``internal/api/msg.go``; commit
in docs/vendors/openim.md): one message sent once per receiver.

After gin's binding (``BatchSendMsgReq``: the embedded SendMsg's tags, then ``recvIDs``
required) comes the admin check (1002), the receivers (``isSendAll``: every registered user,
the configured admins first as the server registers them at start), then the content read as
``send_msg`` reads it. Each receiver is then one ``SendMsg`` call with ``recvID`` set: the
message's ``clientMsgID`` is the same for all (the request is built once), its
``serverMsgID`` and time each call's own. A group message (session 3) keeps its ``groupID``,
so the group gets one message per receiver. A call that fails puts the receiver in
``failedUserIDs``; the answer is still a success.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import VendorError
from emulator.vendors.openim.msg import (check_sender_is_admin, deliver, message_id,
                                         read_content)
from emulator.vendors.openim.protocol import Ctx


async def _everyone(ctx: Ctx) -> list[str]:
    """``GetAllUserIDs``: the admins, then the registered users, each once."""
    stored = await ctx.services.store.user_ids()
    return list(dict.fromkeys([*ctx.protocol.tokens.admins, *stored]))


async def batch_send_msg(ctx: Ctx) -> dict[str, Any]:
    """``{"results": [{"serverMsgID", "clientMsgID", "sendTime", "recvID"}] | null,
    "failedUserIDs": [...] | null}``."""
    req = ctx.body
    ctx.call.user = req["sendID"]
    check_sender_is_admin(ctx)
    recv_ids = await _everyone(ctx) if req["isSendAll"] else req["recvIDs"] or []
    element = read_content(req)
    client_msg_id = message_id(req["sendID"], ctx.services.clock.now_ms() + 1)
    results, failed = [], []
    for recv_id in recv_ids:
        try:
            answer = await deliver(ctx, req, element, recv_id, client_msg_id)
        except VendorError:
            failed.append(recv_id)
            continue
        results.append({**answer, "recvID": recv_id})
    return {"results": results or None, "failedUserIDs": failed or None}
