"""Tencent groups: create_group (custom and generated ids, types, owners), destroy_group, and
what get_joined_group_list shows after seeding through Tencent's own API."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.vendors.tencent.helpers import TencentClient, OK, fail

pytestmark = pytest.mark.anyio


async def imported(tencent: TencentClient, *accounts: str) -> None:
    for account in accounts:
        assert await tencent.post("im_open_login_svc/account_import", {"UserID": account}) == OK


async def test_create_group_with_custom_id_and_members(im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    await imported(tencent, "own", "adm", "mem")
    body = {"Owner_Account": "own", "Type": "Public", "Name": "TestGroup", "GroupId": "custom-1",
            "Introduction": "hi", "MaxMemberCount": 100, "ApplyJoinOption": "FreeAccess",
            "MemberList": [{"Member_Account": "adm", "Role": "Admin"},
                           {"Member_Account": "mem"}, {"Member_Account": "own"}]}
    assert await tencent.post("group_open_http_svc/create_group", body) == {
        **OK, "GroupId": "custom-1"}
    members = await im_emulator.store.members("custom-1")
    assert [(m.user_id, m.role, m.join_time_ms) for m in members] == [
        ("own", "owner", 1700000000000), ("adm", "admin", 1700000000000),
        ("mem", "member", 1700000000000)]
    listed = await tencent.post("group_open_http_svc/get_joined_group_list", {
        "Member_Account": "adm", "ResponseFilter": {
            "GroupBaseInfoFilter": ["Type", "Name", "Introduction", "CreateTime",
                                    "Owner_Account", "MemberNum", "MaxMemberNum",
                                    "ApplyJoinOption", "NextMsgSeq"],
            "SelfInfoFilter": ["Role", "JoinTime"]}})
    assert listed == {**OK, "TotalCount": 1, "GroupIdList": [{
        "GroupId": "custom-1", "Type": "Public", "Name": "TestGroup", "Introduction": "hi",
        "CreateTime": 1700000000, "Owner_Account": "own", "NextMsgSeq": 1, "MemberNum": 3,
        "MaxMemberNum": 100, "ApplyJoinOption": "FreeAccess",
        "SelfInfo": {"Role": "Admin", "JoinTime": 1700000000}}]}


async def test_create_group_generated_id(im_emulator: Any, tencent: TencentClient) -> None:
    for type_name, stored in (("Private", "work"), ("Work", "work"), ("ChatRoom", "meeting"),
                              ("Meeting", "meeting")):
        result = await tencent.post("group_open_http_svc/create_group",
                            {"Type": type_name, "Name": "G", "Owner_Account": "alice"})
        assert re.fullmatch(r"@TGS#2[A-Z0-9]{8}", result["GroupId"]), result
        group = await im_emulator.store.get_group(result["GroupId"])
        assert (group.type, group.owner, group.member_count) == (stored, "alice", 1)


async def test_create_group_without_owner(im_emulator: Any, tencent: TencentClient) -> None:
    result = await tencent.post("group_open_http_svc/create_group",
                        {"Type": "Public", "Name": "Orphan", "GroupId": "orphan",
                         "MemberList": [{"Member_Account": "bob"}]})
    assert result == {**OK, "GroupId": "orphan"}
    group = await im_emulator.store.get_group("orphan")
    assert (group.owner, group.creator, group.member_count) == ("", "administrator", 1)


async def test_create_avchatroom(im_emulator: Any, tencent: TencentClient) -> None:
    result = await tencent.post("group_open_http_svc/create_group",
                        {"Type": "AVChatRoom", "Name": "Live", "Owner_Account": "alice"})
    assert re.fullmatch(r"@TGS#a[A-Z0-9]{8}", result["GroupId"])
    group = await im_emulator.store.get_group(result["GroupId"])
    assert (group.type, group.member_count) == ("avchatroom", 0)
    with_members = await tencent.post("group_open_http_svc/create_group", {
        "Type": "AVChatRoom", "Name": "Live", "MemberList": [{"Member_Account": "bob"}]})
    assert with_members == fail(10007, "insufficient permission for this operation: an "
                                       "AVChatRoom takes no MemberList; members join from the "
                                       "client SDK")


async def test_create_group_id_already_used_and_reuse_after_destroy(im_emulator: Any, tencent: TencentClient) -> None:
    body = {"Type": "Public", "Name": "Again", "GroupId": "g-hiking"}
    assert await tencent.post("group_open_http_svc/create_group", body) == fail(
        10021, "the group id is already used, please choose another one")
    reused = await tencent.post("group_open_http_svc/create_group",
                        {**body, "GroupId": "g-old-project", "Owner_Account": "bob"})
    assert reused == {**OK, "GroupId": "g-old-project"}
    members = await im_emulator.store.members("g-old-project")
    assert [(m.user_id, m.role) for m in members] == [("bob", "owner")]
    assert (await im_emulator.store.get_group("g-old-project")).status == "normal"


@pytest.mark.parametrize("body, code, info", [
    ({"Name": "x"}, 10004, "invalid parameter: Type is required"),
    ({"Type": "Secret", "Name": "x"}, 10004, "invalid parameter: Type 'Secret' is not one of "
                                             "Public, Private, Work, ChatRoom, Meeting, "
                                             "AVChatRoom, Community"),
    ({"Type": "Public"}, 10004, "invalid parameter: Name is required"),
    ({"Type": "Public", "Name": "n" * 31}, 10004, "invalid parameter: Name is longer than "
                                                  "30 bytes"),
    ({"Type": "Public", "Name": "x", "GroupId": "@TGS#mine"}, 10004,
     "invalid parameter: GroupId must not start with @TGS#"),
    ({"Type": "Public", "Name": "x", "GroupId": "g" * 49}, 10004,
     "invalid parameter: GroupId is longer than 48 bytes"),
    ({"Type": "Public", "Name": "x", "GroupId": "has space"}, 10004,
     "invalid parameter: GroupId must be printable ASCII without spaces"),
    ({"Type": "Public", "Name": "x", "Introduction": "i" * 241}, 10004,
     "invalid parameter: Introduction is longer than 240 bytes"),
    ({"Type": "Public", "Name": "x", "MaxMemberCount": 2**64 - 1}, 10004,
     "invalid parameter: MaxMemberCount must not exceed 4294967295"),
    ({"Type": "Public", "Name": "x", "ApplyJoinOption": "Maybe"}, 10004,
     "invalid parameter: ApplyJoinOption must be FreeAccess, NeedPermission or DisableApply"),
    ({"Type": "Public", "Name": "x", "MemberList": [{"Member_Account": "bob", "Role": "Owner"}]},
     10004, "invalid parameter: MemberList[0].Role must be Admin or Member"),
    ({"Type": "Public", "Name": "x", "MemberList": ["bob"]}, 10004,
     "invalid parameter: MemberList[0] must be an object, not a string"),
    ({"Type": "Public", "Name": "x", "Owner_Account": "ghost"}, 10019,
     "the requested account does not exist: ghost"),
    ({"Type": "Public", "Name": "x", "MemberList": [{"Member_Account": "ghost"},
                                                    {"Member_Account": "bob"},
                                                    {"Member_Account": "phantom"}]}, 10019,
     "the requested account does not exist: ghost, phantom"),
    ({"Type": "Public", "Name": "x", "Owner_Account": 7}, 60015,
     "an account field must be a string: Owner_Account is an integer"),
])
async def test_create_group_errors(im_emulator: Any, tencent: TencentClient, body: dict[str, Any], code: int,
                                   info: str) -> None:
    assert await tencent.post("group_open_http_svc/create_group", body) == fail(code, info)


async def test_destroy_group_hides_it(im_emulator: Any, tencent: TencentClient) -> None:
    before = await tencent.post("group_open_http_svc/get_joined_group_list",
                        {"Member_Account": "alice"})
    assert await tencent.post("group_open_http_svc/destroy_group",
                      {"GroupId": "g-hiking"}) == OK
    after = await tencent.post("group_open_http_svc/get_joined_group_list",
                       {"Member_Account": "alice"})
    assert after["TotalCount"] == before["TotalCount"] - 1
    assert {"GroupId": "g-hiking"} not in after["GroupIdList"]
    assert (await im_emulator.store.get_group("g-hiking")).status == "dismissed"
    gone = fail(10010, "the group does not exist or has been dismissed")
    assert await tencent.post("group_open_http_svc/destroy_group",
                      {"GroupId": "g-hiking"}) == gone
    # Fidelity fix: an id that never existed is 10015, a destroyed one 10010.
    assert await tencent.post("group_open_http_svc/destroy_group",
                      {"GroupId": "never"}) == fail(10015, "group id not found")
    assert await tencent.post("group_open_http_svc/destroy_group", {}) == fail(
        10004, "invalid parameter: GroupId is required")


async def test_seed_then_list_round_trip(im_emulator: Any, tencent: TencentClient) -> None:
    await imported(tencent, "r1", "r2")
    created = []
    for index in range(3):
        result = await tencent.post("group_open_http_svc/create_group", {
            "Type": "Public", "Name": f"R{index}", "Owner_Account": "r1"})
        created.append(result["GroupId"])
        im_emulator.clock.advance(1)
    for group_id in created:
        added = await tencent.post("group_open_http_svc/add_group_member",
                           {"GroupId": group_id, "MemberList": [{"Member_Account": "r2"}]})
        assert added["MemberList"] == [{"Member_Account": "r2", "Result": 1}]
    listed = await tencent.post("group_open_http_svc/get_joined_group_list",
                        {"Member_Account": "r1"})
    assert listed == {**OK, "TotalCount": 3, "GroupIdList": [{"GroupId": g} for g in created]}


async def test_community_ids(im_emulator: Any, tencent: TencentClient) -> None:
    """Fidelity fix: a Community id is ``@TGS#_...``, custom or generated."""
    made = await tencent.post("group_open_http_svc/create_group",
                              {"Type": "Community", "Name": "C", "Owner_Account": "alice"})
    assert re.fullmatch(r"@TGS#_@TGS#c[A-Z0-9]{12}", made["GroupId"]), made
    assert (await im_emulator.store.get_group(made["GroupId"])).type == "community"
    custom = await tencent.post("group_open_http_svc/create_group", {
        "Type": "Community", "Name": "C", "Owner_Account": "alice", "GroupId": "@TGS#_mine"})
    assert custom == {**OK, "GroupId": "@TGS#_mine"}
    for bad in ("mine", "@TGS#_"):
        refused = await tencent.post("group_open_http_svc/create_group", {
            "Type": "Community", "Name": "C", "GroupId": bad})
        assert refused == fail(10004, "invalid parameter: GroupId of a Community group must "
                                      "start with @TGS#_")
    other = await tencent.post("group_open_http_svc/create_group", {
        "Type": "Public", "Name": "C", "GroupId": "@TGS#_mine2"})
    assert other == fail(10004, "invalid parameter: GroupId must not start with @TGS#")


@pytest.mark.parametrize("type_name, expected", [
    ("Private", 200), ("Work", 200), ("Public", 2000), ("ChatRoom", 10000), ("Meeting", 10000),
    ("AVChatRoom", 0), ("Community", 100000)])
async def test_default_max_member_num_by_type(im_emulator: Any, tencent: TencentClient,
                                              type_name: str, expected: int) -> None:
    """Fidelity fix: the default MaxMemberNum depends on the type (0 = no limit)."""
    made = await tencent.post("group_open_http_svc/create_group",
                              {"Type": type_name, "Name": "M", "Owner_Account": "alice"})
    info = await tencent.post("group_open_http_svc/get_group_info", {
        "GroupIdList": [made["GroupId"]],
        "ResponseFilter": {"GroupBaseInfoFilter": ["MaxMemberNum"]}})
    assert info["GroupInfo"][0]["MaxMemberNum"] == expected
