"""``group_open_http_svc/get_joined_group_list``: filters, flags, ResponseFilter fields and types,
paging against TotalCount, parameter errors and the 1 MB answer limit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.tencent.helpers import TencentClient, fail

pytestmark = pytest.mark.anyio

JOINED = "/v4/group_open_http_svc/get_joined_group_list"
BASE_FIELDS = ["Type", "Name", "Introduction", "Notification", "FaceUrl", "CreateTime",
               "Owner_Account", "LastInfoTime", "LastMsgTime", "NextMsgSeq", "MemberNum",
               "MaxMemberNum", "ApplyJoinOption", "ShutUpAllMember", "MuteAllMember"]
SELF_FIELDS = ["Role", "JoinTime", "MsgFlag", "UnreadMsgNum", "MsgSeq"]


def member(join_s: int, **extra: Any) -> dict[str, Any]:
    return {"id": "tq", "joinTime": join_s * 1000, **extra}


SEED: dict[str, Any] = {
    "users": [{"id": "tq", "name": "TQ"}, {"id": "tq-boss", "name": "Boss"}],
    "groups": [
        {"id": "tq-public", "name": "Pub", "type": "public", "owner": "tq-boss",
         "members": [member(1700000001, msgFlag="AcceptNotNotify", unread=5)],
         "createTime": 1690000000123, "introduction": "intro", "notification": "note",
         "faceURL": "https://x/p.png", "maxMembers": 300, "applyJoinOption": "FreeAccess",
         "lastInfoTime": 1690000100, "lastMsgTime": 1690000200, "nextMsgSeq": 42},
        {"id": "tq-work", "name": "Work", "type": "work", "owner": "tq",
         "createTime": 1690000001000, "members": ["tq-boss"]},
        {"id": "tq-inactive", "name": "Inactive", "type": "work", "owner": "tq-boss",
         "activated": False, "members": [member(1700000003)]},
        {"id": "tq-meeting", "name": "Meet", "type": "meeting", "owner": "tq-boss",
         "admins": [member(1700000004, msgFlag="Discard")]},
        {"id": "tq-av", "name": "Live", "type": "avchatroom", "owner": "tq-boss",
         "members": [member(1700000005)]},
        {"id": "tq-community", "name": "Comm", "type": "community", "owner": "tq-boss",
         "members": [member(1700000006)]},
        {"id": "tq-dismissed", "name": "Gone", "type": "public", "status": "dismissed",
         "owner": "tq-boss", "members": [member(1700000007)]},
        {"id": "tq-muted", "name": "Muted", "type": "public", "status": "muted", "muteAll": True,
         "owner": "tq-boss", "members": [member(1700000008)]},
    ],
}
VISIBLE = ["tq-work", "tq-public", "tq-meeting", "tq-community", "tq-muted"]


async def joined(emulator: Any, body: dict[str, Any]) -> dict[str, Any]:
    return await TencentClient(emulator).post("group_open_http_svc/get_joined_group_list", body)


async def ids(emulator: Any, **body: Any) -> tuple[int, list[str]]:
    result = await joined(emulator, {"Member_Account": "tq", **body})
    assert result["ActionStatus"] == "OK", result
    return result["TotalCount"], [row["GroupId"] for row in result["GroupIdList"]]


@pytest.fixture
async def seeded(im_emulator: Any) -> Any:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1690000000)
    await im_emulator.seed(SEED)
    return im_emulator


async def test_basic_form_returns_only_group_ids(seeded: Any) -> None:
    result = await joined(seeded, {"Member_Account": "tq"})
    assert result == {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "TotalCount": 5,
                      "GroupIdList": [{"GroupId": g} for g in VISIBLE]}


async def test_default_fixture_user(im_emulator: Any) -> None:
    result = await joined(im_emulator, {"Member_Account": "alice", "Limit": 2})
    assert result == {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "TotalCount": 17,
                      "GroupIdList": [{"GroupId": "g-hiking"}, {"GroupId": "g-book-club"}]}


async def test_huge_and_inactive_flags(seeded: Any) -> None:
    assert await ids(seeded, WithHugeGroups=1) == (
        6, ["tq-work", "tq-public", "tq-meeting", "tq-av", "tq-community", "tq-muted"])
    assert await ids(seeded, WithNoActiveGroups=1) == (
        6, ["tq-work", "tq-public", "tq-inactive", *VISIBLE[2:]])
    both = await ids(seeded, WithHugeGroups=1, WithNoActiveGroups=1)
    assert both == (7, ["tq-work", "tq-public", "tq-inactive", "tq-meeting", "tq-av",
                        "tq-community", "tq-muted"])
    assert await ids(seeded, WithHugeGroups=0, WithNoActiveGroups=2) == (5, VISIBLE)


@pytest.mark.parametrize("group_type, flags, expected", [
    ("Public", {}, ["tq-public", "tq-muted"]),
    ("Private", {}, ["tq-work"]),
    ("Work", {}, ["tq-work"]),
    ("Private", {"WithNoActiveGroups": 1}, ["tq-work", "tq-inactive"]),
    ("ChatRoom", {}, ["tq-meeting"]),
    ("Meeting", {}, ["tq-meeting"]),
    ("AVChatRoom", {}, []),
    ("AVChatRoom", {"WithHugeGroups": 1}, ["tq-av"]),
    ("Community", {}, ["tq-community"]),
    ("BChatRoom", {"WithHugeGroups": 1}, []),
    ("", {}, VISIBLE),
])
async def test_group_type_filter(seeded: Any, group_type: str, flags: dict[str, int],
                                 expected: list[str]) -> None:
    assert await ids(seeded, GroupType=group_type, **flags) == (len(expected), expected)


async def test_unknown_group_type(seeded: Any) -> None:
    result = await joined(seeded, {"Member_Account": "tq", "GroupType": "Secret"})
    assert result == fail(10004, "invalid parameter: GroupType 'Secret' is not one of Public, "
                                 "Private, Work, ChatRoom, Meeting, AVChatRoom, Community, "
                                 "BChatRoom")


async def test_every_filter_field_with_types(seeded: Any) -> None:
    result = await joined(seeded, {
        "Member_Account": "tq", "Limit": 1, "Offset": 1,
        "ResponseFilter": {"GroupBaseInfoFilter": BASE_FIELDS, "SelfInfoFilter": SELF_FIELDS}})
    assert result["TotalCount"] == 5
    assert result["GroupIdList"] == [{
        "GroupId": "tq-public", "Type": "Public", "Name": "Pub", "Introduction": "intro",
        "Notification": "note", "FaceUrl": "https://x/p.png", "CreateTime": 1690000000,
        "Owner_Account": "tq-boss", "LastInfoTime": 1690000100, "LastMsgTime": 1690000200,
        "NextMsgSeq": 42, "MemberNum": 2, "MaxMemberNum": 300, "ApplyJoinOption": "FreeAccess",
        "ShutUpAllMember": "Off", "MuteAllMember": "Off",
        "SelfInfo": {"Role": "Member", "JoinTime": 1700000001, "MsgFlag": "AcceptNotNotify",
                     "UnreadMsgNum": 5, "MsgSeq": 5}}]


async def test_type_role_and_mute_values(seeded: Any) -> None:
    result = await joined(seeded, {
        "Member_Account": "tq", "WithHugeGroups": 1,
        "ResponseFilter": {"GroupBaseInfoFilter": ["ShutUpAllMember", "Type"],
                           "SelfInfoFilter": ["MsgFlag", "Role"]}})
    rows = {row["GroupId"]: row for row in result["GroupIdList"]}
    assert rows["tq-work"] == {"GroupId": "tq-work", "Type": "Private", "ShutUpAllMember": "Off",
                               "SelfInfo": {"Role": "Owner", "MsgFlag": "AcceptAndNotify"}}
    assert rows["tq-meeting"]["Type"] == "ChatRoom"
    assert rows["tq-meeting"]["SelfInfo"] == {"Role": "Admin", "MsgFlag": "Discard"}
    assert rows["tq-av"]["Type"] == "AVChatRoom"
    assert rows["tq-community"]["Type"] == "Community"
    assert rows["tq-muted"]["ShutUpAllMember"] == "On"


async def test_new_and_old_names_each_alone(seeded: Any) -> None:
    result = await joined(seeded, {
        "Member_Account": "tq", "GroupType": "Public",
        "ResponseFilter": {"GroupBaseInfoFilter": ["MuteAllMember"],
                           "SelfInfoFilter": ["MsgSeq"]}})
    assert result["GroupIdList"] == [
        {"GroupId": "tq-public", "MuteAllMember": "Off", "SelfInfo": {"MsgSeq": 5}},
        {"GroupId": "tq-muted", "MuteAllMember": "On", "SelfInfo": {"MsgSeq": 0}}]
    old = await joined(seeded, {
        "Member_Account": "tq", "GroupType": "Public",
        "ResponseFilter": {"SelfInfoFilter": ["UnreadMsgNum"]}})
    assert old["GroupIdList"][0] == {"GroupId": "tq-public", "SelfInfo": {"UnreadMsgNum": 5}}


async def test_filter_edges(seeded: Any) -> None:
    only_base = await joined(seeded, {"Member_Account": "tq", "GroupType": "Community",
                                      "ResponseFilter": {"GroupBaseInfoFilter": ["Name", "Bogus"],
                                                         "SelfInfoFilter": []}})
    assert only_base["GroupIdList"] == [{"GroupId": "tq-community", "Name": "Comm"}]
    empty = await joined(seeded, {"Member_Account": "tq", "GroupType": "Community",
                                  "ResponseFilter": {}})
    assert empty["GroupIdList"] == [{"GroupId": "tq-community"}]
    unknown_self = await joined(seeded, {"Member_Account": "tq", "GroupType": "Community",
                                         "ResponseFilter": {"SelfInfoFilter": ["Nope"]}})
    assert unknown_self["GroupIdList"] == [{"GroupId": "tq-community"}]


@pytest.mark.parametrize("response_filter, info", [
    ([], "ResponseFilter must be an object, not an array"),
    ({"GroupBaseInfoFilter": "Name"}, "ResponseFilter.GroupBaseInfoFilter must be an array, "
                                      "not a string"),
    ({"SelfInfoFilter": ["Role", 1]}, "ResponseFilter.SelfInfoFilter[1] must be a string, "
                                      "not an integer"),
])
async def test_bad_response_filter(seeded: Any, response_filter: Any, info: str) -> None:
    result = await joined(seeded, {"Member_Account": "tq", "ResponseFilter": response_filter})
    assert result == fail(10004, f"invalid parameter: {info}")


async def test_limit_offset_walk_equals_total(im_emulator: Any) -> None:
    flags = {"WithHugeGroups": 1, "WithNoActiveGroups": 1}
    everything = await joined(im_emulator, {"Member_Account": "heavy", **flags})
    total = everything["TotalCount"]
    assert total == len(everything["GroupIdList"]) == 268
    walked: list[str] = []
    offset = 0
    while True:
        page = await joined(im_emulator, {"Member_Account": "heavy", "Limit": 50,
                                          "Offset": offset, **flags})
        assert page["TotalCount"] == total
        walked += [row["GroupId"] for row in page["GroupIdList"]]
        if len(page["GroupIdList"]) < 50:
            break
        offset += 50
    assert walked == [row["GroupId"] for row in everything["GroupIdList"]]
    assert len(set(walked)) == total
    plain = await joined(im_emulator, {"Member_Account": "heavy", "Limit": 1})
    assert plain["TotalCount"] < total


async def test_limit_and_offset_edges(seeded: Any) -> None:
    assert await ids(seeded, Limit=5000) == (5, VISIBLE)
    assert await ids(seeded, Limit=0) == (5, VISIBLE)
    assert await ids(seeded, Limit=2, Offset=4) == (5, ["tq-muted"])
    assert await ids(seeded, Limit=2, Offset=5) == (5, [])
    assert await ids(seeded, Offset=3) == (5, VISIBLE[3:])
    assert await ids(seeded, Offset=2**32 - 1) == (5, [])


@pytest.mark.parametrize("body, info", [
    ({"Limit": 5001}, "Limit must not exceed 5000"),
    ({"Limit": -1}, "Limit must be at least 0"),
    ({"Limit": "10"}, "Limit must be an integer, not a string"),
    ({"Limit": 10.5}, "Limit must be an integer, not a number"),
    ({"Limit": True}, "Limit must be an integer, not a boolean"),
    ({"Limit": 99999999999999999999999}, "Limit must be an integer, not a number"),
    ({"Offset": -5}, "Offset must be at least 0"),
    ({"Offset": 2**64 - 1}, "Offset must not exceed 4294967295"),
    ({"WithHugeGroups": "1"}, "WithHugeGroups must be an integer, not a string"),
    ({"GroupType": 3}, "GroupType must be a string, not an integer"),
])
async def test_parameter_errors(seeded: Any, body: dict[str, Any], info: str) -> None:
    result = await joined(seeded, {"Member_Account": "tq", **body})
    assert result == fail(10004, f"invalid parameter: {info}")


async def test_member_account_required(seeded: Any) -> None:
    assert await joined(seeded, {}) == fail(10004, "invalid parameter: Member_Account is required")
    assert await joined(seeded, {"Member_Account": ""}) == fail(
        10004, "invalid parameter: Member_Account must not be empty")
    assert await joined(seeded, {"Member_Account": None}) == fail(
        10004, "invalid parameter: Member_Account is required")
    assert await joined(seeded, {"Member_Account": ["tq"]}) == fail(
        60015, "an account field must be a string: Member_Account is an array")


async def test_unknown_account_has_no_groups(seeded: Any) -> None:
    result = await joined(seeded, {"Member_Account": "nobody-at-all"})
    assert result == {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0, "TotalCount": 0,
                      "GroupIdList": []}


async def test_answer_over_one_megabyte(im_emulator: Any) -> None:
    big = "x" * 10000
    await im_emulator.seed({
        "users": [{"id": "big"}],
        "groups": [{"id": f"big-{i:03}", "name": "Big", "type": "public", "owner": "big",
                    "introduction": big} for i in range(110)]})
    body = {"Member_Account": "big",
            "ResponseFilter": {"GroupBaseInfoFilter": ["Introduction"]}}
    result = await joined(im_emulator, body)
    assert result == fail(10018, "the response exceeds the maximum packet length (1 MB), "
                                 "please request less data at a time")
    page = await joined(im_emulator, {**body, "Limit": 100})
    assert page["TotalCount"] == 110 and len(page["GroupIdList"]) == 100
    assert (await joined(im_emulator, {"Member_Account": "big"}))["TotalCount"] == 110
