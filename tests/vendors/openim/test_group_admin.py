"""OpenIM group-level endpoints against open-im-server's rules: get_groups_info, dismiss_group
(deleteMember true/false), set_group_info(_ex), transfer_group, mute_group / cancel_mute_group,
and create_group keeping the status it was given."""

from __future__ import annotations

import pytest

from tests.vendors.openim.helpers import envelope
from tests.vendors.openim.test_members import OK, ids, make_group

pytestmark = pytest.mark.anyio


async def info(openim, *gids: str) -> list[dict]:
    answer = await openim.call("/group/get_groups_info", {"groupIDs": list(gids)},
                               await openim.admin_token())
    return answer["data"]["groupInfos"] or []


async def test_get_groups_info_skips_unknown_and_checks(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    assert (await openim.call("/group/get_groups_info", {}, admin)) == envelope(
        1001, "ArgsError", "GroupIDs is empty")
    assert (await openim.call("/group/get_groups_info", {"groupIDs": []}, admin)) == envelope(
        1001, "ArgsError", "groupID is empty")
    found = await info(openim, "nope", "g-m", "g-m")
    assert [(g["groupID"], g["memberCount"], g["ownerUserID"]) for g in found] == [
        ("g-m", 4, "alice")]
    assert (await openim.call("/group/get_groups_info", {"groupIDs": ["nope"]}, admin)
            )["data"] == {"groupInfos": None}


async def test_create_group_keeps_the_status_it_was_given(openim) -> None:
    await make_group(openim, "g-s1", status=1)
    await make_group(openim, "g-s7", status=7)
    assert [g["status"] for g in await info(openim, "g-s1", "g-s7")] == [1, 7]


async def test_dismiss_keeping_members(openim) -> None:
    await make_group(openim)
    refused = await openim.call("/group/dismiss_group", {"groupID": "g-m"},
                                await openim.user_token("bob"))
    assert refused == envelope(1002, "NoPermissionError", "not group owner")
    owner = await openim.user_token("alice")
    assert (await openim.call("/group/dismiss_group", {"groupID": "g-m"}, owner)) == OK
    (group,) = await info(openim, "g-m")
    assert (group["status"], group["memberCount"]) == (2, 4)
    again = await openim.call("/group/dismiss_group", {"groupID": "g-m"}, owner)
    assert again == envelope(1204, "DismissedAlreadyError", "group status is dismissed")
    assert len(await ids(openim, "g-m")) == 4


async def test_dismiss_deleting_members(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    assert (await openim.call("/group/dismiss_group", {"groupID": "g-m", "deleteMember": True},
                              admin)) == OK
    (group,) = await info(openim, "g-m")
    assert (group["status"], group["memberCount"], group["ownerUserID"]) == (2, 0, "")
    assert await ids(openim, "g-m") == []
    gone = await openim.call("/group/dismiss_group", {"groupID": "g-m"}, admin)
    assert gone == envelope(1004, "RecordNotFoundError", "record not found")


async def test_set_group_info_empty_means_unchanged(openim) -> None:
    await make_group(openim, introduction="old")
    admin = await openim.admin_token()
    assert (await openim.call("/group/set_group_info", {}, admin)) == envelope(
        1001, "ArgsError", "GroupInfoForSets is empty")
    assert (await openim.call("/group/set_group_info", {"groupInfoForSet": {}}, admin)
            ) == envelope(1001, "ArgsError", "GroupID is empty")
    member = await openim.call("/group/set_group_info", {"groupInfoForSet": {
        "groupID": "g-m", "groupName": "x"}}, await openim.user_token("carol"))
    assert member == envelope(1002, "NoPermissionError", "no group owner or admin")
    assert (await openim.call("/group/set_group_info", {"groupInfoForSet": {
        "groupID": "g-m", "groupName": "New", "introduction": "", "notification": "hi",
        "ex": "", "needVerification": 2}}, await openim.user_token("bob"))) == OK
    (group,) = await info(openim, "g-m")
    assert (group["groupName"], group["introduction"], group["notification"], group["ex"],
            group["needVerification"], group["notificationUserID"]) == (
        "New", "old", "hi", "", 2, "bob")
    assert group["notificationUpdateTime"] > 0


async def test_set_group_info_ex_wrappers(openim) -> None:
    await make_group(openim, introduction="old", ex="keep")
    admin = await openim.admin_token()
    assert (await openim.call("/group/set_group_info_ex", {
        "groupID": "g-m", "introduction": "", "notification": "  n  ", "ex": None}, admin)) == OK
    (group,) = await info(openim, "g-m")
    assert (group["introduction"], group["notification"], group["ex"]) == ("", "n", "keep")
    blank = await openim.call("/group/set_group_info_ex", {
        "groupID": "g-m", "groupName": "  ", "introduction": "ignored"}, admin)
    assert blank == OK
    assert (await info(openim, "g-m"))[0]["introduction"] == ""


async def test_transfer_group(openim) -> None:
    await make_group(openim)
    admin = await openim.admin_token()
    assert (await openim.call("/group/transfer_group", {"groupID": "g-m"}, admin)) == envelope(
        1001, "ArgsError", "oldOwnerUserID is empty")
    same = await openim.call("/group/transfer_group", {
        "groupID": "g-m", "oldOwnerUserID": "alice", "newOwnerUserID": "alice"}, admin)
    assert same == envelope(1001, "ArgsError", "OldOwnerUserID == NewOwnerUserID")
    missing = await openim.call("/group/transfer_group", {
        "groupID": "g-m", "oldOwnerUserID": "alice", "newOwnerUserID": "frank"}, admin)
    assert missing == envelope(1001, "ArgsError", "user not in group frank")
    not_owner = await openim.call("/group/transfer_group", {
        "groupID": "g-m", "oldOwnerUserID": "alice", "newOwnerUserID": "carol"},
        await openim.user_token("bob"))
    assert not_owner == envelope(1002, "NoPermissionError", "no permission transfer group owner")
    assert (await openim.call("/group/transfer_group", {
        "groupID": "g-m", "oldOwnerUserID": "alice", "newOwnerUserID": "carol"},
        await openim.user_token("alice"))) == OK
    roles = dict(await ids(openim, "g-m"))
    assert (roles["carol"], roles["alice"]) == (100, 20)
    assert (await info(openim, "g-m"))[0]["ownerUserID"] == "carol"


async def test_mute_group_and_back(openim) -> None:
    await make_group(openim)
    member = await openim.call("/group/mute_group", {"groupID": "g-m"},
                               await openim.user_token("carol"))
    assert member == envelope(1002, "NoPermissionError", "no group owner or admin")
    outsider = await openim.call("/group/mute_group", {"groupID": "g-m"},
                                 await openim.user_token("frank"))
    assert outsider == envelope(1002, "NoPermissionError", "op user not in group")
    assert (await openim.call("/group/mute_group", {"groupID": "g-m"},
                              await openim.user_token("bob"))) == OK
    assert (await info(openim, "g-m"))[0]["status"] == 3
    assert (await openim.call("/group/cancel_mute_group", {"groupID": "g-m"},
                              await openim.admin_token())) == OK
    assert (await info(openim, "g-m"))[0]["status"] == 0
