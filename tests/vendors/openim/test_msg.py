"""OpenIM /msg/send_msg, /msg/pull_msg_by_seq and /msg/newest_seq for group chats, checked
against open-im-server's rules (internal/api/msg.go SendMessage, internal/rpc/msg/send.go,
verify.go messageVerification, sync_msg.go PullMessageBySeqs and GetMaxSeq)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.vendors.openim.helpers import ADMIN
from tests.vendors.openim.test_members import make_group

pytestmark = pytest.mark.anyio

SEND = "/msg/send_msg"
PULL = "/msg/pull_msg_by_seq"
NEWEST = "/msg/newest_seq"


def text(group: str = "g-m", sender: str = ADMIN, words: str = "hello", **extra: Any
         ) -> dict[str, Any]:
    return {"sendID": sender, "groupID": group, "sessionType": 3, "contentType": 101,
            "content": {"content": words}, **extra}


def tag(namespace: str, rule: str) -> str:
    field = namespace.rsplit(".", 1)[-1]
    return f"Key: '{namespace}' Error:Field validation for '{field}' failed on the '{rule}' tag"


async def send(openim, body: Any, token: str | None = None) -> Any:
    response = await openim.post(SEND, body, token=token or await openim.admin_token())
    return response.status_code, response.json()


# ---- send_msg: binding (HTTP 400), then the admin check ----------------------------------------

@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "\n".join([tag("SendMsgReq.SendMsg.SendID", "required"),
                    tag("SendMsgReq.SendMsg.Content", "required"),
                    tag("SendMsgReq.SendMsg.ContentType", "required"),
                    tag("SendMsgReq.SendMsg.SessionType", "required")])),
    ({**text(), "groupID": ""}, tag("SendMsgReq.SendMsg.GroupID",
                                    "required_if=SessionType 2|required_if=SessionType 3")),
    ({**text(), "sessionType": 1}, tag("SendMsgReq.RecvID", "required_if")),
    ({**text(), "content": None}, tag("SendMsgReq.SendMsg.Content", "required")),
    ({**text(), "content": "hi"}, "json: cannot unmarshal string into Go struct field "
                                  "SendMsgReq.content of type map[string]interface {}"),
    ({**text(), "sessionType": "3"}, "json: cannot unmarshal string into Go struct field "
                                     "SendMsgReq.sessionType of type int32"),
])
async def test_send_bind_errors_are_http_400(openim, body: Any, dlt: str) -> None:
    status, answer = await send(openim, body)
    assert status == 400
    assert answer == {"errCode": 1001, "errMsg": "ArgsError", "errDlt": dlt}


@pytest.mark.parametrize(("raw", "dlt"), [(b"", "EOF"), (b'{"sendID":', "unexpected EOF")])
async def test_send_decoder_errors(openim, raw: bytes, dlt: str) -> None:
    response = await openim.post(SEND, raw=raw, token=await openim.admin_token())
    assert (response.status_code, response.json()["errDlt"]) == (400, dlt)


async def test_send_reads_the_first_json_value_only(openim) -> None:
    await make_group(openim)
    raw = json.dumps(text()).encode() + b" trailing"
    response = await openim.post(SEND, raw=raw, token=await openim.admin_token())
    assert response.json()["errCode"] == 0


async def test_send_binding_comes_before_the_admin_check(openim) -> None:
    user = await openim.user_token("alice")
    assert (await send(openim, {}, user))[0] == 400
    status, answer = await send(openim, text(sender="alice"), user)
    assert status == 200
    assert answer == {"errCode": 1002, "errMsg": "NoPermissionError",
                      "errDlt": "only app manager can send message"}


# ---- send_msg: content per contentType --------------------------------------------------------

@pytest.mark.parametrize(("content_type", "content", "code", "dlt"), [
    (100, {}, 1001, "unsupported content type, contentType=100"),
    (101, {}, 500, tag("TextElem.Content", "required")),
    (101, {"content": ""}, 500, tag("TextElem.Content", "required")),
    (110, {"description": "d"}, 500, tag("CustomElem.Data", "required")),
    (105, {"fileName": "a"}, 500, "\n".join([tag("FileElem.SourceURL", "required"),
                                              tag("FileElem.FileSize", "required")])),
    (103, {"sourceUrl": "u", "duration": -1}, 500, tag("SoundElem.Duration", "min")),
    (101, {"content": {"a": 1}}, 500,
     "1 error(s) decoding:\n\n* 'Content' expected type 'string', got unconvertible type "
     "'map[string]interface {}', value: 'map[a:1]'"),
])
async def test_send_content_checks(openim, content_type: int, content: Any, code: int,
                                   dlt: str) -> None:
    await make_group(openim)
    _, answer = await send(openim, {**text(), "contentType": content_type, "content": content})
    assert (answer["errCode"], answer["errDlt"]) == (code, dlt)
    if code == 500:
        assert answer["errMsg"] == "ServerInternalError"


async def test_send_notification_session_needs_oa_content(openim) -> None:
    await make_group(openim)
    _, answer = await send(openim, {**text(), "sessionType": 4, "recvID": "alice"})
    assert (answer["errCode"], answer["errDlt"]) == (
        1001, "notification msg must have correct session type and content type")


async def test_send_unknown_session_type(openim) -> None:
    await make_group(openim)
    _, answer = await send(openim, {**text(), "sessionType": 2})
    assert (answer["errCode"], answer["errDlt"]) == (1001, "unknown sessionType")


# ---- send_msg: the group checks --------------------------------------------------------------

async def test_send_answers_ids_and_logs_the_message(openim) -> None:
    await make_group(openim)
    status, answer = await send(openim, text(words="hi all"))
    assert status == 200
    data = answer["data"]
    assert list(data) == ["serverMsgID", "clientMsgID", "sendTime"]
    assert len(data["serverMsgID"]) == 32 and len(data["clientMsgID"]) == 32
    # Seq 1 is the group's creation notification (1501), as on the real server.
    [created, logged] = openim.emulator.messages(group="g-m")
    assert (created["seq"], created["kind"], created["body"]["contentType"]) == (
        1, "system", 1501)
    assert data["sendTime"] == logged["time"] == logged["body"]["sendTime"]
    assert (logged["seq"], logged["sender"], logged["vendor"], logged["type"], logged["kind"]) == (
        2, ADMIN, "openim", "text", "message")
    assert logged["body"]["content"] == {"content": "hi all"}
    assert logged["body"]["clientMsgID"] == data["clientMsgID"]


async def test_send_keeps_a_given_send_time(openim) -> None:
    await make_group(openim)
    _, answer = await send(openim, text(sendTime=1234))
    assert answer["data"]["sendTime"] == 1234


@pytest.mark.parametrize(("sender", "code"), [
    ("alice", 0), ("bob", 0), ("carol", 0), ("frank", 1203), ("ghost", 1203)])
async def test_send_as_members_and_non_members(openim, sender: str, code: int) -> None:
    await make_group(openim)
    _, answer = await send(openim, text(sender=sender))
    assert answer["errCode"] == code
    if code:
        assert answer["errMsg"] == "NotInGroupYetError"


async def test_send_unknown_and_dismissed_groups(openim) -> None:
    _, answer = await send(openim, text(group="nope"))
    assert (answer["errCode"], answer["errDlt"]) == (1004, "record not found")
    await make_group(openim)
    admin = await openim.admin_token()
    await openim.call("/group/dismiss_group", {"groupID": "g-m"}, admin)
    _, answer = await send(openim, text(sender="alice"))
    assert (answer["errCode"], answer["errMsg"]) == (1204, "DismissedAlreadyError")


async def test_send_muted_member_and_muted_group(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    await openim.call("/group/mute_group_member",
                      {"groupID": "g-m", "userID": "carol", "mutedSeconds": 60}, admin)
    _, answer = await send(openim, text(sender="carol"))
    assert (answer["errCode"], answer["errMsg"]) == (1402, "MutedInGroup")
    openim.emulator.services.clock.advance(61)
    assert (await send(openim, text(sender="carol")))[1]["errCode"] == 0
    await openim.call("/group/mute_group", {"groupID": "g-m"}, admin)
    _, answer = await send(openim, text(sender="dave"))
    assert (answer["errCode"], answer["errMsg"]) == (1403, "MutedGroup")
    for sender in ("alice", "bob", ADMIN):  # owner, group admin, app admin
        assert (await send(openim, text(sender=sender)))[1]["errCode"] == 0


async def test_online_only_is_not_kept(openim) -> None:
    await make_group(openim)
    _, answer = await send(openim, text(isOnlineOnly=True))
    assert answer["errCode"] == 0
    assert [m["kind"] for m in openim.emulator.messages(group="g-m")] == ["system"]


# ---- pull_msg_by_seq and newest_seq ------------------------------------------------------------

async def fill(openim, count: int) -> None:
    await make_group(openim)
    for i in range(count):
        assert (await send(openim, text(words=f"m{i + 1}")))[1]["errCode"] == 0


async def pull(openim, user: str, *ranges: tuple[str, int, int, int], order: int = 0,
               token: str | None = None) -> Any:
    body = {"userID": user, "order": order, "seqRanges": [
        {"conversationID": c, "begin": b, "end": e, "num": n} for c, b, e, n in ranges]}
    return await openim.call(PULL, body, token or await openim.admin_token())


def words(pulled: dict[str, Any]) -> list[str]:
    """Each message's text, a notification as ``#<contentType>``."""
    return [f"#{m['contentType']}" if m["contentType"] >= 1000
            else json.loads(base64.b64decode(m["content"]))["content"] for m in pulled["Msgs"]]


