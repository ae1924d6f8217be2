"""OpenIM's /msg/batch_send_msg: gin's binding of BatchSendMsgReq (HTTP 400), the admin check,
then one SendMsg per receiver with recvID set, failures listed in failedUserIDs
(open-im-server internal/api/msg.go BatchSendMsg, pkg/apistruct/msg.go)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.openim.helpers import ADMIN
from tests.vendors.openim.test_members import make_group
from tests.vendors.openim.test_msg import tag, text

pytestmark = pytest.mark.anyio

BATCH = "/msg/batch_send_msg"


async def batch(openim, body: Any, token: str | None = None) -> tuple[int, Any]:
    response = await openim.post(BATCH, body, token=token or await openim.admin_token())
    return response.status_code, response.json()


@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "\n".join([tag("BatchSendMsgReq.SendMsg.SendID", "required"),
                    tag("BatchSendMsgReq.SendMsg.Content", "required"),
                    tag("BatchSendMsgReq.SendMsg.ContentType", "required"),
                    tag("BatchSendMsgReq.SendMsg.SessionType", "required"),
                    tag("BatchSendMsgReq.RecvIDs", "required")])),
    (text(), tag("BatchSendMsgReq.RecvIDs", "required")),
    ({**text(), "groupID": "", "recvIDs": []}, tag(
        "BatchSendMsgReq.SendMsg.GroupID", "required_if=SessionType 2|required_if=SessionType 3")),
])
async def test_binding_errors_are_http_400(openim, body: Any, dlt: str) -> None:
    status, answer = await batch(openim, body)
    assert (status, answer) == (400, {"errCode": 1001, "errMsg": "ArgsError", "errDlt": dlt})


async def test_only_an_admin_sends(openim) -> None:
    await make_group(openim)
    status, answer = await batch(openim, {**text(sender="alice"), "recvIDs": ["carol"]},
                                 await openim.user_token("alice"))
    assert (status, answer) == (200, {"errCode": 1002, "errMsg": "NoPermissionError",
                                      "errDlt": "only app manager can send message"})


async def test_a_group_message_is_sent_once_per_receiver(openim) -> None:
    await make_group(openim)
    status, answer = await batch(openim, {**text(words="hey"), "recvIDs": ["carol", "dave"]})
    assert status == 200 and answer["errCode"] == 0, answer
    results = answer["data"]["results"]
    assert list(answer["data"]) == ["results", "failedUserIDs"]
    assert answer["data"]["failedUserIDs"] is None
    assert [r["recvID"] for r in results] == ["carol", "dave"]
    assert list(results[0]) == ["serverMsgID", "clientMsgID", "sendTime", "recvID"]
    # The request is built once: one clientMsgID; each call its own serverMsgID.
    assert results[0]["clientMsgID"] == results[1]["clientMsgID"]
    assert results[0]["serverMsgID"] != results[1]["serverMsgID"]
    logged = [m for m in openim.emulator.messages(group="g-m") if m["kind"] == "message"]
    assert [(m["body"]["recvID"], m["body"]["content"]) for m in logged] == [
        ("carol", {"content": "hey"}), ("dave", {"content": "hey"})]
    assert [m["body"]["serverMsgID"] for m in logged] == [r["serverMsgID"] for r in results]


async def test_failures_are_listed_and_the_rest_sent(openim) -> None:
    await make_group(openim)
    # A sender outside the group fails every call (1203), yet the answer is a success.
    status, answer = await batch(openim, {**text(sender="erin"), "recvIDs": ["carol", "dave"]})
    assert (status, answer["errCode"]) == (200, 0)
    assert answer["data"] == {"results": None, "failedUserIDs": ["carol", "dave"]}
    assert [m for m in openim.emulator.messages(group="g-m") if m["kind"] == "message"] == []
    # An unknown group too.
    _, unknown = await batch(openim, {**text(group="nope"), "recvIDs": ["x"]})
    assert unknown["data"] == {"results": None, "failedUserIDs": ["x"]}


async def test_content_errors_come_before_any_send(openim) -> None:
    await make_group(openim)
    _, answer = await batch(openim, {**text(), "contentType": 7, "recvIDs": ["carol"]})
    assert answer == {"errCode": 1001, "errMsg": "ArgsError",
                      "errDlt": "unsupported content type, contentType=7"}


async def test_single_chats_are_accepted_not_logged(openim) -> None:
    _, answer = await batch(openim, {"sendID": ADMIN, "sessionType": 1, "contentType": 101,
                                     "content": {"content": "hi"}, "recvIDs": ["carol"]})
    assert [r["recvID"] for r in answer["data"]["results"]] == ["carol"]


async def test_send_all_goes_to_every_registered_user(openim) -> None:
    _, answer = await batch(openim, {"sendID": ADMIN, "sessionType": 1, "contentType": 101,
                                     "content": {"content": "hi"}, "recvIDs": [],
                                     "isSendAll": True})
    receivers = [r["recvID"] for r in answer["data"]["results"]]
    stored = await openim.emulator.services.store.user_ids()
    assert receivers == [ADMIN, *stored]
    assert {"alice", "carol"} <= set(receivers)


async def test_an_empty_receiver_list_sends_nothing(openim) -> None:
    await make_group(openim)
    _, answer = await batch(openim, {**text(), "recvIDs": []})
    assert answer["data"] == {"results": None, "failedUserIDs": None}
