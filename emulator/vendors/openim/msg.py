"""``/msg/send_msg``, ``/msg/pull_msg_by_seq`` and ``/msg/newest_seq`` for group chats,
with open-im-server's checks in its order (``internal/api/msg.go`` ``SendMessage``,
``internal/rpc/msg/send.go``, ``verify.go``, ``sync_msg.go``; commit in docs/vendors/openim.md).

A group message goes to the store's message log (vendor "openim", seq = the group's next
seq; the group notifications of ``notices`` take seqs in the same log); its body is the
message as OpenIM keeps it (``sdkws.MsgData`` without ``seq``, its
``content`` the decoded JSON object rather than the string). A group's conversation id is
``sg_<groupID>``; a user has it while a member of the group.
"""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any

from emulator.store.errors import GroupDismissed, GroupNotFound
from emulator.store.models import JoinedQuery
from emulator.store.models import Message as StoredMessage
from emulator.vendors.openim import elems
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import check_access, is_admin
from emulator.vendors.openim.mapping import dismissed_already, group_info, record_not_found
from emulator.vendors.openim.messages import NOTIFICATION_CHAT, READ_GROUP_CHAT, SINGLE_CHAT
from emulator.vendors.openim.protocol import Ctx

VENDOR = "openim"
SYSTEM_MESSAGE = 200  # msgFrom: constant.SysMsgType (what the REST API sends as)
STATUS_SEND_SUCCESS = 2  # what msgtransfer stores
STATUS_HAS_DELETED = 4  # a seq with no message (evicted)
GROUP_STATUS_MUTED = 3
SUPER_GROUP = 1
GROUP_DISMISSED_NOTIFICATION = 1511
GROUP_CONVERSATION = "sg_"
NOTIFICATION_PREFIX = "n_"
PULL_ASC, PULL_DESC = 0, 1


def message_id(send_id: str, now_ms: int) -> str:
    """An id like OpenIM's (the md5 of a time, the sender and a random number)."""
    seed = f"{now_ms}-{send_id}-{random.getrandbits(63)}".encode()
    return hashlib.md5(seed).hexdigest()


def _options(req: dict[str, Any]) -> dict[str, bool]:
    """``newUserSendMsgReq``'s options: isOnlineOnly turns history, persistence, sender sync
    and conversation update off; notOfflinePush turns offline push off."""
    options: dict[str, bool] = {}
    if req["isOnlineOnly"]:
        for key in ("history", "persistent", "senderSync", "conversationUpdate"):
            options[key] = False
    if req["notOfflinePush"]:
        options["offlinePush"] = False
    return options


async def _verify_group(ctx: Ctx, req: dict[str, Any], now_ms: int) -> None:
    """``messageVerification`` for a group chat."""
    store = ctx.services.store
    group = await store.get_group(req["groupID"])
    if group is None:
        raise record_not_found()
    content_type = req["contentType"]
    if group.status == "dismissed" and content_type != GROUP_DISMISSED_NOTIFICATION:
        raise dismissed_already()
    info = group_info(group)
    if info["groupType"] == SUPER_GROUP:
        return
    send_id = req["sendID"]
    if ctx.protocol.tokens.is_admin(send_id):
        return
    if elems.NOTIFICATION_BEGIN <= content_type <= elems.NOTIFICATION_END:
        return
    member = await store.member(group.id, send_id)
    if member is None:
        raise e.oim_error(e.NOT_IN_GROUP_YET)
    if member.role == "owner":
        return
    if member.mute_until_ms >= now_ms:
        raise e.oim_error(MUTED_IN_GROUP)
    if info["status"] == GROUP_STATUS_MUTED and member.role != "admin":
        raise e.oim_error(MUTED_GROUP)


MUTED_IN_GROUP = 1402
MUTED_GROUP = 1403


def read_content(req: dict[str, Any]) -> dict[str, Any]:
    """``getSendMsgReq``: the content read for its type (1004 for an OA notification, whose
    sender would have to be a notification account; 1001 an unsupported type; 500 a content
    that does not decode or validate)."""
    content_type = req["contentType"]
    if content_type == elems.OA_NOTIFICATION:
        # The sender must be a notification account (user rpc GetNotificationByID); the
        # emulator has none of those ([U], docs: differences).
        raise record_not_found()
    if content_type not in elems.ELEMENTS:
        raise e.oim_error(e.ARGS, f"unsupported content type, contentType={content_type}")
    try:
        return elems.read_element(content_type, req["content"])
    except elems.ElemError as exc:
        raise e.oim_error(e.SERVER_INTERNAL, str(exc)) from None


