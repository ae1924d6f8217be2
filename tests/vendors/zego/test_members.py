"""Action=InviteUsersIntoGroup: registered users added, the others reported in ErrorList, the
group-level limit of one call per second per group, and the seeded state as the read sees it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.anyio


async def test_invite_with_user_ids(im_emulator, zego) -> None:
    await zego.call("CreateGroup", {"GroupId": "zg-inv", "GroupOwner": "alice"})
    data = await zego.call("InviteUsersIntoGroup", {
        "FromUserId": "alice", "GroupId": "zg-inv", "UserIds": ["bob", "carol", "alice", "ghost"]})
    assert zego.without_id(data) == {"Code": 0, "Message": "success", "ErrorList": [
        {"UserId": "ghost", "SubCode": 660500002, "SubMessage": "The user is not registered."}]}
    assert {m.user_id for m in await im_emulator.store.members("zg-inv")} == {
        "alice", "bob", "carol"}


async def test_invite_with_member_infos_sets_join_time(im_emulator, zego) -> None:
    await im_emulator.seed({"users": [{"id": "newbie"}]})
    for group_id in ("zg-late", "zg-early"):
        await zego.call("CreateGroup", {"GroupId": group_id, "GroupOwner": "alice"})
    for group_id, at in (("zg-late", 2_000_000), ("zg-early", 1_000_000)):
        data = await zego.call("InviteUsersIntoGroup", {
            "FromUserId": "alice", "GroupId": group_id, "UserIds": ["ignored-when-infos"],
            "GroupMemberInfos": [{"UserId": "newbie", "EnterGroupTime": at}]})
        assert (data["Code"], data["ErrorList"]) == (0, [])
    assert await zego.joined_ids("newbie") == ["zg-early", "zg-late"]


async def test_invite_existing_members_is_harmless(zego) -> None:
    data = await zego.call("InviteUsersIntoGroup",
                           {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["alice"]})
    assert (data["Code"], data["ErrorList"]) == (0, [])


async def test_invite_only_unregistered_users_answers_their_sub_code(im_emulator, zego) -> None:
    data = await zego.call("InviteUsersIntoGroup",
                           {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["ghost"]})
    assert data["Code"] == 660500002 and len(data["ErrorList"]) == 1
    assert data["Message"] == "The operator user is not registered."
    entries = (await im_emulator.client.get("/_emulator/journal")).json()["entries"]
    assert (entries[-1]["user"], entries[-1]["code"]) == ("alice", 660500002)


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
async def test_invite_errors(zego, body: dict[str, Any], code: int) -> None:
    data = await zego.call("InviteUsersIntoGroup", body)
    assert data["Code"] == code
    assert list(data) == ["Code", "Message", "RequestId"]


async def test_invite_is_limited_to_one_call_per_second_per_group(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.5)
    body = {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["zoe"]}
    assert (await zego.call("InviteUsersIntoGroup", body))["Code"] == 0
    limited = await zego.call("InviteUsersIntoGroup", body)
    assert (limited["Code"], limited["Message"]) == (
        660300006, "Frequency limit: the group-level limit was exceeded.")
    other = {"FromUserId": "alice", "GroupId": "g-book-club", "UserIds": ["zoe"]}
    assert (await zego.call("InviteUsersIntoGroup", other))["Code"] == 0
    im_emulator.clock.advance(0.5)
    assert (await zego.call("InviteUsersIntoGroup", body))["Code"] == 0


@pytest.mark.im_emulator_settings(rate_limits=False)
async def test_invite_limit_follows_the_rate_limit_switch(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    body = {"FromUserId": "alice", "GroupId": "g-hiking", "UserIds": ["zoe"]}
    codes = [(await zego.call("InviteUsersIntoGroup", body))["Code"] for _ in range(3)]
    assert codes == [0, 0, 0]


async def test_seeded_state_is_visible_to_the_read(zego) -> None:
    await zego.call("UserRegister", {"UserInfo": [{"UserId": "s-owner"},
                                                  {"UserId": "s-member"}]})
    created = await zego.call("CreateGroup", {"GroupOwner": "s-owner", "GroupName": "Seeded"})
    await zego.call("InviteUsersIntoGroup", {
        "FromUserId": "s-owner", "GroupId": created["GroupId"], "UserIds": ["s-member"]})
    data = await zego.call("QueryGroupsInfoOfUser", {"FromUserId": "s-member", "Limit": 10})
    assert data["GroupInfoList"] == [{"GroupId": created["GroupId"], "GroupName": "Seeded",
                                      "GroupAvatar": ""}]
