"""Memberships: ``/group/join.json`` (creates an unknown group, keeps its name, the 3000-member
capacity), ``/group/quit.json`` and ``/group/user/query.json``."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

JOIN = "/group/join.json"
QUIT = "/group/quit.json"
OK = {"code": 200}


async def test_group_capacity_3000(rongcloud) -> None:
    for batch in range(3):
        users = "&".join(f"userId=rc-{batch}-{i}" for i in range(1000))
        assert await rongcloud.call(JOIN, f"{users}&groupId=rc-big") == (200, OK)
    assert len(await rongcloud.members_of("rc-big")) == 3000
    assert await rongcloud.call(JOIN, "userId=rc-0-5&groupId=rc-big") == (200, OK)
    assert await rongcloud.call(JOIN, "userId=one-more&groupId=rc-big") == \
        (405, {"code": 1502,
               "errorMessage": "A group holds at most 3000 members; this would make 3001."})


async def test_join_creates_unknown_group_and_keeps_name(rongcloud) -> None:
    assert await rongcloud.call(JOIN, "userId=rc-j&groupId=rc-joined") == (200, OK)
    assert await rongcloud.groups_of("rc-j") == [{"name": "", "id": "rc-joined"}]
    await rongcloud.call(JOIN, "userId=rc-k&groupId=rc-joined&groupName=Named")
    await rongcloud.call(JOIN, "userId=rc-l&groupId=rc-joined")
    assert await rongcloud.groups_of("rc-l") == [{"name": "Named", "id": "rc-joined"}]


async def test_join_existing_fixture_group(im_emulator, rongcloud) -> None:
    assert await rongcloud.call(JOIN, "userId=zoe&groupId=g-hiking") == (200, OK)
    assert {"name": "Hiking", "id": "g-hiking"} in await rongcloud.groups_of("zoe")
    assert (await im_emulator.store.get_group("g-hiking")).type == "work"


async def test_join_required_fields(rongcloud) -> None:
    assert await rongcloud.call(JOIN, "groupId=g-hiking") == rongcloud.required("userId")
    assert await rongcloud.call(JOIN, "userId=a") == rongcloud.required("groupId")


async def test_quit(rongcloud) -> None:
    before = await rongcloud.members_of("g-hiking")
    assert "alice" in before
    assert await rongcloud.call(QUIT, "userId=alice&userId=not-a-member&groupId=g-hiking") == \
        (200, OK)
    assert await rongcloud.members_of("g-hiking") == [m for m in before if m != "alice"]
    assert "g-hiking" not in [g["id"] for g in await rongcloud.groups_of("alice")]
    assert await rongcloud.call(QUIT, "userId=alice&groupId=nowhere") == (200, OK)
    assert await rongcloud.call(QUIT, "groupId=g-hiking") == rongcloud.required("userId")
    assert await rongcloud.call(QUIT, "userId=alice") == rongcloud.required("groupId")


async def test_group_members_query(rongcloud) -> None:
    assert await rongcloud.members_of("nowhere") == []
    assert await rongcloud.members_of("g-old-project") == []
    members = await rongcloud.members_of("g-book-club")
    assert members[0] == "carol" and set(members) == {"carol", "alice", "erin", "frank", "heavy",
                                                      "li_lei"}
    assert await rongcloud.call("/group/user/query.json", "groupId=") == \
        rongcloud.required("groupId")