async def deliver(ctx: Ctx, req: dict[str, Any], element: dict[str, Any], recv_id: str,
                  client_msg_id: str, msg_from: int = SYSTEM_MESSAGE) -> dict[str, Any]:
    """The msg RPC's ``SendMsg`` of one message to ``recv_id``: the session checks, the
    sender's access, a group message checked and logged; the answer's three ids and time."""
    session = req["sessionType"]
    if session == NOTIFICATION_CHAT:
        raise e.oim_error(e.ARGS, "notification msg must have correct session type and "
                                  "content type")
    check_access(ctx, req["sendID"])
    now_ms = ctx.services.clock.now_ms()
    server_msg_id = message_id(req["sendID"], now_ms)
    send_time = req["sendTime"] or now_ms
    answer = {"serverMsgID": server_msg_id, "clientMsgID": client_msg_id, "sendTime": send_time}
    if session == SINGLE_CHAT:
        # Accepted as the server does; the log holds group messages only (docs: differences).
        return answer
    if session != READ_GROUP_CHAT:
        raise e.oim_error(e.ARGS, "unknown sessionType")
    await _verify_group(ctx, req, now_ms)
    if req["isOnlineOnly"]:
        return answer  # not kept in history (isHistory false)
    content_type = req["contentType"]
    body = {
        "sendID": req["sendID"], "recvID": recv_id, "groupID": req["groupID"],
        "clientMsgID": client_msg_id, "serverMsgID": server_msg_id,
        "senderPlatformID": req["senderPlatformID"], "senderNickname": req["senderNickname"],
        "senderFaceURL": req["senderFaceURL"], "sessionType": session,
        "msgFrom": msg_from, "contentType": content_type, "content": req["content"],
        "sendTime": send_time, "createTime": now_ms, "status": STATUS_SEND_SUCCESS,
        "isRead": False, "options": _options(req), "offlinePushInfo": req["offlinePushInfo"],
        "atUserIDList": element.get("AtUserList") if content_type == elems.AT_TEXT else None,
        "attachedInfo": "", "ex": req["ex"]}
    try:
        await ctx.services.store.append_message(
            req["groupID"], sender=req["sendID"], vendor=VENDOR,
            type=elems.TYPE_NAMES[content_type], body=body, now_ms=now_ms,
            client_id=client_msg_id)
    except GroupNotFound:
        raise record_not_found() from None
    except GroupDismissed:
        raise dismissed_already() from None
    return answer


def check_sender_is_admin(ctx: Ctx) -> None:
    """The send handlers' own admin check (1002)."""
    if not is_admin(ctx):
        raise e.oim_error(e.NO_PERMISSION, "only app manager can send message")


async def send_msg(ctx: Ctx) -> dict[str, Any]:
    """``SendMessage``: an admin token only; the content read for its type; a group message
    checked (dismissed 1204, not a member 1203, muted 1402, muted group 1403) and logged."""
    req = ctx.body
    ctx.call.user = req["sendID"]
    check_sender_is_admin(ctx)
    element = read_content(req)
    client_msg_id = message_id(req["sendID"], ctx.services.clock.now_ms() + 1)
    return await deliver(ctx, req, element, req["recvID"], client_msg_id)


# ---- reading the log back ---------------------------------------------------------------------

MSG_DATA_KEYS = ("sendID", "recvID", "groupID", "clientMsgID", "serverMsgID", "senderPlatformID",
                 "senderNickname", "senderFaceURL", "sessionType", "msgFrom", "contentType",
                 "content", "seq", "sendTime", "createTime", "status", "isRead", "options",
                 "offlinePushInfo", "atUserIDList", "attachedInfo", "ex")


def msg_data(message: StoredMessage) -> dict[str, Any]:
    """A logged message as ``sdkws.MsgData`` (``content`` base64, as Go writes ``[]byte``).
    A message another vendor logged reads as a text message of its body."""
    body = message.body if isinstance(message.body, dict) else {}
    if message.vendor != VENDOR or "contentType" not in body:
        body = {"sendID": message.sender, "groupID": message.group_id,
                "clientMsgID": message.client_id, "serverMsgID": message.client_id,
                "sessionType": READ_GROUP_CHAT, "msgFrom": SYSTEM_MESSAGE - 100,
                "contentType": elems.TEXT, "content": {"content": _as_text(message.body)},
                "sendTime": message.time_ms, "createTime": message.time_ms}
    out: dict[str, Any] = {}
    for key in MSG_DATA_KEYS:
        if key == "seq":
            out[key] = message.seq
        elif key == "content":
            out[key] = base64.b64encode(elems.go_marshal(body.get("content"))).decode()
        elif key == "options":
            if body.get("options"):
                out[key] = dict(sorted(body["options"].items()))
        elif key == "status":
            out[key] = body.get("status", STATUS_SEND_SUCCESS)
        else:
            out[key] = body.get(key, _MSG_ZERO.get(key, ""))
    return out


