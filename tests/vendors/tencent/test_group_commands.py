"""Group commands: get_group_info, get_appid_group_list, modify_group_base_info and
change_group_owner."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.tencent.helpers import OK, SDKAPPID, TencentClient, fail

pytestmark = pytest.mark.anyio
G = "group_open_http_svc/"


def invalid(detail: str) -> dict[str, Any]:
    return fail(10004, f"invalid parameter: {detail}")


async def test_get_group_info_errors_inside_the_array(tencent: TencentClient) -> None:
    result = await tencent.post(G + "get_group_info", {
        "GroupIdList": ["g-hiking", "never", "g-old-project"]})
    assert result["ActionStatus"] == "OK"
    hiking, never, old = result["GroupInfo"]
    assert list(hiking)[:3] == ["GroupId", "ErrorCode", "ErrorInfo"]
    assert list(hiking)[3:] == [
        "Type", "Name", "Appid", "Introduction", "Notification", "FaceUrl", "CreateTime",
        "InfoSeq", "Owner_Account", "LastInfoTime", "LastMsgTime", "NextMsgSeq", "MemberNum",
        "MaxMemberNum", "ApplyJoinOption", "ShutUpAllMember", "MemberList"]
    assert (hiking["Type"], hiking["Name"], hiking["Appid"], hiking["Owner_Account"],
            hiking["MemberNum"]) == ("Private", "Hiking", SDKAPPID, "alice", 5)
    assert [m["Member_Account"] for m in hiking["MemberList"]][:2] == ["alice", "bob"]
    assert never == {"GroupId": "never", "ErrorCode": 10015, "ErrorInfo": "group id not found"}
    assert old == {"GroupId": "g-old-project", "ErrorCode": 10010,
                   "ErrorInfo": "the group does not exist or has been dismissed"}


async def test_get_group_info_response_filter(tencent: TencentClient) -> None:
    result = await tencent.post(G + "get_group_info", {
        "GroupIdList": ["g-quiet"], "ResponseFilter": {
            "GroupBaseInfoFilter": ["Name", "MuteAllMember", "ShutUpAllMember", "Bogus"],
            "MemberInfoFilter": ["Role"]}})
    assert result["GroupInfo"] == [{
        "GroupId": "g-quiet", "ErrorCode": 0, "ErrorInfo": "", "Name": "Quiet Room",
        "ShutUpAllMember": "On", "MuteAllMember": "On",
        "MemberList": [{"Member_Account": "dave", "Role": "Owner"},
                       {"Member_Account": "alice", "Role": "Member"},
                       {"Member_Account": "erin", "Role": "Member"},
                       {"Member_Account": "heavy", "Role": "Member"}]}]
    bare = await tencent.post(G + "get_group_info", {
        "GroupIdList": ["g-live"], "ResponseFilter": {"GroupBaseInfoFilter": ["Type"]}})
    assert bare["GroupInfo"] == [{"GroupId": "g-live", "ErrorCode": 0, "ErrorInfo": "",
                                  "Type": "AVChatRoom"}]


@pytest.mark.parametrize("body, expected", [
    ({}, invalid("GroupIdList is required")),
    ({"GroupIdList": []}, invalid("GroupIdList must not be empty")),
    ({"GroupIdList": [f"g{i}" for i in range(51)]}, invalid("GroupIdList has more than 50 items")),
    ({"GroupIdList": [7]}, invalid("GroupIdList[0] must be a string, not an integer")),
    ({"GroupIdList": ["g-hiking"], "ResponseFilter": []},
     invalid("ResponseFilter must be an object, not an array")),
])
async def test_get_group_info_errors(tencent: TencentClient, body: dict[str, Any],
                                     expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "get_group_info", body) == expected


@pytest.mark.im_emulator_settings(rate_limits=False)
async def test_get_appid_group_list_walk(im_emulator: Any, tencent: TencentClient) -> None:
    whole = await tencent.post(G + "get_appid_group_list", {})
    assert list(whole) == ["ActionStatus", "ErrorInfo", "ErrorCode", "TotalCount",
                           "GroupIdList", "Next"]
    ids = [item["GroupId"] for item in whole["GroupIdList"]]
    assert whole["Next"] == 0 and whole["TotalCount"] == len(ids)
    assert "g-old-project" not in ids and "g-live" in ids
    walked: list[str] = []
    cursor = 0
    while True:
        page = await tencent.post(G + "get_appid_group_list", {"Limit": 7, "Next": cursor})
        assert page["TotalCount"] == len(ids)
        walked += [item["GroupId"] for item in page["GroupIdList"]]
        cursor = page["Next"]
        if cursor == 0:
            break
    assert walked == ids
    public = await tencent.post(G + "get_appid_group_list", {"GroupType": "Public", "Limit": 1})
    assert len(public["GroupIdList"]) == 1 and public["Next"] != 0
    all_public = await tencent.post(G + "get_appid_group_list", {"GroupType": "Public"})
    assert public["TotalCount"] == len(all_public["GroupIdList"])


async def test_get_appid_group_list_rate_limit_is_one_per_second(
        im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    first = await tencent.post(G + "get_appid_group_list", {"Limit": 1})
    assert first["ErrorCode"] == 0
    second = await tencent.post(G + "get_appid_group_list", {"Limit": 1})
    assert second["ErrorCode"] == 60007
    im_emulator.clock.advance(1)
    assert (await tencent.post(G + "get_appid_group_list", {"Limit": 1}))["ErrorCode"] == 0


@pytest.mark.im_emulator_settings(tencent_appid_group_list_rate_limit=100)
async def test_get_appid_group_list_rate_limit_is_a_setting(
        im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    codes = [(await tencent.post(G + "get_appid_group_list", {"Limit": 1}))["ErrorCode"]
             for _ in range(101)]
    assert codes == [0] * 100 + [60007]


@pytest.mark.im_emulator_settings(rate_limits=False)
@pytest.mark.parametrize("body, expected", [
    ({"Limit": 0}, invalid("Limit must be at least 1")),
    ({"Limit": 10001}, invalid("Limit must not exceed 10000")),
    ({"Next": -1}, invalid("Next must be at least 0")),
    ({"GroupType": "Secret"}, invalid(
        "GroupType 'Secret' is not one of Public, Private, Work, ChatRoom, Meeting, AVChatRoom, "
        "Community, BChatRoom")),
])
async def test_get_appid_group_list_errors(tencent: TencentClient, body: dict[str, Any],
                                           expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "get_appid_group_list", body) == expected


async def test_modify_group_base_info(im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    assert await tencent.post(G + "modify_group_base_info", {
        "GroupId": "g-book-club", "Name": "Books", "Introduction": "i", "Notification": "n",
        "FaceUrl": "https://f", "MaxMemberNum": 500, "ApplyJoinOption": "DisableApply",
        "AppDefinedData": [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}],
        "MuteAllMember": "On"}) == OK
    info = (await tencent.post(G + "get_group_info", {"GroupIdList": ["g-book-club"]}))[
        "GroupInfo"][0]
    assert (info["Name"], info["Introduction"], info["Notification"], info["FaceUrl"],
            info["MaxMemberNum"], info["ApplyJoinOption"], info["ShutUpAllMember"],
            info["LastInfoTime"]) == ("Books", "i", "n", "https://f", 500, "DisableApply", "On",
                                      1700000000)
    assert info["AppDefinedData"] == [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}]
    assert await tencent.post(G + "modify_group_base_info", {
        "GroupId": "g-book-club", "ShutUpAllMember": "Off",
        "AppDefinedData": [{"Key": "k1", "Value": ""}]}) == OK
    info = (await tencent.post(G + "get_group_info", {"GroupIdList": ["g-book-club"],
            "ResponseFilter": {"GroupBaseInfoFilter": ["ShutUpAllMember"],
                               "AppDefinedDataFilter_Group": ["k1", "k2"]}}))["GroupInfo"][0]
    assert (info["ShutUpAllMember"], info["AppDefinedData"]) == (
        "Off", [{"Key": "k2", "Value": "v2"}])
    group = await im_emulator.store.get_group("g-book-club")
    assert (group.name, group.max_members) == ("Books", 500)


@pytest.mark.parametrize("body, expected", [
    ({"Name": ""}, invalid("Name must not be empty")),
    ({"Name": "x" * 31}, invalid("Name is longer than 30 bytes")),
    ({"Introduction": "x" * 241}, invalid("Introduction is longer than 240 bytes")),
    ({"Notification": "x" * 301}, invalid("Notification is longer than 300 bytes")),
    ({"FaceUrl": "x" * 101}, invalid("FaceUrl is longer than 100 bytes")),
    ({"MaxMemberNum": 2}, invalid("MaxMemberNum is below the group's 5 members")),
    ({"ApplyJoinOption": "Anyone"},
     invalid("ApplyJoinOption must be FreeAccess, NeedPermission or DisableApply")),
    ({"MuteAllMember": "Yes"}, invalid("MuteAllMember must be On or Off")),
    ({"AppDefinedData": [{"Value": "v"}]}, invalid("AppDefinedData[0].Key is required")),
])
async def test_modify_group_base_info_errors(tencent: TencentClient, body: dict[str, Any],
                                             expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "modify_group_base_info",
                              {"GroupId": "g-hiking", **body}) == expected


async def test_change_group_owner(im_emulator: Any, tencent: TencentClient) -> None:
    assert await tencent.post(G + "change_group_owner",
                              {"GroupId": "g-hiking", "NewOwner_Account": "carol"}) == OK
    roles = await tencent.post(G + "get_role_in_group",
                               {"GroupId": "g-hiking", "User_Account": ["carol", "alice"]})
    assert roles["UserIdList"] == [{"Member_Account": "carol", "Role": "Owner"},
                                   {"Member_Account": "alice", "Role": "Member"}]
    assert (await im_emulator.store.get_group("g-hiking")).owner == "carol"
    assert await tencent.post(G + "change_group_owner",
                              {"GroupId": "g-hiking", "NewOwner_Account": "zoe"}) == invalid(
        "NewOwner_Account 'zoe' is not a member of the group")
    assert await tencent.post(G + "change_group_owner",
                              {"GroupId": "g-hiking", "NewOwner_Account": "ghost"}) == fail(
        10019, "the requested account does not exist: ghost")
    assert await tencent.post(G + "change_group_owner",
                              {"GroupId": "g-live", "NewOwner_Account": "alice"}) == fail(
        10007, "insufficient permission for this operation: AVChatRoom groups cannot change "
               "owner")


TEXT = [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}]
GROUP_COMMANDS: dict[str, dict[str, Any]] = {
    "add_group_member": {"MemberList": [{"Member_Account": "bob"}]},
    "delete_group_member": {"MemberToDel_Account": ["bob"]},
    "destroy_group": {},
    "modify_group_base_info": {"Name": "x"},
    "change_group_owner": {"NewOwner_Account": "bob"},
    "get_group_member_info": {},
    "get_specified_group_member_info": {"Member_List_Account": ["bob"]},
    "modify_group_member_info": {"Member_Account": "bob", "NameCard": "b"},
    "get_role_in_group": {"User_Account": ["bob"]},
    "forbid_send_msg": {"Members_Account": ["bob"], "MuteTime": 5},
    "get_group_muted_account": {},
    "get_group_shutted_uin": {},
    "send_group_msg": {"Random": 1, "MsgBody": TEXT},
    "group_msg_get_simple": {"ReqMsgNumber": 1},
    "group_msg_recall": {"MsgSeqList": [{"MsgSeq": 1}]},
    "send_group_system_notification": {"Content": "hi"},
    "delete_group_msg_by_sender": {"Sender_Account": "bob"},
    "get_online_member_num": {},
    "import_group_member": {"MemberList": [{"Member_Account": "bob"}]},
    "import_group_msg": {"MsgList": [{"From_Account": "bob", "SendTime": 1, "MsgBody": TEXT}]},
    "set_unread_msg_num": {"Member_Account": "bob", "UnreadMsgNum": 1},
}


@pytest.mark.parametrize("command", sorted(GROUP_COMMANDS))
async def test_unknown_group_is_10015_and_destroyed_is_10010(tencent: TencentClient,
                                                             command: str) -> None:
    body = GROUP_COMMANDS[command]
    assert await tencent.post(G + command, {"GroupId": "never", **body}) == fail(
        10015, "group id not found")
    assert await tencent.post(G + command, {"GroupId": "g-old-project", **body}) == fail(
        10010, "the group does not exist or has been dismissed")


def test_every_command_naming_one_group_is_checked_above() -> None:
    from emulator.vendors.tencent.routes import COMMANDS
    served = {name.removeprefix(G) for name in COMMANDS if name.startswith(G)}
    no_group_id = {"create_group", "import_group", "get_joined_group_list", "get_group_info",
                   "get_appid_group_list"}
    assert served - no_group_id == set(GROUP_COMMANDS)


@pytest.mark.im_emulator_settings(rate_limits=False)
async def test_get_appid_group_list_answers_at_most_10000_without_a_limit(
        im_emulator: Any, tencent: TencentClient) -> None:
    groups = [{"id": f"g{i:05d}", "name": "G", "type": "public", "owner": "o"}
              for i in range(10_001)]
    reset = await im_emulator.client.post("/_emulator/reset", json={"fixture": {
        "users": [{"id": "o"}], "groups": groups}})
    assert reset.status_code == 200
    first = await tencent.post(G + "get_appid_group_list", {})
    assert (first["TotalCount"], len(first["GroupIdList"])) == (10_001, 10_000)
    assert first["Next"] != 0
    rest = await tencent.post(G + "get_appid_group_list", {"Next": first["Next"]})
    assert rest["GroupIdList"] == [{"GroupId": "g10000"}] and rest["Next"] == 0
