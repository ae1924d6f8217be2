"""OpenIM /group/* management endpoints, checked against open-im-server's rules
(internal/rpc/group/group.go, protocol group/group.go Check()): validation order, codes and
errDlt texts, permissions per role (owner 100, admin 60, member 20), paging edges."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.openim.helpers import envelope

pytestmark = pytest.mark.anyio

OK = {"errCode": 0, "errMsg": "", "errDlt": "", "data": {}}


async def make_group(openim, gid: str = "g-m", owner: str = "alice",
                     admins: tuple[str, ...] = ("bob",),
                     members: tuple[str, ...] = ("carol", "dave"), **info: Any) -> str:
    body = {"ownerUserID": owner, "adminUserIDs": list(admins), "memberUserIDs": list(members),
            "groupInfo": {"groupID": gid, "groupName": gid, "groupType": 2, **info}}
    answer = await openim.call("/group/create_group", body, await openim.admin_token())
    assert answer["errCode"] == 0, answer
    return gid


async def ids(openim, gid: str, token: str | None = None) -> list[tuple[str, int]]:
    answer = await openim.call("/group/get_group_member_list", {
        "groupID": gid, "pagination": {"pageNumber": 1, "showNumber": 100}},
        token or await openim.admin_token())
    return [(m["userID"], m["roleLevel"]) for m in answer["data"]["members"] or []]


# ---- invite_user_to_group ---------------------------------------------------------------------

@pytest.mark.parametrize(("body", "code", "dlt"), [
    ({}, 1001, "groupID is empty"),
    ({"groupID": "g-m"}, 1001, "invitedUserIDs is empty"),
    ({"groupID": "g-m", "invitedUserIDs": ["x"] * 1001}, 1001,
     "too many InvitedUserIDs, need to be less than 1000"),
    ({"groupID": "g-m", "invitedUserIDs": []}, 1001, "user empty"),
    ({"groupID": "g-m", "invitedUserIDs": ["erin", "erin"]}, 1001, "userID duplicate"),
    ({"groupID": "nope", "invitedUserIDs": ["erin"]}, 1004, "record not found"),
    ({"groupID": "g-m", "invitedUserIDs": ["ghost"]}, 1004, "user not found"),
])
async def test_invite_check_order(openim, body: dict[str, Any], code: int, dlt: str) -> None:
    await make_group(openim)
    answer = await openim.call("/group/invite_user_to_group", body, await openim.admin_token())
    assert (answer["errCode"], answer["errDlt"]) == (code, dlt)


async def test_invite_adds_members_and_permissions(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    answer = await openim.call("/group/invite_user_to_group",
                               {"groupID": "g-m", "invitedUserIDs": ["erin"]}, admin)
    assert answer == OK
    assert ("erin", 20) in await ids(openim, "g-m")
    outsider = await openim.user_token("frank")
    refused = await openim.call("/group/invite_user_to_group",
                                {"groupID": "g-m", "invitedUserIDs": ["grace"]}, outsider)
    assert refused == envelope(1002, "NoPermissionError", "op user not in group")
    member = await openim.user_token("carol")
    assert (await openim.call("/group/invite_user_to_group",
                              {"groupID": "g-m", "invitedUserIDs": ["grace"]}, member)) == OK
    assert ("grace", 20) in await ids(openim, "g-m")


async def test_a_members_invite_to_a_verified_group_becomes_a_request(openim) -> None:
    await make_group(openim, needVerification=1)
    member = await openim.user_token("carol")
    assert (await openim.call("/group/invite_user_to_group",
                              {"groupID": "g-m", "invitedUserIDs": ["erin"]}, member)) == OK
    assert "erin" not in dict(await ids(openim, "g-m"))
    owner = await openim.user_token("alice")
    await openim.call("/group/invite_user_to_group",
                      {"groupID": "g-m", "invitedUserIDs": ["erin"]}, owner)
    assert "erin" in dict(await ids(openim, "g-m"))


async def test_invite_to_a_dismissed_group(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    await openim.call("/group/dismiss_group", {"groupID": "g-m"}, admin)
    answer = await openim.call("/group/invite_user_to_group",
                               {"groupID": "g-m", "invitedUserIDs": ["erin"]}, admin)
    assert answer == envelope(1204, "DismissedAlreadyError",
                              "group dismissed checking group status found it dismissed")


# ---- kick_group ----------------------------------------------------------------------------

@pytest.mark.parametrize(("user", "kicked", "code", "dlt"), [
    (None, None, 1001, "kickUserIDs is empty"),
    (None, [], 1001, "KickedUserIDs empty"),
    (None, ["carol", "carol"], 1001, "KickedUserIDs duplicate"),
    ("bob", ["bob"], 1001, "opUserID in KickedUserIDs"),
    (None, ["alice"], 1001, "ownerUID can not Kick"),
    (None, ["erin"], 1101, "erin"),
    ("bob", ["carol"], 0, ""),
    ("carol", ["dave"], 1002, "opUserID no permission"),
    ("frank", ["dave"], 1002, "opUserID no in group"),
    ("alice", ["bob", "carol"], 0, ""),
])
async def test_kick_rules(openim, user: str | None, kicked: Any, code: int, dlt: str) -> None:
    await make_group(openim)
    token = await openim.user_token(user) if user else await openim.admin_token()
    answer = await openim.call("/group/kick_group", {"groupID": "g-m", "kickedUserIDs": kicked},
                               token)
    assert (answer["errCode"], answer["errDlt"]) == (code, dlt)
    if code == 0:
        assert not set(kicked) & set(dict(await ids(openim, "g-m")))


async def test_an_admin_cannot_kick_another_admin(openim) -> None:
    await make_group(openim, admins=("bob", "erin"))
    answer = await openim.call("/group/kick_group", {"groupID": "g-m", "kickedUserIDs": ["erin"]},
                               await openim.user_token("bob"))
    assert answer == envelope(1002, "NoPermissionError",
                              "group admins cannot remove the group owner and other admins")


async def test_kick_unknown_group(openim) -> None:
    answer = await openim.call("/group/kick_group", {"groupID": "nope", "kickedUserIDs": ["a"]},
                               await openim.admin_token())
    assert answer == envelope(1004, "RecordNotFoundError", "record not found")


# ---- get_group_member_list / get_group_members_info / get_group_member_user_id ----------

async def test_member_list_order_fields_and_paging(openim, im_emulator) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    assert await ids(openim, "g-m") == [("alice", 100), ("bob", 60), ("carol", 20),
                                        ("dave", 20)]
    page = await openim.call("/group/get_group_member_list", {
        "groupID": "g-m", "pagination": {"pageNumber": 2, "showNumber": 3}}, admin)
    assert page["data"]["total"] == 4
    member = page["data"]["members"][0]
    assert list(member) == ["groupID", "userID", "roleLevel", "joinTime", "nickname", "faceURL",
                            "appMangerLevel", "joinSource", "operatorUserID", "ex",
                            "muteEndTime", "inviterUserID"]
    assert member["userID"] == "dave" and member["nickname"] != ""
    for number, show in ((1, 0), (3, 3), (1, -1)):
        empty = await openim.call("/group/get_group_member_list", {
            "groupID": "g-m", "pagination": {"pageNumber": number, "showNumber": show}}, admin)
        assert empty["data"] == {"total": 4, "members": None}


@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "groupID is empty"),
    ({"groupID": "g-m"}, "pagination is empty"),
    ({"groupID": "g-m", "pagination": {"pageNumber": 0}}, "pageNumber is invalid"),
    ({"groupID": "g-m", "pagination": {"pageNumber": 1}, "filter": 6}, "filter is invalid"),
    ({"groupID": "g-m", "pagination": {"pageNumber": 1}, "filter": -1}, "filter is invalid"),
])
async def test_member_list_check_order(openim, body: dict[str, Any], dlt: str) -> None:
    answer = await openim.call("/group/get_group_member_list", body, await openim.admin_token())
    assert answer == envelope(1001, "ArgsError", dlt)


async def test_member_list_keyword_and_access(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    await openim.call("/group/set_group_member_info", {"members": [
        {"groupID": "g-m", "userID": "carol", "nickname": "Captain Carol"}]}, admin)
    found = await openim.call("/group/get_group_member_list", {
        "groupID": "g-m", "keyword": "Capt", "pagination": {"pageNumber": 1, "showNumber": 0}},
        admin)
    assert found["data"]["total"] == 1
    assert [m["userID"] for m in found["data"]["members"]] == ["carol"]
    outsider = await openim.call("/group/get_group_member_list", {
        "groupID": "g-m", "pagination": {"pageNumber": 1, "showNumber": 5}},
        await openim.user_token("frank"))
    assert outsider == envelope(1002, "NoPermissionError", "op user not in group")
    assert await ids(openim, "g-m", await openim.user_token("dave"))


async def test_members_info_and_user_ids(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    assert (await openim.call("/group/get_group_members_info", {"groupID": "g-m"}, admin)
            ) == envelope(1001, "ArgsError", "userIDs is empty")
    assert (await openim.call("/group/get_group_members_info",
                              {"groupID": "g-m", "userIDs": []}, admin)
            ) == envelope(1001, "ArgsError", "userIDs empty")
    info = await openim.call("/group/get_group_members_info",
                             {"groupID": "g-m", "userIDs": ["dave", "ghost", "bob"]}, admin)
    assert [m["userID"] for m in info["data"]["members"]] == ["bob", "dave"]
    user_ids = await openim.call("/group/get_group_member_user_id", {"groupID": "g-m"}, admin)
    assert user_ids["data"] == {"userIDs": ["alice", "bob", "carol", "dave"]}


# ---- set_group_member_info -----------------------------------------------------------------

async def test_set_member_info_without_the_wrapper_is_an_empty_list(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    bare = await openim.call("/group/set_group_member_info",
                             {"groupID": "g-m", "userID": "carol", "nickname": "x"}, admin)
    assert bare == envelope(1001, "ArgsError", "members is empty")
    empty = await openim.call("/group/set_group_member_info", {"members": []}, admin)
    assert empty == envelope(1001, "ArgsError", "members empty")


@pytest.mark.parametrize(("user", "item", "code", "dlt"), [
    (None, {"userID": "carol", "roleLevel": 100}, 1002, "cannot set ungroup owner"),
    (None, {"userID": "carol", "roleLevel": 7}, 1001, "invalid role level"),
    (None, {"userID": "ghost", "nickname": "x"}, 1001, "user not in group"),
    ("frank", {"userID": "carol", "nickname": "x"}, 1002, "user not in group"),
    ("carol", {"userID": "ghost", "nickname": "x"}, 1001, "user not in group"),
    ("carol", {"userID": "dave", "nickname": "x"}, 1002,
     "ordinary users can not change other role level"),
    ("carol", {"userID": "carol", "roleLevel": 60}, 1002, "can not improve role level by self"),
    ("bob", {"userID": "alice", "nickname": "x"}, 1002, "admin can not change group owner"),
    ("alice", {"userID": "alice", "roleLevel": 20}, 1001,
     "group owner can not change own role level"),
    ("carol", {"userID": "carol", "nickname": "me"}, 0, ""),
    ("alice", {"userID": "dave", "roleLevel": 60}, 0, ""),
])
async def test_set_member_info_rules(openim, user: str | None, item: dict[str, Any], code: int,
                                     dlt: str) -> None:
    await make_group(openim)
    token = await openim.user_token(user) if user else await openim.admin_token()
    answer = await openim.call("/group/set_group_member_info",
                               {"members": [{"groupID": "g-m", **item}]}, token)
    assert (answer["errCode"], answer["errDlt"]) == (code, dlt)


async def test_set_member_info_wrappers(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    await openim.call("/group/set_group_member_info", {"members": [
        {"groupID": "g-m", "userID": "dave", "nickname": "D", "ex": "e", "roleLevel": 60}]},
        admin)
    await openim.call("/group/set_group_member_info", {"members": [
        {"groupID": "g-m", "userID": "dave", "nickname": None, "faceURL": "f"}]}, admin)
    info = await openim.call("/group/get_group_members_info",
                             {"groupID": "g-m", "userIDs": ["dave"]}, admin)
    dave = info["data"]["members"][0]
    assert (dave["nickname"], dave["faceURL"], dave["ex"], dave["roleLevel"]) == (
        "D", "f", "e", 60)
    bad = await openim.call("/group/set_group_member_info", {"members": [
        {"groupID": "g-m", "userID": "dave", "roleLevel": "60"}]}, admin)
    assert bad == envelope(1001, 'Error: Error: strconv.ParseInt: parsing "\\"60\\"": '
                                 "invalid syntax", "")


# ---- quit_group -----------------------------------------------------------------------------

async def test_quit(openim) -> None:
    await make_group(openim)
    owner = await openim.call("/group/quit_group", {"groupID": "g-m"},
                              await openim.user_token("alice"))
    assert owner == envelope(1002, "NoPermissionError", "group owner can't quit")
    other = await openim.call("/group/quit_group", {"groupID": "g-m", "userID": "dave"},
                              await openim.user_token("carol"))
    assert other == envelope(1002, "NoPermissionError", "ownerUserID, dave=MISSING")
    assert (await openim.call("/group/quit_group", {"groupID": "g-m"},
                              await openim.user_token("carol"))) == OK
    assert "carol" not in dict(await ids(openim, "g-m"))
    again = await openim.call("/group/quit_group", {"groupID": "g-m"},
                              await openim.user_token("carol"))
    assert again == envelope(1004, "RecordNotFoundError", "record not found")


# ---- mute_group_member / cancel_mute_group_member -------------------------------------------

async def test_mute_member_sets_mute_end_time(openim, im_emulator) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    assert (await openim.call("/group/mute_group_member",
                              {"groupID": "g-m", "userID": "dave"}, admin)
            ) == envelope(1001, "ArgsError", "mutedSeconds is empty")
    now = im_emulator.clock.now_ms()
    assert (await openim.call("/group/mute_group_member",
                              {"groupID": "g-m", "userID": "dave", "mutedSeconds": 60},
                              await openim.user_token("bob"))) == OK
    info = await openim.call("/group/get_group_members_info",
                             {"groupID": "g-m", "userIDs": ["dave"]}, admin)
    assert info["data"]["members"][0]["muteEndTime"] >= now + 60_000
    assert (await openim.call("/group/cancel_mute_group_member",
                              {"groupID": "g-m", "userID": "dave"}, admin)) == OK
    info = await openim.call("/group/get_group_members_info",
                             {"groupID": "g-m", "userIDs": ["dave"]}, admin)
    assert info["data"]["members"][0]["muteEndTime"] == 0


@pytest.mark.parametrize(("user", "target", "dlt"), [
    ("bob", "alice", "set group owner mute"),
    ("carol", "bob", "set group admin mute"),
    ("carol", "dave", "set group ordinary users mute"),
])
async def test_mute_permissions(openim, user: str, target: str, dlt: str) -> None:
    await make_group(openim)
    answer = await openim.call("/group/mute_group_member",
                               {"groupID": "g-m", "userID": target, "mutedSeconds": 5},
                               await openim.user_token(user))
    assert answer == envelope(1002, "NoPermissionError", dlt)
    cancel = await openim.call("/group/cancel_mute_group_member",
                               {"groupID": "g-m", "userID": target},
                               await openim.user_token(user))
    assert cancel["errCode"] == 1002 and cancel["errDlt"].startswith("Can not set group")