_MSG_ZERO: dict[str, Any] = {"senderPlatformID": 0, "sessionType": 0, "msgFrom": 0,
                             "contentType": 0, "sendTime": 0, "createTime": 0, "isRead": False,
                             "offlinePushInfo": None, "atUserIDList": None}


def _as_text(body: Any) -> str:
    return body if isinstance(body, str) else elems.go_marshal(body).decode()


def deleted(seq: int) -> dict[str, Any]:
    """What a seq without a message reads as: every field zero, status 4."""
    out = {key: _MSG_ZERO.get(key, "") for key in MSG_DATA_KEYS if key != "options"}
    out.update(seq=seq, status=STATUS_HAS_DELETED, content=None)
    return out


def max_seq(group: Any) -> int:
    """The seq of a group's newest message (0: none yet)."""
    return max(group.next_msg_seq - 1, 0)


async def _group_of(ctx: Ctx, user_id: str, conversation_id: str) -> Any:
    """The group of a user's conversation ``sg_<groupID>`` (None: the user has no such
    conversation)."""
    if not conversation_id.startswith(GROUP_CONVERSATION):
        return None
    group_id = conversation_id[len(GROUP_CONVERSATION):]
    if await ctx.services.store.member(group_id, user_id) is None:
        return None
    return await ctx.services.store.get_group(group_id)


async def pull_msg_by_seq(ctx: Ctx) -> dict[str, Any]:
    """``PullMessageBySeqs``: for each range of a conversation the user has, the messages
    with begin <= seq <= end clipped to what exists (the last ``num`` of them), missing ones
    as status 4; a range with nothing to give is left out. The map values' keys are
    ``Msgs``, ``isEnd`` and ``endSeq`` (the capital M is the proto field's name)."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    found: dict[str, dict[str, Any]] = {}
    store = ctx.services.store
    for seq_range in req["seqRanges"] or []:
        if seq_range is None:
            seq_range = {"conversationID": "", "begin": 0, "end": 0, "num": 0}
        conversation_id = seq_range["conversationID"]
        if conversation_id.startswith(NOTIFICATION_PREFIX):
            continue  # no notification conversation has messages here
        group = await _group_of(ctx, user_id, conversation_id)
        if group is None:
            continue
        min_seq, newest = 0, max_seq(group)
        begin, end, num = seq_range["begin"], seq_range["end"], seq_range["num"]
        if min_seq > end:
            continue
        begin, end = max(begin, min_seq), min(end, newest)
        if end < begin:
            continue  # "seq end < begin", logged and skipped
        seqs = range(begin, end + 1) if end - begin + 1 <= num else range(end - num + 1, end + 1)
        if not seqs:
            continue
        stored = {m.seq: m for m in await store.messages_by_seq(group.id, seqs[0], seqs[-1],
                                                                include_system=True)}
        msgs = [msg_data(stored[seq]) if seq in stored else deleted(seq) for seq in seqs]
        if req["order"] == PULL_ASC:
            is_end = newest <= seq_range["end"]
        elif req["order"] == PULL_DESC:
            is_end = seq_range["begin"] <= min_seq
        else:
            is_end = False
        found[conversation_id] = {"Msgs": msgs, "isEnd": is_end, "endSeq": 0}
    return {"msgs": dict(sorted(found.items()))} if found else {}


async def newest_seq(ctx: Ctx) -> dict[str, Any]:
    """``GetMaxSeq``: the max seq of each group conversation the user has (0s left out)."""
    user_id = ctx.body["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    page = await ctx.services.store.joined(JoinedQuery(
        user_id, include_dismissed=True, group_fields=frozenset({"next_msg_seq"}),
        member_fields=frozenset()))
    seqs = {GROUP_CONVERSATION + row.group.id: max_seq(row.group) for row in page.rows
            if max_seq(row.group) > 0}
    return {"maxSeqs": dict(sorted(seqs.items()))} if seqs else {}
