"""Group messages: send_group_msg, group_msg_get_simple, group_msg_recall and
send_group_system_notification."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.tencent.helpers import OK, TencentClient, fail

pytestmark = pytest.mark.anyio
G = "group_open_http_svc/"
TEXT = [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hello"}}]


def invalid(detail: str) -> dict[str, Any]:
    return fail(10004, f"invalid parameter: {detail}")


async def send(tencent: TencentClient, **fields: Any) -> dict[str, Any]:
    return await tencent.post(G + "send_group_msg", {"GroupId": "g-book-club",
                                                     "MsgBody": TEXT, **fields})


async def test_send_group_msg_answers_time_and_seq(im_emulator: Any,
                                                   tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    first = await send(tencent, Random=1, CloudCustomData="cc", MsgPriority="High")
    assert first == {**OK, "MsgTime": 1700000000, "MsgSeq": 1}
    custom = [{"MsgType": "TIMCustomElem", "MsgContent": {"Data": "x", "Desc": "d"}}]
    second = await tencent.post(G + "send_group_msg", {
        "GroupId": "g-book-club", "Random": 2, "From_Account": "erin", "MsgBody": custom,
        "SendMsgControl": ["NoUnread"], "OnlineOnlyFlag": 0})
    assert second["MsgSeq"] == 2
    log = im_emulator.messages(group="g-book-club")
    assert [(m["seq"], m["sender"], m["vendor"], m["type"]) for m in log] == [
        (1, "administrator", "tencent", "group"), (2, "erin", "tencent", "group")]
    assert log[1]["body"]["MsgBody"] == custom
    info = await tencent.post(G + "get_group_info", {
        "GroupIdList": ["g-book-club"],
        "ResponseFilter": {"GroupBaseInfoFilter": ["NextMsgSeq", "LastMsgTime"]}})
    assert info["GroupInfo"][0]["NextMsgSeq"] == 3
    assert info["GroupInfo"][0]["LastMsgTime"] == 1700000000


async def test_same_random_within_five_minutes_is_a_duplicate(im_emulator: Any,
                                                              tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    first = await send(tencent, Random=77, From_Account="erin")
    im_emulator.clock.advance(299)
    again = await send(tencent, Random=77, From_Account="erin")
    assert again == first
    other_sender = await send(tencent, Random=77, From_Account="frank")
    assert other_sender["MsgSeq"] == first["MsgSeq"] + 1
    im_emulator.clock.advance(2)
    later = await send(tencent, Random=77, From_Account="erin")
    assert later["MsgSeq"] == first["MsgSeq"] + 2
    assert len(im_emulator.messages(group="g-book-club")) == 3


async def test_msg_random_is_not_random(im_emulator: Any, tencent: TencentClient) -> None:
    one = await send(tencent, MsgRandom=5)
    two = await send(tencent, MsgRandom=5)
    assert (one["MsgSeq"], two["MsgSeq"]) == (1, 2)


async def test_senders_refused(im_emulator: Any, tencent: TencentClient) -> None:
    await tencent.post(G + "forbid_send_msg", {"GroupId": "g-book-club",
                                               "Members_Account": ["erin"], "MuteTime": 60})
    assert await send(tencent, From_Account="erin") == fail(
        10017, "the sender is muted and cannot send messages")
    assert await send(tencent, From_Account="zoe") == fail(
        10007, "insufficient permission for this operation: From_Account 'zoe' is not a "
               "member of the group")
    assert await send(tencent, From_Account="ghost") == fail(
        10019, "the requested account does not exist: ghost")
    quiet = await tencent.post(G + "send_group_msg", {"GroupId": "g-quiet", "MsgBody": TEXT,
                                                      "From_Account": "erin"})
    assert quiet["ErrorCode"] == 10017
    owner = await tencent.post(G + "send_group_msg", {"GroupId": "g-quiet", "MsgBody": TEXT,
                                                      "From_Account": "dave"})
    assert owner["ErrorCode"] == 0
    gone = await tencent.post(G + "send_group_msg", {"GroupId": "g-old-project", "MsgBody": TEXT})
    assert gone == fail(10010, "the group does not exist or has been dismissed")
    never = await tencent.post(G + "send_group_msg", {"GroupId": "never", "MsgBody": TEXT})
    assert never == fail(10015, "group id not found")


@pytest.mark.parametrize("fields, expected", [
    ({"MsgBody": None}, invalid("MsgBody is required")),
    ({"MsgBody": []}, invalid("MsgBody must not be empty")),
    ({"MsgBody": [{"MsgType": "TIMBogus", "MsgContent": {}}]},
     invalid("MsgBody[0].MsgType 'TIMBogus' is not one of TIMCustomElem, TIMFaceElem, "
             "TIMFileElem, TIMImageElem, TIMLocationElem, TIMSoundElem, TIMTextElem, "
             "TIMVideoFileElem")),
    ({"MsgBody": [{"MsgType": "TIMTextElem"}]}, invalid("MsgBody[0].MsgContent must be an object")),
    ({"MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {}}]},
     invalid("MsgBody[0].MsgContent.Text is required")),
    ({"Random": -1}, invalid("Random must be at least 0")),
    ({"Random": 4294967296}, invalid("Random must not exceed 4294967295")),
    ({"MsgPriority": "Urgent"}, invalid("MsgPriority must be one of High, Normal, Low, Lowest")),
    ({"SendMsgControl": ["Loud"]}, invalid("SendMsgControl 'Loud' is not NoLastMsg or NoUnread")),
    ({"OnlineOnlyFlag": 2}, invalid("OnlineOnlyFlag must not exceed 1")),
])
async def test_send_group_msg_errors(tencent: TencentClient, fields: dict[str, Any],
                                     expected: dict[str, Any]) -> None:
    body = {"GroupId": "g-book-club", "MsgBody": TEXT, **fields}
    body = {key: value for key, value in body.items() if value is not None}
    assert await tencent.post(G + "send_group_msg", body) == expected


async def test_history_newest_first_with_paging(im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    for index in range(5):
        await send(tencent, Random=index, MsgBody=[
            {"MsgType": "TIMTextElem", "MsgContent": {"Text": f"m{index}"}}])
    newest = await tencent.post(G + "group_msg_get_simple",
                                {"GroupId": "g-book-club", "ReqMsgNumber": 2})
    assert newest["GroupId"] == "g-book-club" and newest["IsFinished"] == 0
    assert [m["MsgSeq"] for m in newest["RspMsgList"]] == [5, 4]
    assert newest["RspMsgList"][0] == {
        "From_Account": "administrator", "IsPlaceMsg": 0, "IsSystemMsg": 0,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "m4"}}],
        "MsgPriority": 2, "MsgRandom": 4, "MsgSeq": 5, "MsgTimeStamp": 1700000000}
    older = await tencent.post(G + "group_msg_get_simple",
                               {"GroupId": "g-book-club", "ReqMsgNumber": 20, "ReqMsgSeq": 3})
    assert [m["MsgSeq"] for m in older["RspMsgList"]] == [3, 2, 1]
    assert older["IsFinished"] == 1


async def test_recall_hides_unless_asked(im_emulator: Any, tencent: TencentClient) -> None:
    for index in range(3):
        await send(tencent, Random=index)
    recalled = await tencent.post(G + "group_msg_recall", {
        "GroupId": "g-book-club", "MsgSeqList": [{"MsgSeq": 2}, {"MsgSeq": 9}]})
    assert recalled == {**OK, "RecallRetList": [{"MsgSeq": 2, "RetCode": 0},
                                                {"MsgSeq": 9, "RetCode": 10030}]}
    plain = await tencent.post(G + "group_msg_get_simple",
                               {"GroupId": "g-book-club", "ReqMsgNumber": 20})
    assert [m["MsgSeq"] for m in plain["RspMsgList"]] == [3, 1]
    full = await tencent.post(G + "group_msg_get_simple",
                              {"GroupId": "g-book-club", "ReqMsgNumber": 20,
                               "WithRecalledMsg": 1})
    assert [(m["MsgSeq"], m["IsPlaceMsg"]) for m in full["RspMsgList"]] == [
        (3, 0), (2, 1), (1, 0)]
    assert im_emulator.messages(group="g-book-club")[1]["recalled"] is True


@pytest.mark.parametrize("body, expected", [
    ({"GroupId": "g-book-club"}, invalid("ReqMsgNumber is required")),
    ({"GroupId": "g-book-club", "ReqMsgNumber": 21}, invalid("ReqMsgNumber must not exceed 20")),
    ({"GroupId": "g-book-club", "ReqMsgNumber": 0}, invalid("ReqMsgNumber must be at least 1")),
    ({"GroupId": "g-live", "ReqMsgNumber": 1},
     invalid("AVChatRoom groups keep no message history")),
])
async def test_history_errors(tencent: TencentClient, body: dict[str, Any],
                              expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "group_msg_get_simple", body) == expected


async def test_system_notification_is_logged(im_emulator: Any, tencent: TencentClient) -> None:
    assert await tencent.post(G + "send_group_system_notification", {
        "GroupId": "g-book-club", "ToMembers_Account": ["erin"], "Content": "hi"}) == OK
    log = im_emulator.messages(group="g-book-club")
    assert (log[-1]["type"], log[-1]["body"]["Content"]) == ("system", "hi")
    history = await tencent.post(G + "group_msg_get_simple",
                                 {"GroupId": "g-book-club", "ReqMsgNumber": 1})
    assert history["RspMsgList"] == []  # system notifications do not roam
    assert await tencent.post(G + "send_group_system_notification",
                              {"GroupId": "g-book-club"}) == invalid("Content is required")
