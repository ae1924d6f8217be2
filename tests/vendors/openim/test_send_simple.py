"""OpenIM's /msg/send_simple_msg: the webhook key in the query string (base64 JSON), the body
bound by gin, the sender's access, then a markdown message sent like send_msg (open-im-server
internal/api/msg.go SendSimpleMessage, internal/rpc/msg/send.go SendSimpleMsg and SendMsg,
pkg/apistruct/msg.go)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.vendors.openim.helpers import ADMIN
from tests.vendors.openim.test_members import make_group
from tests.vendors.openim.test_msg import tag

pytestmark = pytest.mark.anyio

SIMPLE = "/msg/send_simple_msg"


def key(**fields: str) -> str:
    return base64.b64encode(json.dumps(fields).encode()).decode()


async def simple(openim, query: str, body: Any, token: str | None = None) -> tuple[int, Any]:
    response = await openim.post(f"{SIMPLE}{query}", body,
                                 token=token or await openim.admin_token())
    return response.status_code, response.json()


def args(dlt: str) -> dict[str, Any]:
    return {"errCode": 1001, "errMsg": "ArgsError", "errDlt": dlt}


@pytest.mark.parametrize(("query", "dlt"), [
    ("", "missing key in query"),
    ("?other=1", "missing key in query"),
    ("?key=YWI", "illegal base64 data at input byte 0"),
    ("?key=YQ=", "illegal base64 data at input byte 3"),
    ("?key=YW!j", "illegal base64 data at input byte 2"),
])
async def test_the_key_is_read_before_the_body(openim, query: str, dlt: str) -> None:
    # The body is not even valid: the key's error comes first, on HTTP 200.
    assert await simple(openim, query, {"content": 5}) == (200, args(dlt))


async def test_the_body_is_bound_then_the_key_decoded(openim) -> None:
    status, answer = await simple(openim, "?key=" + key(sendID="a"), {})
    assert (status, answer) == (400, args(tag("SendSingleMsgReq.Content", "required")))
    # An empty key decodes to nothing: json.Unmarshal's error, after the binding.
    assert await simple(openim, "?key=", {"content": "hi"}) == (
        200, args("unexpected end of JSON input"))
    bad = base64.b64encode(b'{"sendID": 5}').decode()
    assert await simple(openim, "?key=" + bad, {"content": "hi"}) == (200, args(
        "json: cannot unmarshal number into Go struct field KeyMsgData.sendID of type string"))


async def test_key_checks(openim) -> None:
    _, missing = await simple(openim, "?key=" + key(groupID="g-m"),
                              {"content": "hi", "sendID": ADMIN})
    assert missing == args("missing recvID or GroupID")
    _, no_sender = await simple(openim, "?key=" + key(sendID="x", groupID="g-m"),
                                {"content": "hi"})
    assert no_sender == args("missing sendID")
    _, unknown = await simple(openim, "?key=" + key(sendID="x", groupID="g-m"),
                              {"content": "hi", "sendID": "ghost"})
    assert unknown == {"errCode": 1004, "errMsg": "RecordNotFoundError",
                       "errDlt": "record not found"}


async def test_a_group_markdown_message_is_logged(openim) -> None:
    await make_group(openim)
    status, answer = await simple(openim, "?key=" + key(sendID="x", groupID="g-m"),
                                  {"content": "# hi", "sendID": "carol", "ex": "e"})
    assert (status, answer["errCode"]) == (200, 0), answer
    assert list(answer["data"]) == ["serverMsgID", "clientMsgID", "sendTime"]
    [logged] = [m for m in openim.emulator.messages(group="g-m") if m["kind"] == "message"]
    body = logged["body"]
    carol = await openim.emulator.services.store.get_user("carol")
    assert (logged["sender"], body["contentType"], body["msgFrom"], body["senderPlatformID"]) == (
        "carol", 118, 100, 10)
    # MarkdownTextElem has no JSON tags: its key is Go's field name.
    assert body["content"] == {"Content": "# hi"}
    assert (body["senderNickname"], body["ex"]) == (carol.name, "e")
    assert body["serverMsgID"] == answer["data"]["serverMsgID"]


async def test_a_user_may_send_as_themself_only(openim) -> None:
    await make_group(openim)
    query = "?key=" + key(sendID="x", groupID="g-m")
    _, own = await simple(openim, query, {"content": "mine", "sendID": "carol"},
                          await openim.user_token("carol"))
    assert own["errCode"] == 0, own
    _, other = await simple(openim, query, {"content": "theirs", "sendID": "dave"},
                            await openim.user_token("carol"))
    assert other == {"errCode": 1002, "errMsg": "NoPermissionError",
                     "errDlt": "ownerUserID, dave=MISSING"}
    # The group's own checks follow: a sender outside the group is 1203.
    _, outside = await simple(openim, query, {"content": "x", "sendID": "erin"})
    assert outside["errCode"] == 1203


async def test_a_single_chat_is_sent_from_the_keys_receiver(openim) -> None:
    # Without a groupID the key's recvID is the sender, so carol's token may send it.
    status, answer = await simple(openim, "?key=" + key(sendID="dave", recvID="carol"),
                                  {"content": "hi"}, await openim.user_token("carol"))
    assert (status, answer["errCode"]) == (200, 0), answer
    _, denied = await simple(openim, "?key=" + key(sendID="carol", recvID="dave"),
                             {"content": "hi"}, await openim.user_token("carol"))
    assert denied["errCode"] == 1002


@pytest.mark.parametrize("content", [None, 5, [], {}])
async def test_a_content_of_another_type_is_a_decode_error_on_http_400(openim,
                                                                       content: Any) -> None:
    status, answer = await simple(openim, "?key=" + key(sendID="a"), {"content": content})
    assert status == 400 and answer["errCode"] == 1001, answer
