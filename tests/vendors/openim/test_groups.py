"""OpenIM group endpoints: get_joined_group_list (Check order, access, paging edges, the
name-then-createTime order, dismissed groups) and create_group (Check and RPC order, duplicates,
unregistered users, taken and generated ids, roles, the memberCount quirk)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.openim.helpers import JOINED, NOW, envelope

CREATE = "/group/create_group"

pytestmark = pytest.mark.anyio


def names(body: Any) -> list[str]:
    return [g["groupID"] for g in body["data"]["groups"] or []]


# ---- get_joined_group_list ----------------------------------------------------------------

@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "pagination is empty"),
    ({"fromUserID": "", "pagination": None}, "pagination is empty"),
    ({"pagination": {}}, "pageNumber is invalid"),
    ({"pagination": {"pageNumber": 0, "showNumber": 10}, "fromUserID": "alice"},
     "pageNumber is invalid"),
    ({"pagination": {"pageNumber": -3}}, "pageNumber is invalid"),
    ({"pagination": {"pageNumber": 1}}, "fromUserID is empty"),
])
async def test_joined_check_order(openim, body: dict[str, Any], dlt: str) -> None:
    result = await openim.call(JOINED, body, await openim.admin_token())
    assert result == envelope(1001, "ArgsError", dlt)


async def test_joined_group_info_is_complete_and_in_order(openim, im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "solo1"}], "groups": [{
        "id": "g-x", "name": "X<&>", "type": "work", "owner": "solo1", "createTime": 1687753739612,
        "introduction": "intro", "notification": "note", "faceURL": "f", "ex": "e"}]})
    response = await im_emulator.client.post(
        JOINED, headers={"operationID": "o", "token": await openim.admin_token()},
        json={"fromUserID": "solo1", "pagination": {"pageNumber": 1, "showNumber": 10}})
    assert b'"groupName":"X\\u003c\\u0026\\u003e"' in response.content
    assert response.json() == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {
        "total": 1, "groups": [{
            "groupID": "g-x", "groupName": "X<&>", "notification": "note",
            "introduction": "intro", "faceURL": "f", "ownerUserID": "solo1",
            "createTime": 1687753739612, "memberCount": 1, "ex": "e", "status": 0,
            "creatorUserID": "", "groupType": 2, "needVerification": 0, "lookMemberInfo": 0,
            "applyMemberFriend": 0, "notificationUpdateTime": 0, "notificationUserID": ""}]}}
    assert list(response.json()["data"]["groups"][0])[:3] == ["groupID", "groupName",
                                                              "notification"]


async def test_unknown_user_gets_total_0_and_null_groups(openim) -> None:
    assert (await openim.joined("nobody-at-all"))["data"] == {"total": 0, "groups": None}


async def test_order_is_name_then_create_time_and_dismissed_are_hidden(openim, im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "u1"}, {"id": "o"}], "groups": [
        {"id": "g3", "name": "Beta", "type": "work", "owner": "o", "members": ["u1"],
         "createTime": 3000},
        {"id": "g1", "name": "Beta", "type": "work", "owner": "o", "members": ["u1"],
         "createTime": 1000},
        {"id": "g2", "name": "Alpha", "type": "public", "owner": "o", "members": ["u1"],
         "createTime": 5000},
        {"id": "g0", "name": "alpha", "type": "work", "owner": "o", "members": ["u1"],
         "createTime": 0},
        {"id": "gd", "name": "AAA", "type": "work", "owner": "o", "members": ["u1"],
         "status": "dismissed"}]})
    body = await openim.joined("u1")
    assert body["data"]["total"] == 4
    assert names(body) == ["g2", "g1", "g3", "g0"]


async def test_an_only_group_shows_even_when_dismissed(openim, im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "lonely"}], "groups": [
        {"id": "gdead", "name": "Dead", "type": "work", "owner": "lonely",
         "status": "dismissed"}]})
    body = await openim.joined("lonely")
    assert body["data"]["total"] == 1 and names(body) == ["gdead"]
    assert body["data"]["groups"][0]["status"] == 2


@pytest.mark.parametrize(("statuses", "total", "shown"), [
    (["normal"], 1, ["g0"]),
    (["dismissed"], 1, ["g0"]),
    (["normal", "dismissed"], 1, ["g0"]),
    (["dismissed", "normal"], 1, ["g1"]),
    (["dismissed", "dismissed"], 0, []),
    (["dismissed", "dismissed", "normal"], 1, ["g2"]),
    (["normal", "muted", "dismissed"], 2, ["g0", "g1"]),
], ids=lambda value: "-".join(value) if isinstance(value, list) else str(value))
async def test_dismissed_groups_count_towards_the_two_group_rule(
        openim, im_emulator, statuses: list[str], total: int, shown: list[str]) -> None:
    await im_emulator.seed({"users": [{"id": "few"}], "groups": [
        {"id": f"g{i}", "name": f"Group {i}", "type": "work", "owner": "few", "status": status}
        for i, status in enumerate(statuses)]})
    body = await openim.joined("few")
    assert body["data"]["total"] == total
    assert names(body) == shown
    assert (body["data"]["groups"] is None) == (not shown)


async def test_paging_edges(openim) -> None:
    token = await openim.admin_token()
    everything = await openim.joined("heavy", 1, 1000, token)
    total = everything["data"]["total"]
    assert total == len(names(everything)) == 268
    pages = [names(await openim.joined("heavy", p, 100, token)) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [100, 100, 68]
    assert sum(pages, []) == names(everything)
    for page, show in ((4, 100), (1, 0), (1, -5), (2147483647, 2147483647)):
        body = await openim.joined("heavy", page, show, token)
        assert body["data"] == {"total": total, "groups": None}
    assert len(names(await openim.joined("heavy", 1, 2147483647, token))) == total


async def test_user_token_sees_only_its_own_list(openim) -> None:
    token = await openim.user_token("bob")
    assert (await openim.joined("bob", token=token))["errCode"] == 0
    assert await openim.joined("carol", token=token) == envelope(
        1002, "NoPermissionError", "ownerUserID, carol=MISSING")


# ---- create_group -------------------------------------------------------------------------

def create_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"memberUserIDs": ["bob"], "adminUserIDs": ["carol"],
                            "ownerUserID": "alice",
                            "groupInfo": {"groupName": "Trail", "groupType": 2}}
    body.update(changes)
    return body


@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "groupInfo is empty"),
    (create_body(groupInfo=None), "groupInfo is empty"),
    (create_body(groupInfo={"groupType": 3}, ownerUserID=""), "GroupType is invalid"),
    (create_body(groupInfo={"groupType": -1}), "GroupType is invalid"),
    (create_body(ownerUserID=""), "ownerUserID is empty"),
    (create_body(memberUserIDs=[f"m{i}" for i in range(1001)]),
     "too many MemberUserIDs, need to be less than 1000"),
    (create_body(groupInfo={"groupName": "x"}), "group type only supports 2"),
    (create_body(groupInfo={"groupType": 1}), "group type only supports 2"),
    (create_body(memberUserIDs=["alice"]), "group member repeated"),
    (create_body(adminUserIDs=["bob"]), "group member repeated"),
    (create_body(memberUserIDs=["bob", "bob"], adminUserIDs=[]), "group member repeated"),
])
async def test_create_check_and_rpc_order(openim, body: dict[str, Any], dlt: str) -> None:
    assert await openim.call(CREATE, body, await openim.admin_token()) == envelope(
        1001, "ArgsError", dlt)


async def test_create_with_1000_members_passes_the_check(openim) -> None:
    body = create_body(memberUserIDs=[f"m{i}" for i in range(1000)])
    assert await openim.call(CREATE, body, await openim.admin_token()) == envelope(
        1101, "UserIDNotFoundError", "user not found")


async def test_create_for_someone_else_needs_an_admin(openim) -> None:
    token = await openim.user_token("bob")
    assert await openim.call(CREATE, create_body(memberUserIDs=[]), token) == envelope(
        1002, "NoPermissionError", "ownerUserID, alice=MISSING")


async def test_create_taken_ids_including_dismissed(openim) -> None:
    token = await openim.admin_token()
    for taken in ("g-hiking", "g-old-project"):
        body = create_body(groupInfo={"groupID": taken, "groupName": "x", "groupType": 2})
        assert await openim.call(CREATE, body, token) == envelope(
            1202, "GroupIDExisted", f"group id existed {taken}")


async def test_create_unregistered_member(openim) -> None:
    assert await openim.call(CREATE, create_body(memberUserIDs=["ghost"]),
                             await openim.admin_token()) == envelope(
        1101, "UserIDNotFoundError", "user not found")


async def test_create_answer_counts_the_admin_and_the_store_does_not(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    token = await openim.admin_token()
    body = create_body(groupInfo={
        "groupID": "g-new", "groupName": "Trail", "notification": "n", "introduction": "i",
        "faceURL": "f", "ex": "e", "groupType": 2, "needVerification": 2,
        "creatorUserID": "alice", "lookMemberInfo": 1}, sendMessage=True)
    result = await openim.call(CREATE, body, token)
    assert result == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {"groupInfo": {
        "groupID": "g-new", "groupName": "Trail", "notification": "n", "introduction": "i",
        "faceURL": "f", "ownerUserID": "alice", "createTime": NOW * 1000, "memberCount": 4,
        "ex": "e", "status": 0, "creatorUserID": "alice", "groupType": 2,
        "needVerification": 2, "lookMemberInfo": 1, "applyMemberFriend": 0,
        "notificationUpdateTime": 0, "notificationUserID": ""}}}
    group = await im_emulator.store.get_group("g-new")
    assert group is not None and group.type == "work" and group.member_count == 3
    assert group.apply_join_option == "FreeAccess"
    roles = {m.user_id: (m.role, m.join_time_ms) for m in await im_emulator.store.members("g-new")}
    assert roles == {"alice": ("owner", NOW * 1000), "carol": ("admin", NOW * 1000),
                     "bob": ("member", NOW * 1000)}
    listed = await openim.joined("bob", token=token)
    info = next(g for g in listed["data"]["groups"] if g["groupID"] == "g-new")
    assert info["memberCount"] == 3 and info["createTime"] == NOW * 1000


async def test_owner_creating_their_own_group_is_not_counted_twice(openim) -> None:
    token = await openim.user_token("alice")
    result = await openim.call(CREATE, create_body(adminUserIDs=[]), token)
    assert result["data"]["groupInfo"]["memberCount"] == 2


async def test_generated_ids_are_decimal_and_unique(openim) -> None:
    token = await openim.admin_token()
    seen = set()
    for _ in range(5):
        result = await openim.call(CREATE, create_body(memberUserIDs=[], adminUserIDs=[]),
                                   token)
        group_id = result["data"]["groupInfo"]["groupID"]
        assert group_id.isdigit() and int(group_id) <= 4294967295
        assert group_id == str(int(group_id))
        seen.add(group_id)
    assert len(seen) == 5


async def test_create_then_list_shows_the_group_in_name_order(openim) -> None:
    token = await openim.admin_token()
    before = await openim.joined("alice", token=token)
    await openim.call(CREATE, create_body(
        adminUserIDs=[], groupInfo={"groupName": "Hiking", "groupType": 2, "groupID": "g-zz"}),
        token)
    after = await openim.joined("alice", token=token)
    assert after["data"]["total"] == before["data"]["total"] + 1
    ordered = [(g["groupName"], g["createTime"]) for g in after["data"]["groups"]]
    assert ordered == sorted(ordered, key=lambda pair: (pair[0].encode(), pair[1]))
    position = names(after).index("g-zz")
    assert names(after)[position - 1] == "g-hiking"
