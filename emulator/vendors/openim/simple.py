"""``/msg/send_simple_msg`` (``SendSimpleMessage``, open-im-server ``internal/api/msg.go``
and ``internal/rpc/msg/send.go`` ``SendSimpleMsg``; commit in docs/vendors/openim.md): a
markdown message (118) addressed by a webhook key, base64 JSON ``{"sendID", "recvID",
"groupID"}`` in the query string.

No admin check: the sender must be the caller or the caller an admin (``SendMsg``'s
``CheckAccess``). With a ``groupID`` the message goes to that group from the body's
``sendID``; without, it is a single chat from the key's ``recvID`` to its ``sendID`` (as the
server swaps them). The content is ``MarkdownTextElem`` marshalled as Go does, a struct
without JSON tags, so its key is ``Content``. ``senderPlatformID`` 10, ``msgFrom`` 100, the
sender's nickname and face from their user.
"""

from __future__ import annotations

from typing import Any

from emulator.vendors.openim import errors as e
from emulator.vendors.openim.binding import BindError, bind
from emulator.vendors.openim.gojson import GoSyntaxError, parse
from emulator.vendors.openim.messages import KEY_MSG_DATA, READ_GROUP_CHAT, SINGLE_CHAT
from emulator.vendors.openim.msg import deliver, message_id
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.webhook import WEBHOOK_KEY

MARKDOWN_TEXT = 118
USER_MESSAGE = 100  # msgFrom: constant.UserMsgType
ADMIN_PLATFORM_ID = 10


async def _sender(ctx: Ctx, user_id: str) -> tuple[str, str]:
    """The sender's nickname and face (``UserLocalCache.GetUserInfo``): 1004 ``record not
    found`` for an unregistered user; a configured admin's nickname is its id."""
    user = await ctx.services.store.get_user(user_id)
    if user is not None:
        return user.name, user.face_url
    if ctx.protocol.tokens.is_admin(user_id):
        return user_id, ""
    raise e.oim_error(e.RECORD_NOT_FOUND, "record not found")


async def send_simple_msg(ctx: Ctx) -> dict[str, Any]:
    """The key read as ``json.Unmarshal`` reads it (1001 with Go's error), 1001 ``missing
    recvID or GroupID`` (the key's sendID empty), 1001 ``missing sendID``, the sender (1004),
    then ``SendMsg`` as ``send_msg`` delivers; ``{"serverMsgID", "clientMsgID", "sendTime"}``."""
    req = ctx.body
    try:
        key = bind(parse(ctx.request.notes[WEBHOOK_KEY]), KEY_MSG_DATA)
    except (GoSyntaxError, BindError) as exc:
        raise e.oim_error(e.ARGS, str(exc)) from None
    if key["groupID"] != "":
        session, send_id, recv_id = READ_GROUP_CHAT, req["sendID"], ""
    else:
        session, send_id, recv_id = SINGLE_CHAT, key["recvID"], key["sendID"]
    ctx.call.user = send_id
    if key["sendID"] == "":
        raise e.oim_error(e.ARGS, "missing recvID or GroupID")
    if send_id == "":
        raise e.oim_error(e.ARGS, "missing sendID")
    nickname, face_url = await _sender(ctx, send_id)
    message = {
        "sendID": send_id, "groupID": key["groupID"], "sessionType": session,
        "contentType": MARKDOWN_TEXT, "content": {"Content": req["content"]},
        "senderPlatformID": ADMIN_PLATFORM_ID, "senderNickname": nickname,
        "senderFaceURL": face_url, "sendTime": 0, "isOnlineOnly": False,
        "notOfflinePush": False, "offlinePushInfo": req["offlinePushInfo"], "ex": req["ex"]}
    client_msg_id = message_id(send_id, ctx.services.clock.now_ms() + 1)
    return await deliver(ctx, message, {}, recv_id, client_msg_id, msg_from=USER_MESSAGE)