async def test_pull_answers_capitalised_msgs(openim) -> None:
    await fill(openim, 3)
    answer = await pull(openim, "carol", ("sg_g-m", 1, 100, 100))
    assert answer["errCode"] == 0
    pulled = answer["data"]["msgs"]["sg_g-m"]
    assert list(pulled) == ["Msgs", "isEnd", "endSeq"]
    assert words(pulled) == ["#1501", "m1", "m2", "m3"]
    assert (pulled["isEnd"], pulled["endSeq"]) == (True, 0)
    first = pulled["Msgs"][1]
    assert list(first) == ["sendID", "recvID", "groupID", "clientMsgID", "serverMsgID",
                           "senderPlatformID", "senderNickname", "senderFaceURL", "sessionType",
                           "msgFrom", "contentType", "content", "seq", "sendTime",
                           "createTime", "status", "isRead", "offlinePushInfo",
                           "atUserIDList", "attachedInfo", "ex"]
    assert (first["seq"], first["status"], first["msgFrom"], first["sessionType"]) == (
        2, 2, 200, 3)
    assert base64.b64decode(first["content"]) == b'{"content":"m1"}'


async def test_pull_clips_ranges_and_takes_the_last_num(openim) -> None:
    await fill(openim, 5)
    answer = await pull(openim, "carol", ("sg_g-m", 2, 4, 2))
    pulled = answer["data"]["msgs"]["sg_g-m"]
    assert words(pulled) == ["m2", "m3"]  # seqs 3 and 4: seq 1 is the creation notice
    assert pulled["isEnd"] is False  # asc: the newest (6) is past end
    answer = await pull(openim, "carol", ("sg_g-m", 1, 9, 100), order=1)
    assert words(answer["data"]["msgs"]["sg_g-m"]) == ["#1501", "m1", "m2", "m3", "m4", "m5"]
    assert answer["data"]["msgs"]["sg_g-m"]["isEnd"] is False  # desc: begin 1 > min seq 0
    answer = await pull(openim, "carol", ("sg_g-m", 0, 9, 100), order=1)
    pulled = answer["data"]["msgs"]["sg_g-m"]
    # The conversation's min seq is 0: seq 0 has no message and reads as deleted.
    assert [m["seq"] for m in pulled["Msgs"]] == [0, 1, 2, 3, 4, 5, 6]
    assert (pulled["Msgs"][0]["status"], pulled["isEnd"]) == (4, True)


