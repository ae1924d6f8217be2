"""Group history, ``/v3/message/group/query.json``: a JSON body (values as strings, as the Go SDK
sends them, or typed, as the Java SDK does), a time window in milliseconds with
``includeStart``, ``pageSize`` 1–100 (default 10), the oldest message first, and only what the
cloud storage keeps (not ``isPersisted=0``, not targeted, not recalled)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest


pytestmark = pytest.mark.anyio

PUBLISH = "/message/group/publish.json"
QUERY = "/v3/message/group/query.json"
JSON_TYPE = {"Content-Type": "application/json"}


async def query(rongcloud: Any, **fields: Any) -> tuple[int, dict[str, Any]]:
    body = {"userId": "alice", "targetId": "g-hiking", "includeStart": "true", **fields}
    response = await rongcloud.emulator.client.post(QUERY, content=json.dumps(body),
                                                    auth=rongcloud.auth, headers=JSON_TYPE)
    return response.status_code, response.json()


async def send(im_emulator: Any, rongcloud: Any, text: str, extra: str = "") -> tuple[int, str]:
    """Publish one message a second apart; its time and UID."""
    im_emulator.clock.advance(1)
    content = quote(json.dumps({"content": text}))
    status, answer = await rongcloud.call(
        PUBLISH, f"fromUserId=bob&toGroupId=g-hiking&objectName=RC:TxtMsg&content={content}"
                 f"{extra}")
    assert status == 200
    return im_emulator.services.clock.now_ms(), answer["messageUIDs"][0]["messageUID"]


async def test_the_window_oldest_first_with_publish_uids(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    sent = [await send(im_emulator, rongcloud, f"m{i}", "&expansion=true&extraContent=%7B%7D")
            for i in range(3)]
    status, answer = await query(rongcloud, startTime=str(sent[0][0]), endTime=str(sent[2][0]))
    assert status == 200 and list(answer) == ["code", "data"]
    assert answer["data"][0] == {
        "targetId": "g-hiking", "fromUserId": "bob", "messageUID": sent[0][1],
        "msgTime": sent[0][0], "objectName": "RC:TxtMsg", "content": '{"content": "m0"}',
        "expansion": True, "extraContent": "{}"}
    assert [item["messageUID"] for item in answer["data"]] == [uid for _, uid in sent]
    _, without_start = await query(rongcloud, startTime=sent[0][0], endTime=sent[2][0],
                                   includeStart=False)     # typed, as the Java SDK sends it
    assert [item["msgTime"] for item in without_start["data"]] == [sent[1][0], sent[2][0]]


async def test_page_size_defaults_to_10_and_is_at_most_100(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    sent = [await send(im_emulator, rongcloud, f"m{i}") for i in range(12)]
    window = {"startTime": sent[0][0], "endTime": sent[-1][0]}
    _, answer = await query(rongcloud, **window)
    assert [item["messageUID"] for item in answer["data"]] == [uid for _, uid in sent[:10]]
    _, answer = await query(rongcloud, **window, pageSize="3")
    assert len(answer["data"]) == 3
    assert len((await query(rongcloud, **window, pageSize=100))[1]["data"]) == 12
    for size in (0, 101, "x"):
        status, answer = await query(rongcloud, **window, pageSize=size)
        assert status == 400 and answer["code"] == 1002


async def test_only_stored_messages_are_listed(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    first, _ = await send(im_emulator, rongcloud, "kept")
    await send(im_emulator, rongcloud, "not stored", "&isPersisted=0")
    await send(im_emulator, rongcloud, "targeted", "&toUserId=alice")
    _, recalled_uid = await send(im_emulator, rongcloud, "recalled")
    last, _ = await send(im_emulator, rongcloud, "channel", "&busChannel=c1")
    seq = [m["seq"] for m in im_emulator.messages(group="g-hiking")][3]
    await im_emulator.services.store.recall_message("g-hiking", seq)
    _, answer = await query(rongcloud, startTime=first, endTime=last)
    assert [json.loads(item["content"])["content"] for item in answer["data"]] == [
        "kept", "channel"]
    assert recalled_uid not in {item["messageUID"] for item in answer["data"]}
    _, channel = await query(rongcloud, startTime=first, endTime=last, busChannel="c1")
    assert [item.get("busChannel") for item in channel["data"]] == ["c1"]


async def test_other_vendors_messages_read_as_text(im_emulator, rongcloud) -> None:
    now = im_emulator.services.clock.now_ms()
    await im_emulator.services.store.append_message(
        "g-hiking", sender="carol", vendor="elsewhere", type="1", body={"text": "hi"},
        now_ms=now)
    _, answer = await query(rongcloud, startTime=now, endTime=now)
    [item] = answer["data"]
    assert (item["objectName"], item["fromUserId"]) == ("RC:TxtMsg", "carol")
    assert json.loads(json.loads(item["content"])["content"]) == {"text": "hi"}


async def test_unknown_groups_answer_no_data(rongcloud) -> None:
    assert await query(rongcloud, targetId="nowhere", startTime=1, endTime=2) == (
        200, {"code": 200, "data": []})


@pytest.mark.parametrize("missing", ["userId", "targetId", "startTime", "endTime",
                                     "includeStart"])
async def test_required_fields(rongcloud, missing: str) -> None:
    fields = {"userId": "alice", "targetId": "g-hiking", "startTime": 1, "endTime": 2,
              "includeStart": True}
    fields[missing] = ""
    assert await query(rongcloud, **fields) == rongcloud.required(missing)


async def test_bad_bodies_get_1002(rongcloud) -> None:
    assert await query(rongcloud, startTime=5, endTime=4) == (400, {
        "code": 1002, "errorMessage": "Paramer 'startTime' is invalid: must not be after endTime"})
    assert await query(rongcloud, startTime=[1], endTime=4) == (400, {
        "code": 1002,
        "errorMessage": "Paramer 'startTime' is invalid: must be a string, a number or a boolean"})
    for body in (b"[1]", b"{not json", b"userId=alice"):
        assert await rongcloud.call(QUERY, body) == (
            400, {"code": 1002, "errorMessage": "The body is not a valid JSON object."})
    assert await rongcloud.call(QUERY, b"") == (400, {"code": 1003, "errorMessage": "No POST data."})

