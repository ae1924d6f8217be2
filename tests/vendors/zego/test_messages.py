"""SendGroupMessage (POST, 10 per second per AppId) and QueryGroupMsg (POST; Limit corrected
into (0, 100], Next from 0, newest first), from ZEGO's "发送群组消息", "MessageBody 说明" and
"查询群聊会话消息列表" pages. g-hiking: alice owner, bob admin, carol, dave, heavy members."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

G = "g-hiking"


def text(message: str = "hello world", **extra) -> dict:
    return {"FromUserId": "carol", "GroupId": G, "MessageType": 1, "Priority": 1,
            "MessageBody": {"Message": message, "ExtendedData": "d"}, **extra}


async def test_send_logs_the_body_as_sent_and_answers_seq_and_id(im_emulator, zego) -> None:
    body = {"Message": "hello world", "ExtendedData": "d",
            "OfflinePush": {"Enable": 0, "Title": "Title", "Content": "Content",
                            "Payload": "data"}}
    data = await zego.call("SendGroupMessage", {
        "FromUserId": "carol", "GroupId": G, "MessageType": 1, "Priority": 1,
        "MessageBody": body, "SendMsgOptions": {"NoUnread": True, "TargetOption": {
            "Inclusive": True, "ReceiverUserIds": ["alice", "bob"]}}})
    assert list(data) == ["Code", "Message", "RequestId", "MsgSeq", "MsgId"]
    assert data["Code"] == 0 and data["MsgSeq"] >= 1 and data["MsgId"] > 0
    logged = im_emulator.messages(group=G, vendor="zego")
    assert [(m["seq"], m["sender"], m["type"], m["body"]) for m in logged] == [
        (data["MsgSeq"], "carol", "1", body)]
    second = await zego.call("SendGroupMessage", text("again"))
    assert second["MsgSeq"] == data["MsgSeq"] + 1 and second["MsgId"] != data["MsgId"]


async def test_custom_and_command_messages(im_emulator, zego) -> None:
    custom = await zego.call("SendGroupMessage", {
        "FromUserId": "alice", "GroupId": G, "MessageType": 200, "SubMsgType": 7,
        "Priority": 2, "SearchedContent": "find me", "MessageBody": {"Message": "{\"x\":1}"}})
    assert custom["Code"] == 0
    command = await zego.call("SendGroupMessage", {
        "FromUserId": "alice", "GroupId": G, "MessageType": 2, "Priority": 3,
        "MessageBody": {"Message": "aGVsbG8=", "IsBase64": 1}})
    assert (command["Code"], command["MsgSeq"]) == (0, 0)
    assert [m["type"] for m in im_emulator.messages(group=G, vendor="zego")] == ["200:7", "2"]
    listed = await zego.call("QueryGroupMsg", {"GroupId": G})
    assert [(m["MsgType"], m["SubMsgType"], m["MsgBody"]) for m in listed["List"]] == [
        (200, 7, "{\"x\":1}")]


@pytest.mark.parametrize(("change", "code"), [
    ({"FromUserId": ""}, 660000002),
    ({"GroupId": "a b"}, 660000002),
    ({"MessageType": 20}, 660000002),
    ({"MessageType": "text"}, 660000002),
    ({"Priority": 0}, 660000002),
    ({"Priority": 4}, 660000002),
    ({"MessageBody": "hello"}, 660000002),
    ({"MessageBody": {"Message": ""}}, 660000002),
    ({"MessageBody": {"Message": "x" * 2049}}, 660400001),
    ({"MessageBody": {"Message": "x", "ExtendedData": "x" * 1025}}, 660400001),
    ({"MessageType": 2, "MessageBody": {"Message": "not base64!", "IsBase64": 1}}, 660000025),
    ({"SubMsgType": 201}, 660000002),
    ({"SearchedContent": "x" * 65}, 660000002),
    ({"SendMsgOptions": {"TargetOption": {"ReceiverUserIds": "alice"}}}, 660000002),
    ({"FromUserId": "ghost"}, 660500002),
    ({"GroupId": "g-nowhere"}, 660600001),
    ({"GroupId": "g-old-project"}, 660600001),
    ({"FromUserId": "erin"}, 660600024),
])
async def test_send_refused(im_emulator, zego, change, code) -> None:
    data = await zego.call("SendGroupMessage", {**text(), **change})
    assert (data["Code"], list(data)) == (code, ["Code", "Message", "RequestId"])
    assert im_emulator.messages(vendor="zego") == []


async def test_sizes_at_their_limits(zego) -> None:
    assert (await zego.call("SendGroupMessage", text("é" * 1024)))["Code"] == 0
    combined = {**text("x" * 5120), "MessageType": 10}
    assert (await zego.call("SendGroupMessage", combined))["Code"] == 0


async def test_muted_sender_is_refused(im_emulator, zego) -> None:
    await zego.get("MuteGroupMembers", FromUserId="alice", GroupId=G, UserIds=["carol"],
                   Duration=60)
    data = await zego.call("SendGroupMessage", text())
    assert (data["Code"], data["Message"]) == (
        660600032, "FromUserId has no permission. FromUserId is muted in the group")
    await zego.get("MuteGroup", FromUserId="alice", GroupId=G, MuteRoleList=[3], Duration=60)
    assert (await zego.call("SendGroupMessage", {**text(), "FromUserId": "dave"}))[
        "Code"] == 660600032
    assert (await zego.call("SendGroupMessage", {**text(), "FromUserId": "bob"}))["Code"] == 0
    im_emulator.clock.advance(60)
    assert (await zego.call("SendGroupMessage", text()))["Code"] == 0


async def test_send_is_limited_to_ten_per_second(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.5)
    codes = [(await zego.call("SendGroupMessage", text(f"m{i}")))["Code"] for i in range(11)]
    assert codes == [0] * 10 + [660300005]
    im_emulator.clock.advance(0.5)
    assert (await zego.call("SendGroupMessage", text()))["Code"] == 0


# ---- QueryGroupMsg -----------------------------------------------------------------------

async def send_many(im_emulator, zego, count: int) -> list[int]:
    """Send ``count`` texts, 0.2 s apart on a frozen clock (under the 10/s limit)."""
    im_emulator.clock.freeze()
    seqs = []
    for i in range(count):
        seqs.append((await zego.call("SendGroupMessage", text(f"m{i}")))["MsgSeq"])
        im_emulator.clock.advance(0.2)
    return seqs


async def test_history_newest_first_in_pages(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    sent = []
    for i in range(7):
        sent.append(await zego.call("SendGroupMessage", text(f"m{i}")))
        im_emulator.clock.advance(0.2)
    first = await zego.call("QueryGroupMsg", {"GroupId": G, "Limit": 3, "Next": 0,
                                              "WithEmptyMsg": 0})
    assert list(first) == ["Code", "Message", "RequestId", "Next", "List"]
    item = first["List"][0]
    assert list(item) == ["Sender", "MsgType", "MsgBody", "MsgId", "MsgSeq", "Payload",
                          "MsgTime", "IsEmpty"]
    assert (item["Sender"], item["MsgType"], item["MsgBody"], item["Payload"],
            item["IsEmpty"]) == ("carol", 1, "m6", "d", 0)
    assert (item["MsgId"], item["MsgSeq"]) == (sent[6]["MsgId"], sent[6]["MsgSeq"])
    bodies = [m["MsgBody"] for m in first["List"]]
    token = first["Next"]
    while token:
        page = await zego.call("QueryGroupMsg", {"GroupId": G, "Limit": 3, "Next": token})
        bodies += [m["MsgBody"] for m in page["List"]]
        token = page["Next"]
    assert bodies == [f"m{i}" for i in range(6, -1, -1)]
    times = [m["MsgTime"] for m in first["List"]]
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize(("limit", "size"), [(0, 10), (-5, 10), (None, 10), (101, 12),
                                             ("2", 2)])
async def test_history_limit_is_corrected(im_emulator, zego, limit, size) -> None:
    await send_many(im_emulator, zego, 12)
    body = {"GroupId": G} if limit is None else {"GroupId": G, "Limit": limit}
    data = await zego.call("QueryGroupMsg", body)
    assert (data["Code"], len(data["List"])) == (0, size)
    assert (data["Next"] == 0) == (size == 12)


async def test_history_recalled_only_with_empty_messages(im_emulator, zego) -> None:
    seqs = await send_many(im_emulator, zego, 3)
    await im_emulator.store.recall_message(G, seqs[1])
    plain = await zego.call("QueryGroupMsg", {"GroupId": G})
    assert [m["MsgSeq"] for m in plain["List"]] == [seqs[2], seqs[0]]
    empty = await zego.call("QueryGroupMsg", {"GroupId": G, "WithEmptyMsg": 1})
    assert [(m["MsgSeq"], m["IsEmpty"], m["MsgBody"]) for m in empty["List"]] == [
        (seqs[2], 0, "m2"), (seqs[1], 2, ""), (seqs[0], 0, "m0")]


async def test_history_of_an_empty_group(zego) -> None:
    data = await zego.call("QueryGroupMsg", {"GroupId": "g-solo", "Limit": 5, "Next": 0})
    assert zego.without_id(data) == {"Code": 0, "Message": "success", "Next": 0, "List": []}


@pytest.mark.parametrize(("body", "code"), [
    ({}, 660000002),
    ({"GroupId": G, "Next": -1}, 660000002),
    ({"GroupId": G, "Next": "x"}, 660000002),
    ({"GroupId": G, "WithEmptyMsg": 2}, 660000002),
    ({"GroupId": "g-nowhere"}, 660600001),
    ({"GroupId": "g-old-project"}, 660600001),
])
async def test_history_refused(zego, body, code) -> None:
    assert (await zego.call("QueryGroupMsg", body))["Code"] == code
