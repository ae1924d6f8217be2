"""Member commands: delete_group_member, get_group_member_info, get_specified_group_member_info,
modify_group_member_info, get_role_in_group, forbid_send_msg, get_group_muted_account and
get_group_shutted_uin."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.tencent.helpers import OK, TencentClient, fail

pytestmark = pytest.mark.anyio
G = "group_open_http_svc/"


def invalid(detail: str) -> dict[str, Any]:
    return fail(10004, f"invalid parameter: {detail}")


async def member_ids(im_emulator: Any, group_id: str) -> list[str]:
    return [m.user_id for m in await im_emulator.store.members(group_id)]


async def test_delete_group_member_skips_non_members(im_emulator: Any,
                                                     tencent: TencentClient) -> None:
    assert await tencent.post(G + "delete_group_member", {
        "GroupId": "g-hiking", "MemberToDel_Account": ["carol", "zoe", "ghost", "carol"],
        "Silence": 1, "Reason": "cleanup"}) == OK
    assert await member_ids(im_emulator, "g-hiking") == ["alice", "bob", "heavy", "dave"]
    group = await im_emulator.store.get_group("g-hiking")
    assert group.member_count == 4


@pytest.mark.parametrize("body, expected", [
    ({"MemberToDel_Account": ["bob"]}, invalid("GroupId is required")),
    ({"GroupId": "g-hiking"}, invalid("MemberToDel_Account is required")),
    ({"GroupId": "g-hiking", "MemberToDel_Account": []},
     invalid("MemberToDel_Account must not be empty")),
    ({"GroupId": "g-hiking", "MemberToDel_Account": [f"u{i}" for i in range(101)]},
     invalid("MemberToDel_Account has more than 100 items")),
    ({"GroupId": "g-hiking", "MemberToDel_Account": [1]},
     invalid("MemberToDel_Account[0] must be a string, not an integer")),
    ({"GroupId": "g-hiking", "MemberToDel_Account": ["alice"]},
     invalid("MemberToDel_Account names the owner 'alice', who cannot be deleted "
             "(change_group_owner first)")),
    ({"GroupId": "g-live", "MemberToDel_Account": ["heidi"]},
     invalid("AVChatRoom groups do not support delete_group_member; members leave from the "
             "client SDK")),
    ({"GroupId": "never", "MemberToDel_Account": ["bob"]}, fail(10015, "group id not found")),
    ({"GroupId": "g-old-project", "MemberToDel_Account": ["bob"]},
     fail(10010, "the group does not exist or has been dismissed")),
])
async def test_delete_group_member_errors(tencent: TencentClient, body: dict[str, Any],
                                          expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "delete_group_member", body) == expected


async def test_delete_then_other_vendors_agree(im_emulator: Any, tencent: TencentClient) -> None:
    await tencent.post(G + "delete_group_member",
                       {"GroupId": "g-book-club", "MemberToDel_Account": ["erin"]})
    listed = await tencent.post(G + "get_joined_group_list", {"Member_Account": "erin"})
    assert {"GroupId": "g-book-club"} not in listed["GroupIdList"]


async def test_get_group_member_info_full_rows(im_emulator: Any, tencent: TencentClient) -> None:
    result = await tencent.post(G + "get_group_member_info", {"GroupId": "g-hiking"})
    assert result["MemberNum"] == 5
    accounts = [row["Member_Account"] for row in result["MemberList"]]
    assert accounts[:2] == ["alice", "bob"] and sorted(accounts) == sorted(
        ["alice", "bob", "carol", "dave", "heavy"])
    first = result["MemberList"][0]
    assert list(first) == ["Member_Account", "Role", "JoinTime", "MsgSeq", "MsgFlag",
                           "LastSendMsgTime", "ShutUpUntil", "NameCard"]
    assert (first["Role"], first["MsgFlag"], first["ShutUpUntil"]) == (
        "Owner", "AcceptAndNotify", 0)
    assert "Next" not in result


async def test_get_group_member_info_filters_and_paging(tencent: TencentClient) -> None:
    admins = await tencent.post(G + "get_group_member_info", {
        "GroupId": "g-hiking", "MemberRoleFilter": ["Admin"], "MemberInfoFilter": ["Role"]})
    assert admins["MemberList"] == [{"Member_Account": "bob", "Role": "Admin"}]
    assert admins["MemberNum"] == 5
    seen = []
    for offset in range(0, 6, 2):
        page = await tencent.post(G + "get_group_member_info", {
            "GroupId": "g-hiking", "Limit": 2, "Offset": offset, "MemberInfoFilter": []})
        seen += [row["Member_Account"] for row in page["MemberList"]]
        assert all(list(row) == ["Member_Account"] for row in page["MemberList"])
    assert len(seen) == 5 and len(set(seen)) == 5


async def test_get_group_member_info_community_next(tencent: TencentClient) -> None:
    seen: list[str] = []
    cursor = ""
    for _ in range(10):
        page = await tencent.post(G + "get_group_member_info", {
            "GroupId": "g-community", "Limit": 2, "Next": cursor})
        seen += [row["Member_Account"] for row in page["MemberList"]]
        cursor = page["Next"]
        if not cursor:
            break
    assert seen == ["heidi", "ivan", "judy", "alice", "bob", "heavy", "zoe"][:len(seen)]
    assert len(seen) == 7
    bad = await tencent.post(G + "get_group_member_info", {"GroupId": "g-community",
                                                           "Next": "nonsense"})
    assert bad == invalid("Next is not a cursor this command answered")


@pytest.mark.parametrize("body, expected", [
    ({"GroupId": "g-live"}, invalid("AVChatRoom groups do not support get_group_member_info; "
                                    "use the AVChatRoom member commands")),
    ({"GroupId": "g-hiking", "Limit": 6001}, invalid("Limit must not exceed 6000")),
    ({"GroupId": "g-hiking", "MemberRoleFilter": ["Boss"]},
     invalid("MemberRoleFilter 'Boss' is not Owner, Admin or Member")),
    ({"GroupId": "nope"}, fail(10015, "group id not found")),
])
async def test_get_group_member_info_errors(tencent: TencentClient, body: dict[str, Any],
                                            expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "get_group_member_info", body) == expected


async def test_get_specified_group_member_info(tencent: TencentClient) -> None:
    result = await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-hiking", "Member_List_Account": ["bob", "ghost", "alice"]})
    assert [(r["Member_Account"], r["Role"]) for r in result["MemberList"]] == [
        ("bob", "Admin"), ("alice", "Owner")]
    too_many = await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-hiking", "Member_List_Account": [f"u{i}" for i in range(51)]})
    assert too_many == invalid("Member_List_Account has more than 50 items")


async def test_get_specified_group_member_info_filters(im_emulator: Any,
                                                       tencent: TencentClient) -> None:
    """The current page's filters: MemberInfoFilter (with the new name MuteUntil),
    MemberRoleFilter and AppDefinedDataFilter_GroupMember."""
    im_emulator.clock.freeze()
    assert await tencent.post(G + "modify_group_member_info", {
        "GroupId": "g-book-club", "Member_Account": "erin", "MuteTime": 60, "NameCard": "E",
        "AppMemberDefinedData": [{"Key": "level", "Value": "3"}]}) == OK
    until = im_emulator.clock.now_ms() // 1000 + 60
    result = await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-book-club", "Member_List_Account": ["erin", "nobody"],
        "MemberInfoFilter": ["NameCard", "MuteUntil", "Unknown"],
        "AppDefinedDataFilter_GroupMember": ["level", "other"]})
    assert result == {**OK, "MemberList": [{
        "Member_Account": "erin", "NameCard": "E", "MuteUntil": until,
        "AppMemberDefinedData": [{"Key": "level", "Value": "3"}]}]}
    owner = (await tencent.post(G + "get_group_info", {"GroupIdList": ["g-book-club"]}))[
        "GroupInfo"][0]["Owner_Account"]
    only_owner = await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-book-club", "Member_List_Account": ["erin", owner],
        "MemberRoleFilter": ["Owner"], "MemberInfoFilter": ["Role"]})
    assert only_owner["MemberList"] == [{"Member_Account": owner, "Role": "Owner"}]
    assert await tencent.post(G + "get_specified_group_member_info", {
        "GroupId": "g-book-club", "Member_List_Account": ["erin"],
        "MemberRoleFilter": ["Boss"]}) == invalid(
        "MemberRoleFilter 'Boss' is not Owner, Admin or Member")
    full = await tencent.post(G + "get_group_member_info", {
        "GroupId": "g-book-club", "MemberInfoFilter": ["ShutUpUntil", "MuteUntil"],
        "MemberRoleFilter": ["Member"]})
    erin = next(row for row in full["MemberList"] if row["Member_Account"] == "erin")
    assert erin == {"Member_Account": "erin", "ShutUpUntil": until, "MuteUntil": until}


@pytest.mark.parametrize("body, expected", [
    ({"GroupId": "g-hiking"}, invalid("Member_List_Account is required")),
    ({"GroupId": "g-hiking", "Member_List_Account": []},
     invalid("Member_List_Account must not be empty")),
    ({"GroupId": "g-live", "Member_List_Account": ["heidi"]},
     invalid("AVChatRoom groups do not support get_specified_group_member_info")),
    ({"GroupId": "never", "Member_List_Account": ["bob"]}, fail(10015, "group id not found")),
    ({"GroupId": "g-old-project", "Member_List_Account": ["bob"]},
     fail(10010, "the group does not exist or has been dismissed")),
])
async def test_get_specified_group_member_info_errors(tencent: TencentClient,
                                                      body: dict[str, Any],
                                                      expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "get_specified_group_member_info", body) == expected


async def test_modify_group_member_info(im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    assert await tencent.post(G + "modify_group_member_info", {
        "GroupId": "g-hiking", "Member_Account": "carol", "Role": "Admin",
        "MsgFlag": "AcceptNotNotify", "NameCard": "Caro",
        "AppMemberDefinedData": [{"Key": "level", "Value": "3"}], "MuteTime": 60}) == OK
    member = await im_emulator.store.member("g-hiking", "carol")
    assert (member.role, member.msg_flag, member.nickname) == ("admin", "AcceptNotNotify", "Caro")
    assert member.mute_until_ms == 1700000060000
    rows = await tencent.post(G + "get_group_member_info", {
        "GroupId": "g-hiking", "MemberRoleFilter": ["Admin"],
        "MemberInfoFilter": ["NameCard", "ShutUpUntil"],
        "AppDefinedDataFilter_GroupMember": ["level"]})
    assert {"Member_Account": "carol", "ShutUpUntil": 1700000060, "NameCard": "Caro",
            "AppMemberDefinedData": [{"Key": "level", "Value": "3"}]} in rows["MemberList"]
    assert await tencent.post(G + "modify_group_member_info", {
        "GroupId": "g-hiking", "Member_Account": "carol", "ShutUpTime": 0,
        "Role": "Member"}) == OK
    member = await im_emulator.store.member("g-hiking", "carol")
    assert (member.role, member.muted(im_emulator.clock.now_ms())) == ("member", False)


@pytest.mark.parametrize("body, expected", [
    ({"GroupId": "g-hiking"}, invalid("Member_Account is required")),
    ({"GroupId": "g-hiking", "Member_Account": "carol", "Role": "Owner"},
     invalid("Role must be Admin or Member")),
    ({"GroupId": "g-hiking", "Member_Account": "carol", "MsgFlag": "Loud"},
     invalid("MsgFlag must be one of AcceptAndNotify, AcceptNotNotify, Discard")),
    ({"GroupId": "g-hiking", "Member_Account": "carol", "NameCard": "x" * 51},
     invalid("NameCard is longer than 50 bytes")),
    ({"GroupId": "g-hiking", "Member_Account": "zoe", "NameCard": "z"},
     invalid("Member_Account 'zoe' is not a member of the group")),
    ({"GroupId": "g-hiking", "Member_Account": "alice", "Role": "Member"},
     invalid("the owner's Role cannot change (change_group_owner)")),
    ({"GroupId": "g-live", "Member_Account": "alice", "NameCard": "a"},
     invalid("AVChatRoom groups do not support modify_group_member_info")),
])
async def test_modify_group_member_info_errors(tencent: TencentClient, body: dict[str, Any],
                                               expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "modify_group_member_info", body) == expected


async def test_get_role_in_group(tencent: TencentClient) -> None:
    result = await tencent.post(G + "get_role_in_group", {
        "GroupId": "g-hiking", "User_Account": ["alice", "bob", "carol", "zoe"]})
    assert result == {**OK, "UserIdList": [
        {"Member_Account": "alice", "Role": "Owner"}, {"Member_Account": "bob", "Role": "Admin"},
        {"Member_Account": "carol", "Role": "Member"},
        {"Member_Account": "zoe", "Role": "NotMember"}]}
    assert await tencent.post(G + "get_role_in_group", {
        "GroupId": "g-hiking", "User_Account": [f"u{i}" for i in range(501)]}) == invalid(
        "User_Account has more than 500 items")


async def test_forbid_send_msg_and_muted_lists(im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    assert await tencent.post(G + "forbid_send_msg", {
        "GroupId": "g-book-club", "Members_Account": ["erin", "ghost"], "MuteTime": 60}) == OK
    assert await tencent.post(G + "forbid_send_msg", {
        "GroupId": "g-book-club", "Members_Account": ["frank"], "ShutUpTime": 4294967295}) == OK
    muted = await tencent.post(G + "get_group_muted_account", {"GroupId": "g-book-club"})
    assert muted == {**OK, "GroupId": "g-book-club", "MutedAccountList": [
        {"Member_Account": "erin", "MutedUntil": 1700000060},
        {"Member_Account": "frank", "MutedUntil": 1700000000 + 4294967295}]}
    old = await tencent.post(G + "get_group_shutted_uin", {"GroupId": "g-book-club"})
    assert old["ShuttedUinList"][0] == {"Member_Account": "erin", "ShuttedUntil": 1700000060}
    im_emulator.clock.advance(61)
    muted = await tencent.post(G + "get_group_muted_account", {"GroupId": "g-book-club"})
    assert [m["Member_Account"] for m in muted["MutedAccountList"]] == ["frank"]
    assert await tencent.post(G + "forbid_send_msg", {
        "GroupId": "g-book-club", "Members_Account": ["frank"], "MuteTime": 0}) == OK
    muted = await tencent.post(G + "get_group_muted_account", {"GroupId": "g-book-club"})
    assert muted["MutedAccountList"] == []


@pytest.mark.parametrize("body, expected", [
    ({"GroupId": "g-hiking", "Members_Account": ["bob"], "MuteTime": 5},
     invalid("Work (Private) groups do not support muting members")),
    ({"GroupId": "g-book-club", "Members_Account": ["erin"]},
     invalid("MuteTime is required (or its old name ShutUpTime)")),
    ({"GroupId": "g-book-club", "Members_Account": ["erin"], "MuteTime": -1},
     invalid("MuteTime must be at least 0")),
    ({"GroupId": "g-book-club", "Members_Account": ["erin"], "ShutUpTime": 4294967296},
     invalid("ShutUpTime must not exceed 4294967295")),
    ({"GroupId": "g-book-club", "Members_Account": [f"u{i}" for i in range(501)],
      "MuteTime": 1}, invalid("Members_Account has more than 500 items")),
])
async def test_forbid_send_msg_errors(tencent: TencentClient, body: dict[str, Any],
                                      expected: dict[str, Any]) -> None:
    assert await tencent.post(G + "forbid_send_msg", body) == expected