@pytest.mark.parametrize("ranges", [
    [("sg_g-m", 1, 3, 0)],          # num 0: nothing
    [("sg_g-m", 9, 12, 10)],        # past the newest: end < begin, skipped
    [("sg_nope", 1, 3, 10)],        # no such conversation
    [("n_sg_g-m", 1, 3, 10)],       # a notification conversation
    [("si_alice_bob", 1, 3, 10)],   # a single chat
])
async def test_pull_leaves_out_ranges_with_nothing(openim, ranges: list[Any]) -> None:
    await fill(openim, 3)
    answer = await pull(openim, "carol", *ranges)
    assert answer == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {}}


async def test_pull_for_a_non_member_and_permissions(openim) -> None:
    await fill(openim, 2)
    assert (await pull(openim, "frank", ("sg_g-m", 1, 2, 10)))["data"] == {}
    assert (await pull(openim, ADMIN, ("sg_g-m", 1, 2, 10)))["data"] == {}
    own = await pull(openim, "carol", ("sg_g-m", 1, 2, 10),
                     token=await openim.user_token("carol"))
    assert words(own["data"]["msgs"]["sg_g-m"]) == ["#1501", "m1"]
    other = await pull(openim, "carol", ("sg_g-m", 1, 2, 10),
                       token=await openim.user_token("dave"))
    assert other["errCode"] == 1002


async def test_pull_evicted_seqs_read_as_deleted(openim) -> None:
    await fill(openim, 2)
    openim.emulator.services.store.raw.execute("DELETE FROM messages WHERE seq = 1")
    pulled = (await pull(openim, "carol", ("sg_g-m", 1, 2, 10)))["data"]["msgs"]["sg_g-m"]
    gone = pulled["Msgs"][0]
    assert (gone["seq"], gone["status"], gone["content"], gone["sendID"]) == (1, 4, None, "")


async def test_newest_seq(openim) -> None:
    await fill(openim, 3)
    await make_group(openim, "g-empty")
    answer = await openim.call(NEWEST, {"userID": "carol"}, await openim.admin_token())
    # Each group's creation notice takes seq 1.
    assert answer["data"] == {"maxSeqs": {"sg_g-empty": 1, "sg_g-m": 4}}
    assert (await openim.call(NEWEST, {"userID": "frank"},
                              await openim.admin_token()))["data"] == {}
    denied = await openim.call(NEWEST, {"userID": "carol"}, await openim.user_token("dave"))
    assert denied["errCode"] == 1002
