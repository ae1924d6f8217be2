"""Migration and extra group commands: import_group, import_group_member, import_group_msg,
set_unread_msg_num, get_online_member_num and delete_group_msg_by_sender.

From Tencent's pages (trtc.io/document/34967, 34969, 34968, 34909, 38521, 34970; Chinese
cloud.tencent.com/document/product/269/1634-1637, 2359, 49180) and the official Java SDK's models
(TencentCloud/tencentcloud-im-sdk-java ``Import*``, ``SetUnreadMsgNumRequest``,
``GetOnlineMemberNum*``, ``DeleteGroupMsgBySenderRequest``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.tencent.helpers import OK, TencentClient, fail

pytestmark = pytest.mark.anyio
G = "group_open_http_svc/"
TEXT = [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}]
NOW = 1_700_000_000
# g-hiking (work) was created at 1687753739.612 s in the default fixture.
HIKING_CREATED = 1_687_753_739


def invalid(detail: str) -> dict[str, Any]:
    return fail(10004, f"invalid parameter: {detail}")


NO_PERMISSION = "insufficient permission for this operation"


@pytest.fixture
def frozen(im_emulator: Any) -> Any:
    im_emulator.clock.freeze()
    im_emulator.clock.set(NOW)
    return im_emulator


def msg(sender: str, send_time: int, text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"From_Account": sender, "SendTime": send_time,
            "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": text}}], **extra}


async def info(tencent: TencentClient, group_id: str, *fields: str) -> dict[str, Any]:
    answer = await tencent.post(G + "get_group_info", {
        "GroupIdList": [group_id], "ResponseFilter": {"GroupBaseInfoFilter": list(fields)}})
    row: dict[str, Any] = answer["GroupInfo"][0]
    return row


# ---- import_group ---------------------------------------------------------------------------

async def test_import_group_keeps_its_create_time_and_owner(frozen: Any,
                                                            tencent: TencentClient) -> None:
    answer = await tencent.post(G + "import_group", {
        "Owner_Account": "alice", "Type": "Public", "GroupId": "old-club", "Name": "Old Club",
        "Introduction": "from elsewhere", "CreateTime": 1_600_000_000, "MaxMemberCount": 50,
        "ApplyJoinOption": "FreeAccess", "AppDefinedData": [{"Key": "k", "Value": "v"}]})
    assert answer == {**OK, "GroupId": "old-club"}
    row = await info(tencent, "old-club", "Type", "Name", "Introduction", "CreateTime",
                     "Owner_Account", "MemberNum", "MaxMemberNum", "ApplyJoinOption")
    assert row == {"GroupId": "old-club", "ErrorCode": 0, "ErrorInfo": "", "Type": "Public",
                   "Name": "Old Club", "Introduction": "from elsewhere",
                   "CreateTime": 1_600_000_000, "Owner_Account": "alice", "MemberNum": 1,
                   "MaxMemberNum": 50, "ApplyJoinOption": "FreeAccess"}
    members = await tencent.post(G + "get_group_member_info", {
        "GroupId": "old-club", "MemberInfoFilter": ["Role", "JoinTime"]})
    assert members["MemberList"] == [{"Member_Account": "alice", "Role": "Owner",
                                      "JoinTime": 1_600_000_000}]
    full = await tencent.post(G + "get_group_info", {
        "GroupIdList": ["old-club"], "ResponseFilter": {"AppDefinedDataFilter_Group": ["k"]}})
    assert full["GroupInfo"][0]["AppDefinedData"] == [{"Key": "k", "Value": "v"}]


async def test_import_group_without_owner_or_create_time(frozen: Any,
                                                         tencent: TencentClient) -> None:
    answer = await tencent.post(G + "import_group", {"Type": "Private", "Name": "Nobody's"})
    assert answer["GroupId"].startswith("@TGS#2")
    row = await info(tencent, answer["GroupId"], "Type", "Owner_Account", "MemberNum",
                     "CreateTime")
    assert (row["Type"], row["Owner_Account"], row["MemberNum"], row["CreateTime"]) == (
        "Private", "", 0, NOW)


async def test_import_group_ignores_a_member_list(frozen: Any, tencent: TencentClient) -> None:
    await tencent.post(G + "import_group", {"Type": "Public", "Name": "N", "GroupId": "ml",
                                            "MemberList": [{"Member_Account": "bob"}]})
    assert (await info(tencent, "ml", "MemberNum"))["MemberNum"] == 0


@pytest.mark.parametrize("body, expected", [
    ({"Type": "AVChatRoom", "Name": "Live"},
     fail(10007, f"{NO_PERMISSION}: AVChatRoom groups cannot be imported")),
    ({"Type": "Public", "Name": "N", "CreateTime": NOW + 1},
     invalid(f"CreateTime is after now ({NOW})")),
    ({"Type": "Public", "Name": "N", "CreateTime": -1}, invalid("CreateTime must be at least 0")),
    ({"Type": "Public", "Name": "N", "CreateTime": "1"},
     invalid("CreateTime must be an integer, not a string")),
    ({"Type": "Public", "Name": "N", "GroupId": "g-hiking"},
     fail(10021, "the group id is already used, please choose another one")),
    ({"Type": "Public", "Name": "N", "Owner_Account": "ghost"},
     fail(10019, "the requested account does not exist: ghost")),
    ({"Type": "Club", "Name": "N"}, invalid(
        "Type 'Club' is not one of Public, Private, Work, ChatRoom, Meeting, AVChatRoom, "
        "Community")),
    ({"Type": "Public"}, invalid("Name is required")),
])
async def test_import_group_errors(frozen: Any, tencent: TencentClient, body: dict[str, Any],
                                   expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "import_group", body) == expected


# ---- import_group_member --------------------------------------------------------------------

async def test_import_group_member_results_join_times_and_roles(
        frozen: Any, tencent: TencentClient) -> None:
    answer = await tencent.post(G + "import_group_member", {"GroupId": "g-hiking", "MemberList": [
        {"Member_Account": "erin", "Role": "Admin", "JoinTime": 1_690_000_000},
        {"Member_Account": "frank", "JoinTime": 1_690_000_001, "UnreadMsgNum": 0},
        {"Member_Account": "carol"},
        {"Member_Account": "ghost"},
        {"Member_Account": "grace", "JoinTime": HIKING_CREATED - 1},
        {"Member_Account": "heidi", "JoinTime": NOW + 1},
        {"Member_Account": "ivan"},
        {"Member_Account": "erin", "Role": "Member"},
    ]})
    assert answer == {**OK, "MemberList": [
        {"Member_Account": "erin", "Result": 1}, {"Member_Account": "frank", "Result": 1},
        {"Member_Account": "carol", "Result": 2}, {"Member_Account": "ghost", "Result": 0},
        {"Member_Account": "grace", "Result": 0}, {"Member_Account": "heidi", "Result": 0},
        {"Member_Account": "ivan", "Result": 1}]}
    listed = await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-hiking", "Member_List_Account": ["erin", "frank", "ivan", "grace"],
        "MemberInfoFilter": ["Role", "JoinTime"]})
    assert listed["MemberList"] == [
        {"Member_Account": "erin", "Role": "Admin", "JoinTime": 1_690_000_000},
        {"Member_Account": "frank", "Role": "Member", "JoinTime": 1_690_000_001},
        {"Member_Account": "ivan", "Role": "Member", "JoinTime": NOW}]


async def test_imported_unread_is_at_most_the_message_count(frozen: Any,
                                                            tencent: TencentClient) -> None:
    for _ in range(3):
        await tencent.post(G + "send_group_msg", {"GroupId": "g-hiking", "MsgBody": TEXT})
    await tencent.post(G + "import_group_member", {"GroupId": "g-hiking", "MemberList": [
        {"Member_Account": "erin", "UnreadMsgNum": 2},
        {"Member_Account": "frank", "UnreadMsgNum": 99}]})
    for user, unread in (("erin", 2), ("frank", 3)):
        joined = await tencent.post(G + "get_joined_group_list", {
            "Member_Account": user, "ResponseFilter": {"SelfInfoFilter": ["UnreadMsgNum"]}})
        row = next(g for g in joined["GroupIdList"] if g["GroupId"] == "g-hiking")
        assert row["SelfInfo"] == {"UnreadMsgNum": unread}


async def test_import_group_member_limits(frozen: Any, tencent: TencentClient) -> None:
    many = [{"Member_Account": f"u{i}"} for i in range(301)]
    assert await tencent.post(G + "import_group_member", {
        "GroupId": "g-hiking", "MemberList": many}) == invalid("MemberList has more than 300 items")
    assert await tencent.post(G + "import_group_member", {
        "GroupId": "g-live", "MemberList": [{"Member_Account": "bob"}]}) == fail(
        10007, f"{NO_PERMISSION}: AVChatRoom groups do not support import_group_member")
    assert await tencent.post(G + "import_group_member", {
        "GroupId": "g-hiking", "MemberList": []}) == invalid("MemberList must not be empty")
    assert await tencent.post(G + "import_group_member", {
        "GroupId": "g-hiking", "MemberList": [{"Member_Account": "bob", "Role": "Owner"}]}) == (
        invalid("MemberList[0].Role must be Admin or Member"))
    assert await tencent.post(G + "import_group_member", {
        "GroupId": "g-hiking", "MemberList": [{"Member_Account": "bob", "UnreadMsgNum": -1}]}) == (
        invalid("MemberList[0].UnreadMsgNum must be at least 0"))


@pytest.mark.im_emulator_settings(tencent_import_member_limit=2)
async def test_import_member_limit_is_a_setting(frozen: Any, tencent: TencentClient) -> None:
    three = [{"Member_Account": user} for user in ("erin", "frank", "grace")]
    assert await tencent.post(G + "import_group_member", {
        "GroupId": "g-hiking", "MemberList": three}) == invalid("MemberList has more than 2 items")


async def test_import_into_a_full_group_is_10014(frozen: Any, tencent: TencentClient) -> None:
    await tencent.post(G + "import_group", {"Type": "Public", "Name": "Tiny", "GroupId": "tiny",
                                            "Owner_Account": "alice", "MaxMemberCount": 2})
    answer = await tencent.post(G + "import_group_member", {"GroupId": "tiny", "MemberList": [
        {"Member_Account": "bob"}, {"Member_Account": "carol"}]})
    assert answer == fail(10014, "the group is full")
    assert (await info(tencent, "tiny", "MemberNum"))["MemberNum"] == 1


# ---- import_group_msg -----------------------------------------------------------------------

async def test_import_group_msg_writes_the_log_at_the_given_times(
        frozen: Any, tencent: TencentClient) -> None:
    await tencent.post(G + "import_group", {"Type": "Public", "Name": "Old", "GroupId": "old",
                                            "Owner_Account": "alice", "CreateTime": 1_600_000_000})
    await tencent.post(G + "import_group_member", {"GroupId": "old", "MemberList": [
        {"Member_Account": "bob", "JoinTime": 1_600_000_010, "UnreadMsgNum": 0}]})
    answer = await tencent.post(G + "import_group_msg", {
        "GroupId": "old", "RecentContactFlag": 1, "MsgList": [
            msg("alice", 1_600_000_100, "one", Random=1),
            msg("bob", 1_600_000_200, "two"),
            msg("alice", 1_600_000_200, "three", Random=3)]})
    assert answer == {**OK, "ImportMsgResult": [
        {"Result": 0, "MsgTime": 1_600_000_100, "MsgSeq": 1},
        {"Result": 0, "MsgTime": 1_600_000_200, "MsgSeq": 2},
        {"Result": 0, "MsgTime": 1_600_000_200, "MsgSeq": 3}]}
    log = frozen.messages(group="old")
    assert [(m["seq"], m["time"], m["sender"], m["vendor"], m["type"]) for m in log] == [
        (1, 1_600_000_100_000, "alice", "tencent", "group"),
        (2, 1_600_000_200_000, "bob", "tencent", "group"),
        (3, 1_600_000_200_000, "alice", "tencent", "group")]
    history = await tencent.post(G + "group_msg_get_simple", {"GroupId": "old",
                                                              "ReqMsgNumber": 20})
    assert [(m["MsgSeq"], m["MsgTimeStamp"], m["From_Account"], m["MsgRandom"],
             m["MsgBody"][0]["MsgContent"]["Text"]) for m in history["RspMsgList"]] == [
        (3, 1_600_000_200, "alice", 3, "three"), (2, 1_600_000_200, "bob", 0, "two"),
        (1, 1_600_000_100, "alice", 1, "one")]
    row = await info(tencent, "old", "NextMsgSeq", "LastMsgTime")
    assert (row["NextMsgSeq"], row["LastMsgTime"]) == (4, 1_600_000_200)


async def test_import_group_msg_refuses_times_out_of_order(frozen: Any,
                                                           tencent: TencentClient) -> None:
    answer = await tencent.post(G + "import_group_msg", {"GroupId": "g-hiking", "MsgList": [
        msg("alice", HIKING_CREATED - 1),
        msg("alice", 1_690_000_000),
        msg("bob", 1_689_999_999),
        msg("bob", NOW + 1),
        msg("bob", NOW)]})
    assert answer["ImportMsgResult"] == [
        {"Result": 10004, "MsgTime": HIKING_CREATED - 1, "MsgSeq": 0},
        {"Result": 0, "MsgTime": 1_690_000_000, "MsgSeq": 1},
        {"Result": 10004, "MsgTime": 1_689_999_999, "MsgSeq": 0},
        {"Result": 10004, "MsgTime": NOW + 1, "MsgSeq": 0},
        {"Result": 0, "MsgTime": NOW, "MsgSeq": 2}]
    later = await tencent.post(G + "import_group_msg", {"GroupId": "g-hiking", "MsgList": [
        msg("alice", NOW - 1)]})
    assert later["ImportMsgResult"] == [{"Result": 10004, "MsgTime": NOW - 1, "MsgSeq": 0}]


async def test_import_group_msg_too_long_and_duplicates(frozen: Any,
                                                        tencent: TencentClient) -> None:
    answer = await tencent.post(G + "import_group_msg", {"GroupId": "g-hiking", "MsgList": [
        msg("alice", 1_690_000_000, "x" * 8000),
        msg("alice", 1_690_000_000, "first", Random=5),
        msg("alice", 1_690_000_299, "again", Random=5),
        msg("alice", 1_690_000_300, "later", Random=5)]})
    assert answer["ImportMsgResult"] == [
        {"Result": 80002, "MsgTime": 1_690_000_000, "MsgSeq": 0},
        {"Result": 0, "MsgTime": 1_690_000_000, "MsgSeq": 1},
        {"Result": 0, "MsgTime": 1_690_000_000, "MsgSeq": 1},
        {"Result": 0, "MsgTime": 1_690_000_300, "MsgSeq": 2}]
    assert [m["body"]["MsgBody"][0]["MsgContent"]["Text"]
            for m in frozen.messages(group="g-hiking")] == ["first", "later"]


async def test_imported_messages_leave_no_one_unread(frozen: Any,
                                                     tencent: TencentClient) -> None:
    await tencent.post(G + "send_group_msg", {"GroupId": "g-hiking", "MsgBody": TEXT})
    assert await tencent.post(G + "set_unread_msg_num", {
        "GroupId": "g-hiking", "Member_Account": "carol", "UnreadMsgNum": 1}) == OK
    await tencent.post(G + "import_group_msg", {"GroupId": "g-hiking", "MsgList": [
        msg("alice", NOW)]})
    member = await frozen.store.member("g-hiking", "carol")
    assert member.unread == 0
    rows = await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-hiking", "Member_List_Account": ["carol"], "MemberInfoFilter": ["MsgSeq"]})
    assert rows["MemberList"] == [{"Member_Account": "carol", "MsgSeq": 2}]


@pytest.mark.parametrize("body, expected", [
    ({"GroupId": "g-live", "MsgList": [msg("alice", NOW)]},
     fail(10007, f"{NO_PERMISSION}: AVChatRoom groups do not support import_group_msg")),
    ({"GroupId": "g-hiking", "MsgList": [msg("alice", NOW)] * 8},
     invalid("MsgList has more than 7 items")),
    ({"GroupId": "g-hiking"}, invalid("MsgList is required")),
    ({"GroupId": "g-hiking", "MsgList": [{"From_Account": "alice", "MsgBody": TEXT}]},
     invalid("MsgList[0].SendTime is required")),
    ({"GroupId": "g-hiking", "MsgList": [{"SendTime": NOW, "MsgBody": TEXT}]},
     invalid("MsgList[0].From_Account is required")),
    ({"GroupId": "g-hiking", "MsgList": [{"From_Account": "alice", "SendTime": NOW}]},
     invalid("MsgList[0].MsgBody is required")),
    ({"GroupId": "g-hiking", "MsgList": [msg("alice", NOW, Random=-1)]},
     invalid("MsgList[0].Random must be at least 0")),
    ({"GroupId": "g-hiking", "RecentContactFlag": 2, "MsgList": [msg("alice", NOW)]},
     invalid("RecentContactFlag must not exceed 1")),
])
async def test_import_group_msg_errors(frozen: Any, tencent: TencentClient, body: dict[str, Any],
                                       expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "import_group_msg", body) == expected
    assert frozen.messages(group=body["GroupId"]) == []


@pytest.mark.im_emulator_settings(tencent_import_msg_limit=20)
async def test_import_msg_limit_is_a_setting(frozen: Any, tencent: TencentClient) -> None:
    answer = await tencent.post(G + "import_group_msg", {
        "GroupId": "g-hiking", "MsgList": [msg("alice", NOW - 20 + i) for i in range(20)]})
    assert [row["MsgSeq"] for row in answer["ImportMsgResult"]] == list(range(1, 21))


# ---- set_unread_msg_num ---------------------------------------------------------------------

async def test_set_unread_msg_num(frozen: Any, tencent: TencentClient) -> None:
    for _ in range(4):
        await tencent.post(G + "send_group_msg", {"GroupId": "g-book-club", "MsgBody": TEXT})
    assert await tencent.post(G + "set_unread_msg_num", {
        "GroupId": "g-book-club", "Member_Account": "erin", "UnreadMsgNum": 3}) == OK
    assert await tencent.post(G + "set_unread_msg_num", {
        "GroupId": "g-book-club", "Member_Account": "frank", "UnreadMsgNum": 50}) == OK
    rows = await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-book-club", "Member_List_Account": ["erin", "frank"],
        "MemberInfoFilter": ["MsgSeq"]})
    assert rows["MemberList"] == [{"Member_Account": "erin", "MsgSeq": 1},
                                  {"Member_Account": "frank", "MsgSeq": 0}]
    assert (await frozen.store.member("g-book-club", "frank")).unread == 4


async def test_set_unread_msg_num_has_no_effect_in_meeting_and_avchatroom(
        frozen: Any, tencent: TencentClient) -> None:
    for group_id, user in (("g-standup", "alice"), ("g-live", "alice")):
        assert await tencent.post(G + "set_unread_msg_num", {
            "GroupId": group_id, "Member_Account": user, "UnreadMsgNum": 1}) == OK
        assert (await frozen.store.member(group_id, user)).unread == 0


@pytest.mark.parametrize("body, expected", [
    ({"Member_Account": "zoe", "UnreadMsgNum": 1},
     invalid("Member_Account 'zoe' is not a member of the group")),
    ({"Member_Account": "carol"}, invalid("UnreadMsgNum is required")),
    ({"Member_Account": "carol", "UnreadMsgNum": -1}, invalid("UnreadMsgNum must be at least 0")),
    ({"UnreadMsgNum": 1}, invalid("Member_Account is required")),
    ({"Member_Account": 7, "UnreadMsgNum": 1},
     fail(60015, "an account field must be a string: Member_Account is an integer")),
])
async def test_set_unread_msg_num_errors(tencent: TencentClient, body: dict[str, Any],
                                         expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "set_unread_msg_num", {"GroupId": "g-hiking", **body}) == (
        expected)


# ---- get_online_member_num ------------------------------------------------------------------

@pytest.mark.parametrize("group_id", ["g-live", "g-hiking", "g-community"])
async def test_get_online_member_num_is_zero(tencent: TencentClient, group_id: str) -> None:
    assert await tencent.post(G + "get_online_member_num", {"GroupId": group_id}) == {
        **OK, "OnlineMemberNum": 0}


@pytest.mark.im_emulator_settings(tencent_online_status_groups=False)
async def test_get_online_member_num_only_in_an_avchatroom_without_the_feature(
        tencent: TencentClient) -> None:
    assert await tencent.post(G + "get_online_member_num", {"GroupId": "g-live"}) == {
        **OK, "OnlineMemberNum": 0}
    assert await tencent.post(G + "get_online_member_num", {"GroupId": "g-hiking"}) == fail(
        10007, f"{NO_PERMISSION}: only AVChatRoom groups have an online count without the "
               "group member online status feature")


async def test_get_online_member_num_rate_limit(frozen: Any, tencent: TencentClient) -> None:
    answers = [await tencent.post(G + "get_online_member_num", {"GroupId": "g-live"})
               for _ in range(201)]
    assert all(answer["ErrorCode"] == 0 for answer in answers[:200])
    assert answers[200] == fail(
        60007, "REST API calls exceed the frequency limit, please try again later")


# ---- delete_group_msg_by_sender -------------------------------------------------------------

async def test_delete_group_msg_by_sender_recalls_silently(frozen: Any,
                                                           tencent: TencentClient) -> None:
    for sender in ("erin", "frank", "erin"):
        await tencent.post(G + "send_group_msg", {"GroupId": "g-book-club",
                                                  "From_Account": sender, "MsgBody": TEXT})
    assert await tencent.post(G + "delete_group_msg_by_sender", {
        "GroupId": "g-book-club", "Sender_Account": "erin"}) == OK
    shown = await tencent.post(G + "group_msg_get_simple", {"GroupId": "g-book-club",
                                                            "ReqMsgNumber": 20})
    assert [(m["MsgSeq"], m["From_Account"]) for m in shown["RspMsgList"]] == [(2, "frank")]
    placeholders = await tencent.post(G + "group_msg_get_simple", {
        "GroupId": "g-book-club", "ReqMsgNumber": 20, "WithRecalledMsg": 1})
    assert [(m["MsgSeq"], m["IsPlaceMsg"], m["MsgBody"]) for m in placeholders["RspMsgList"]
            if m["From_Account"] == "erin"] == [(3, 1, []), (1, 1, [])]
    assert [m["recalled"] for m in frozen.messages(group="g-book-club")] == [True, False, True]
    assert await tencent.post(G + "delete_group_msg_by_sender", {
        "GroupId": "g-book-club", "Sender_Account": "nobody"}) == OK


async def test_delete_group_msg_by_sender_reaches_the_newest_1000(
        frozen: Any, tencent: TencentClient) -> None:
    store = frozen.store
    for index in range(1001):
        await store.append_message("g-book-club", sender="erin" if index == 0 else "frank",
                                   vendor="tencent", type="group", body={"MsgBody": TEXT},
                                   now_ms=NOW * 1000)
    await store.append_message("g-book-club", sender="erin", vendor="tencent", type="group",
                               body={"MsgBody": TEXT}, now_ms=NOW * 1000)
    assert await tencent.post(G + "delete_group_msg_by_sender", {
        "GroupId": "g-book-club", "Sender_Account": "erin"}) == OK
    erin = [(m["seq"], m["recalled"]) for m in frozen.messages(group="g-book-club")
            if m["sender"] == "erin"]
    assert erin == [(1, False), (1002, True)]


async def test_delete_group_msg_by_sender_in_an_avchatroom_changes_nothing(
        frozen: Any, tencent: TencentClient) -> None:
    await tencent.post(G + "send_group_msg", {"GroupId": "g-live", "From_Account": "alice",
                                              "MsgBody": TEXT})
    assert await tencent.post(G + "delete_group_msg_by_sender", {
        "GroupId": "g-live", "Sender_Account": "alice"}) == OK
    assert [m["recalled"] for m in frozen.messages(group="g-live")] == [False]


async def test_delete_group_msg_by_sender_needs_the_sender(tencent: TencentClient) -> None:
    assert await tencent.post(G + "delete_group_msg_by_sender", {"GroupId": "g-hiking"}) == (
        invalid("Sender_Account is required"))
