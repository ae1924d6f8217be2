"""Action=KickoutGroupUser (POST): up to 50 members removed, failures in ErrorList, Code 0 when
at least one was removed, and the owner's removal passing the ownership to the first member."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

KICK = "KickoutGroupUser"


async def members_of(im_emulator, group_id: str) -> dict[str, str]:
    return {m.user_id: m.role for m in await im_emulator.store.members(group_id)}


async def test_kick_some_and_report_the_others(im_emulator, zego) -> None:
    data = await zego.call(KICK, {"FromUserId": "alice", "GroupId": "g-hiking",
                                  "UserId": ["carol", "erin", "bad id"],
                                  "CustomReason": "reason"})
    assert zego.without_id(data) == {"Code": 0, "Message": "success", "ErrorList": [
        {"UserId": "erin", "SubCode": 660600008,
         "SubMessage": "The user to remove is not in the group."},
        {"UserId": "bad id", "SubCode": 660000002,
         "SubMessage": "UserId holds a character ZEGO does not allow"}]}
    assert "carol" not in await members_of(im_emulator, "g-hiking")
    assert "g-hiking" not in await zego.joined_ids("carol")


async def test_every_target_failing_answers_the_first_sub_code(zego) -> None:
    data = await zego.call(KICK, {"FromUserId": "alice", "GroupId": "g-hiking",
                                  "UserId": ["erin"]})
    assert (data["Code"], [e["UserId"] for e in data["ErrorList"]]) == (660600008, ["erin"])


async def test_removing_the_owner_makes_the_first_member_owner(im_emulator, zego) -> None:
    # g-hiking: owner alice, admin bob, then carol, dave, heavy
    data = await zego.call(KICK, {"FromUserId": "alice", "GroupId": "g-hiking",
                                  "UserId": ["alice"]})
    assert (data["Code"], data["ErrorList"]) == (0, [])
    roles = await members_of(im_emulator, "g-hiking")
    assert "alice" not in roles and roles["bob"] == "owner"
    assert (await im_emulator.store.get_group("g-hiking")).owner == "bob"


async def test_removing_owner_and_first_member_passes_to_the_next(im_emulator, zego) -> None:
    await zego.call(KICK, {"FromUserId": "alice", "GroupId": "g-hiking",
                           "UserId": ["alice", "bob"]})
    assert (await im_emulator.store.get_group("g-hiking")).owner == "carol"


async def test_removing_everyone_dismisses_the_group(im_emulator, zego) -> None:
    await zego.call("CreateGroup", {"GroupId": "zg-solo", "GroupOwner": "alice",
                                    "UserIds": ["bob"]})
    data = await zego.call(KICK, {"FromUserId": "alice", "GroupId": "zg-solo",
                                  "UserId": ["alice", "bob"]})
    assert data["Code"] == 0
    assert (await im_emulator.store.get_group("zg-solo")).status == "dismissed"
    again = await zego.call(KICK, {"FromUserId": "alice", "GroupId": "zg-solo",
                                   "UserId": ["bob"]})
    assert again["Code"] == 660600001


@pytest.mark.parametrize(("body", "code"), [
    ({"GroupId": "g-hiking", "UserId": ["carol"]}, 660000002),
    ({"FromUserId": "alice", "UserId": ["carol"]}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking"}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "UserId": []}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "UserId": [1]}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "UserId": [f"u{i}" for i in range(51)]},
     660000011),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "UserId": ["carol"],
      "CustomReason": "x" * 33}, 660000002),
    ({"FromUserId": "ghost", "GroupId": "g-hiking", "UserId": ["carol"]}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "UserId": ["carol"]}, 660600001),
    ({"FromUserId": "alice", "GroupId": "g-old-project", "UserId": ["bob"]}, 660600001),
])
async def test_refused(im_emulator, zego, body, code) -> None:
    data = await zego.call(KICK, body)
    assert data["Code"] == code
    assert "carol" in await members_of(im_emulator, "g-hiking")


async def test_fifty_users_are_accepted(zego) -> None:
    data = await zego.call(KICK, {"FromUserId": "alice", "GroupId": "g-hiking",
                                  "UserId": ["carol", *(f"u{i}" for i in range(49))]})
    assert (data["Code"], len(data["ErrorList"])) == (0, 49)
