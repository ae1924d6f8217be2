"""OpenIM /group/join_group and /group/get_groups, checked against open-im-server's rules
(internal/rpc/group/group.go JoinGroup and GetGroups, protocol group/group.go Check())."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.openim.test_members import ids, make_group

pytestmark = pytest.mark.anyio

JOIN = "/group/join_group"
SEARCH = "/group/get_groups"


def join(user: str = "erin", group: str = "g-m", source: int = 3, **extra: Any) -> dict[str, Any]:
    return {"groupID": group, "joinSource": source, "inviterUserID": user, "reqMessage": "hi",
            **extra}


@pytest.mark.parametrize(("body", "code", "dlt"), [
    ({}, 1001, "groupID is empty"),
    ({"groupID": "g-m"}, 1001, "joinSource is invalid"),
    ({"groupID": "g-m", "joinSource": 5}, 1001, "joinSource is invalid"),
    ({"groupID": "g-m", "joinSource": 2}, 1001, "inviterUserID is empty"),
    ({"groupID": "g-m", "joinSource": 3}, 1004, "record not found"),   # no user ""
    (join("ghost"), 1004, "record not found"),
    (join(group="nope"), 1004, "record not found"),
    (join("carol"), 1001, ""),                                         # a member already
])
async def test_join_check_order(openim, body: dict[str, Any], code: int, dlt: str) -> None:
    await make_group(openim, needVerification=2)
    answer = await openim.call(JOIN, body, await openim.admin_token())
    assert (answer["errCode"], answer["errDlt"]) == (code, dlt)


async def test_join_directly_adds_an_ordinary_member(openim) -> None:
    await make_group(openim, needVerification=2)
    answer = await openim.call(JOIN, join("erin"), await openim.user_token("erin"))
    assert answer == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {}}
    assert ("erin", 20) in await ids(openim, "g-m")


@pytest.mark.parametrize("verification", [0, 1])
async def test_join_with_verification_records_a_request(openim, verification: int) -> None:
    await make_group(openim, needVerification=verification)
    answer = await openim.call(JOIN, join("erin"), await openim.user_token("erin"))
    assert answer["errCode"] == 0
    assert "erin" not in [uid for uid, _ in await ids(openim, "g-m")]


async def test_join_a_dismissed_group(openim) -> None:
    await make_group(openim, needVerification=2)
    admin = await openim.admin_token()
    await openim.call("/group/dismiss_group", {"groupID": "g-m"}, admin)
    answer = await openim.call(JOIN, join("erin"), admin)
    assert (answer["errCode"], answer["errMsg"]) == (1204, "DismissedAlreadyError")


# ---- get_groups ---------------------------------------------------------------------------------

def search(page: int = 1, show: int = 10, **extra: Any) -> dict[str, Any]:
    return {"pagination": {"pageNumber": page, "showNumber": show}, **extra}


async def test_get_groups_checks_pagination(openim) -> None:
    admin = await openim.admin_token()
    answer = await openim.call(SEARCH, {"groupID": "g-m"}, admin)
    assert (answer["errCode"], answer["errDlt"]) == (1001, "pagination is empty")
    answer = await openim.call(SEARCH, search(page=0, groupID="g-m"), admin)
    assert (answer["errCode"], answer["errDlt"]) == (1001, "pageNumber is invalid")


async def test_get_groups_newest_first_with_owner(openim) -> None:
    for gid in ("s-1", "s-2", "s-3"):
        await make_group(openim, gid)
        openim.emulator.services.clock.advance(1)
    admin = await openim.admin_token()
    await openim.call("/group/set_group_member_info", {"members": [
        {"groupID": "s-2", "userID": "alice", "nickname": "Boss"}]}, admin)
    answer = await openim.call(SEARCH, search(groupName="^s-"), admin)
    data = answer["data"]
    assert data["total"] == 3
    assert [g["groupInfo"]["groupID"] for g in data["groups"]] == ["s-3", "s-2", "s-1"]
    second = data["groups"][1]
    assert list(second) == ["groupInfo", "groupOwnerUserName", "groupOwnerUserID"]
    assert (second["groupOwnerUserName"], second["groupOwnerUserID"]) == ("Boss", "alice")
    assert second["groupInfo"]["memberCount"] == 4
    assert data["groups"][0]["groupOwnerUserName"] == ""


@pytest.mark.parametrize(("page", "show", "expected"), [
    (1, 2, ["s-3", "s-2"]), (2, 2, ["s-1"]), (3, 2, None), (1, 0, None), (1, -1, None)])
async def test_get_groups_paging_edges(openim, page: int, show: int,
                                       expected: list[str] | None) -> None:
    for gid in ("s-1", "s-2", "s-3"):
        await make_group(openim, gid)
        openim.emulator.services.clock.advance(1)
    answer = await openim.call(SEARCH, search(page, show, groupName="^s-"),
                               await openim.admin_token())
    groups = answer["data"]["groups"]
    assert answer["data"]["total"] == 3
    assert (None if groups is None else [g["groupInfo"]["groupID"] for g in groups]) == expected


async def test_get_groups_by_id_includes_dismissed_and_skips_the_search(openim) -> None:
    await make_group(openim, "s-1")
    admin = await openim.admin_token()
    await openim.call("/group/dismiss_group", {"groupID": "s-1", "deleteMember": True}, admin)
    by_id = await openim.call(SEARCH, search(page=9, show=0, groupID="s-1"), admin)
    assert by_id["data"]["total"] == 1
    [found] = by_id["data"]["groups"]
    assert (found["groupInfo"]["status"], found["groupOwnerUserID"]) == (2, "")
    by_name = await openim.call(SEARCH, search(groupName="s-1"), admin)
    assert by_name["data"] == {"total": 0, "groups": None}
    missing = await openim.call(SEARCH, search(groupID="nope"), admin)
    assert missing["data"] == {"total": 0, "groups": None}


async def test_get_groups_takes_any_token(openim) -> None:
    await make_group(openim, "s-1")
    answer = await openim.call(SEARCH, search(groupName="s-1"), await openim.user_token("frank"))
    assert answer["data"]["total"] == 1
