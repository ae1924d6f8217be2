"""ZEGO ZIM seeding actions: UserRegister, CreateGroup and InviteUsersIntoGroup, with their
limits, codes, ErrorList reports and the group-level limit of InviteUsersIntoGroup."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.signing import ZegoAuth

pytestmark = pytest.mark.anyio

APP_ID = 1234567890
SECRET = "0123456789abcdef0123456789abcdef"


async def call(emulator: Any, action: str, body: Any) -> dict[str, Any]:
    """POST a signed request and return its JSON, checking the envelope and HTTP 200."""
    response = await emulator.client.post(f"/?Action={action}", json=body,
                                          auth=ZegoAuth(APP_ID, SECRET, clock=emulator.clock))
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    assert list(data)[:3] == ["Code", "Message", "RequestId"]
    return data


def without_id(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "RequestId"}


async def joined_ids(emulator: Any, user: str) -> list[str]:
    data = await call(emulator, "QueryGroupsInfoOfUser", {"FromUserId": user, "Limit": 100})
    return [g["GroupId"] for g in data["GroupInfoList"]]


# ---- UserRegister -------------------------------------------------------------------------

async def test_register_users_then_query_them(im_emulator) -> None:
    data = await call(im_emulator, "UserRegister", {"UserInfo": [
        {"UserId": "aaa", "UserName": "userNamea", "UserAvatar": "http"},
        {"UserId": "bbb", "UserName": "userNameb", "UserAvatar": "http"}]})
    assert without_id(data) == {"Code": 0, "Message": "success", "ErrorList": []}
    user = await im_emulator.store.get_user("aaa")
    assert (user.name, user.face_url) == ("userNamea", "http")
    empty = await call(im_emulator, "QueryGroupsInfoOfUser", {"FromUserId": "bbb", "Limit": 10})
    assert (empty["Code"], empty["HasJoinGroupNum"], empty["GroupInfoList"],
            empty["NextRsp"]) == (0, 0, [], "0")


async def test_register_reports_bad_users_in_error_list(im_emulator) -> None:
    data = await call(im_emulator, "UserRegister", {"UserInfo": [
        {"UserId": "ok-user"},
        {"UserId": "x" * 33},
        {"UserId": ""},
        {"UserId": "has/slash"},
        {"UserId": "long-name", "UserName": "n" * 65},
        {"UserId": 12}]})
    assert data["Code"] == 0
    assert data["ErrorList"] == [
        {"UserId": "x" * 33, "SubCode": 660000012, "SubMessage": "UserId exceeds 32 bytes"},
        {"UserId": "", "SubCode": 660000002, "SubMessage": "UserId is empty"},
        {"UserId": "has/slash", "SubCode": 660000002,
         "SubMessage": "UserId holds a character ZEGO does not allow"},
        {"UserId": "long-name", "SubCode": 660000002, "SubMessage": "UserName exceeds 64 bytes"},
        {"UserId": "", "SubCode": 660000002, "SubMessage": "UserId must be a string"}]
    assert await im_emulator.store.existing_users(["ok-user", "long-name"]) == {"ok-user"}


async def test_register_with_every_user_failing_answers_the_first_sub_code(im_emulator) -> None:
    data = await call(im_emulator, "UserRegister", {"UserInfo": [{"UserId": "y" * 40}]})
    assert (data["Code"], data["Message"]) == (660000012, "UserID exceeds the length limit.")
    assert len(data["ErrorList"]) == 1


async def test_register_again_replaces_name_and_avatar(im_emulator) -> None:
    before = await im_emulator.store.get_user("alice")
    data = await call(im_emulator, "UserRegister", {"UserInfo": [
        {"UserId": "alice", "UserName": "Alice Two", "UserAvatar": "https://a/2.png"}]})
    assert data["Code"] == 0
    after = await im_emulator.store.get_user("alice")
    assert (after.name, after.face_url) == ("Alice Two", "https://a/2.png")
    assert (after.ex, after.created_at) == (before.ex, before.created_at)


@pytest.mark.parametrize("body", [{}, {"UserInfo": []}, {"UserInfo": "aaa"},
                                  {"UserInfo": ["aaa"]},
                                  {"UserInfo": [{"UserId": f"u{i}"} for i in range(101)]}])
async def test_register_parameter_errors(im_emulator, body: dict[str, Any]) -> None:
    data = await call(im_emulator, "UserRegister", body)
    assert data["Code"] == 660000002


async def test_register_one_hundred_users(im_emulator) -> None:
    data = await call(im_emulator, "UserRegister",
                      {"UserInfo": [{"UserId": f"batch-{i:03d}"} for i in range(100)]})
    assert (data["Code"], data["ErrorList"]) == (0, [])
    assert len(await im_emulator.store.existing_users(f"batch-{i:03d}" for i in range(100))) == 100


# ---- CreateGroup --------------------------------------------------------------------------

async def test_create_group_with_id(im_emulator) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000)
    data = await call(im_emulator, "CreateGroup", {
        "GroupId": "zg-1", "GroupName": "Zego One", "GroupNotice": "hello",
        "GroupAvatar": "https://x/1.png", "GroupOwner": "alice", "UserIds": ["bob", "carol"]})
    assert without_id(data) == {"Code": 0, "Message": "success", "GroupId": "zg-1",
                                "ErrorList": []}
    group = await im_emulator.store.get_group("zg-1")
    assert (group.name, group.type, group.owner, group.notification, group.face_url,
            group.apply_join_option, group.create_time_ms, group.member_count) == (
        "Zego One", "public", "alice", "hello", "https://x/1.png", "FreeAccess",
        1_800_000_000_000, 3)
    roles = {m.user_id: m.role for m in await im_emulator.store.members("zg-1")}
    assert roles == {"alice": "owner", "bob": "member", "carol": "member"}
    assert "zg-1" in await joined_ids(im_emulator, "bob")


async def test_create_group_generates_an_id(im_emulator) -> None:
    first = await call(im_emulator, "CreateGroup", {"GroupOwner": "alice", "GroupId": ""})
    second = await call(im_emulator, "CreateGroup", {"GroupOwner": "alice"})
    assert first["Code"] == second["Code"] == 0
    assert first["GroupId"].startswith("#") and second["GroupId"].startswith("#")
    assert first["GroupId"] != second["GroupId"] and len(first["GroupId"]) <= 32
    assert await im_emulator.store.get_group(first["GroupId"]) is not None


async def test_create_group_accepts_the_user_id_key(im_emulator) -> None:
    data = await call(im_emulator, "CreateGroup",
                      {"GroupId": "zg-key", "GroupOwner": "alice", "UserId": ["bob"]})
    assert data["Code"] == 0
    assert {m.user_id for m in await im_emulator.store.members("zg-key")} == {"alice", "bob"}


async def test_create_group_reports_unregistered_members(im_emulator) -> None:
    data = await call(im_emulator, "CreateGroup", {
        "GroupId": "zg-2", "GroupOwner": "alice", "UserIds": ["bob", "ghost", "alice", "bob"]})
    assert data["Code"] == 0
    assert data["ErrorList"] == [{"UserId": "ghost", "SubCode": 660500002,
                                  "SubMessage": "The user is not registered."}]
    assert {m.user_id for m in await im_emulator.store.members("zg-2")} == {"alice", "bob"}


@pytest.mark.parametrize(("body", "code"), [
    ({"GroupId": "zg-3"}, 660000002),
    ({"GroupId": "#zg", "GroupOwner": "alice"}, 660000002),
    ({"GroupId": "g" * 33, "GroupOwner": "alice"}, 660000012),
    ({"GroupId": "zg 3/", "GroupOwner": "alice"}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "GroupName": "n" * 51}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "GroupNotice": "n" * 301}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "GroupAvatar": "n" * 501}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "UserIds": [f"u{i}" for i in range(101)]},
     660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "UserIds": [1, 2]}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "ghost"}, 660500002),
    ({"GroupId": "g-hiking", "GroupOwner": "alice"}, 660600002),
])
async def test_create_group_errors(im_emulator, body: dict[str, Any], code: int) -> None:
    data = await call(im_emulator, "CreateGroup", body)
    assert data["Code"] == code
    assert list(data) == ["Code", "Message", "RequestId"]


async def test_create_group_name_limit_is_in_bytes(im_emulator) -> None:
    name = "群" * 17
    data = await call(im_emulator, "CreateGroup",
                      {"GroupId": "zg-bytes", "GroupOwner": "alice", "GroupName": name})
    assert data["Code"] == 660000002
    data = await call(im_emulator, "CreateGroup",
                      {"GroupId": "zg-bytes", "GroupOwner": "alice", "GroupName": "群" * 16})
    assert data["Code"] == 0


async def test_create_group_reuses_a_dismissed_id(im_emulator) -> None:
    assert (await im_emulator.store.get_group("g-old-project")).status == "dismissed"
    data = await call(im_emulator, "CreateGroup",
                      {"GroupId": "g-old-project", "GroupOwner": "bob", "GroupName": "Reborn"})
    assert data["Code"] == 0
    group = await im_emulator.store.get_group("g-old-project")
    assert (group.status, group.name, group.owner, group.member_count) == (
        "normal", "Reborn", "bob", 1)


# ---- InviteUsersIntoGroup -----------------------------------------------------------------

async def test_invite_with_user_ids(im_emulator) -> None:
    await call(im_emulator, "CreateGroup", {"GroupId": "zg-inv", "GroupOwner": "alice"})
    data = await call(im_emulator, "InviteUsersIntoGroup", {
        "FromUserId": "alice", "GroupId": "zg-inv", "UserIds": ["bob", "carol", "alice", "ghost"]})
    assert without_id(data) == {"Code": 0, "Message": "success", "ErrorList": [
        {"UserId": "ghost", "SubCode": 660500002, "SubMessage": "The user is not registered."}]}
    assert {m.user_id for m in await im_emulator.store.members("zg-inv")} == {
        "alice", "bob", "carol"}


async def test_invite_with_member_infos_sets_join_time(im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "newbie"}]})
    for group_id in ("zg-late", "zg-early"):
        await call(im_emulator, "CreateGroup", {"GroupId": group_id, "GroupOwner": "alice"})
    for group_id, at in (("zg-late", 2_000_000), ("zg-early", 1_000_000)):
        data = await call(im_emulator, "InviteUsersIntoGroup", {
            "FromUserId": "alice", "GroupId": group_id, "UserIds": ["ignored-when-infos"],
            "GroupMemberInfos": [{"UserId": "newbie", "EnterGroupTime": at}]})
        assert (data["Code"], data["ErrorList"]) == (0, [])
    assert await joined_ids(im_emulator, "newbie") == ["zg-early", "zg-late"]


async def test_invite_existing_members_is_harmless(im_emulator) -> None:
    data = await call(im_emulator, "InviteUsersIntoGroup",
                      {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["alice"]})
    assert (data["Code"], data["ErrorList"]) == (0, [])


async def test_invite_only_unregistered_users_answers_their_sub_code(im_emulator) -> None:
    data = await call(im_emulator, "InviteUsersIntoGroup",
                      {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["ghost"]})
    assert data["Code"] == 660500002 and len(data["ErrorList"]) == 1


@pytest.mark.parametrize(("body", "code"), [
    ({"GroupId": "g-hiking", "UserIds": ["bob"]}, 660000002),
    ({"FromUserId": "alice", "UserIds": ["bob"]}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking"}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": []}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking",
      "UserIds": [f"u{i}" for i in range(101)]}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking",
      "GroupMemberInfos": [{"UserId": "bob", "EnterGroupTime": "soon"}]}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "GroupMemberInfos": [{"Id": "bob"}]},
     660000002),
    ({"FromUserId": "ghost", "GroupId": "g-hiking", "UserIds": ["bob"]}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "UserIds": ["bob"]}, 660600001),
    ({"FromUserId": "alice", "GroupId": "g-old-project", "UserIds": ["bob"]}, 660600001),
])
async def test_invite_errors(im_emulator, body: dict[str, Any], code: int) -> None:
    data = await call(im_emulator, "InviteUsersIntoGroup", body)
    assert data["Code"] == code
    assert list(data) == ["Code", "Message", "RequestId"]


async def test_invite_is_limited_to_one_call_per_second_per_group(im_emulator) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.5)
    body = {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["zoe"]}
    assert (await call(im_emulator, "InviteUsersIntoGroup", body))["Code"] == 0
    limited = await call(im_emulator, "InviteUsersIntoGroup", body)
    assert (limited["Code"], limited["Message"]) == (
        660300006, "Frequency limit: the group-level limit was exceeded.")
    other = {"FromUserId": "alice", "GroupId": "g-book-club", "UserIds": ["zoe"]}
    assert (await call(im_emulator, "InviteUsersIntoGroup", other))["Code"] == 0
    im_emulator.clock.advance(0.5)
    assert (await call(im_emulator, "InviteUsersIntoGroup", body))["Code"] == 0


@pytest.mark.im_emulator_settings(rate_limits=False)
async def test_invite_limit_follows_the_rate_limit_switch(im_emulator) -> None:
    im_emulator.clock.freeze()
    body = {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["zoe"]}
    codes = [(await call(im_emulator, "InviteUsersIntoGroup", body))["Code"] for _ in range(3)]
    assert codes == [0, 0, 0]


async def test_seeded_state_is_visible_to_the_read(im_emulator) -> None:
    await call(im_emulator, "UserRegister", {"UserInfo": [{"UserId": "s-owner"},
                                                          {"UserId": "s-member"}]})
    created = await call(im_emulator, "CreateGroup",
                         {"GroupOwner": "s-owner", "GroupName": "Seeded"})
    await call(im_emulator, "InviteUsersIntoGroup", {
        "FromUserId": "s-owner", "GroupId": created["GroupId"], "UserIds": ["s-member"]})
    data = await call(im_emulator, "QueryGroupsInfoOfUser",
                      {"FromUserId": "s-member", "Limit": 10})
    assert data["GroupInfoList"] == [{"GroupId": created["GroupId"], "GroupName": "Seeded",
                                      "GroupAvatar": ""}]
