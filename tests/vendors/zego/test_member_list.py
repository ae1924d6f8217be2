"""Action=QueryGroupMemberList (POST): a group's members a page at a time, ``Next`` the page
index (0 first, 0 at the end, the same Limit on every page), ``TotalCount`` and each member's
UserName and UserNickName."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

LIST = "QueryGroupMemberList"


async def test_first_page_owner_first(im_emulator, zego) -> None:
    await im_emulator.store.update_member_info("g-hiking", "carol", nickname="Caz")
    data = await zego.call(LIST, {"GroupId": "g-hiking", "Limit": 3, "Next": 0})
    alice = await im_emulator.store.get_user("alice")
    assert list(data) == ["Code", "Message", "RequestId", "TotalCount", "Next", "MemberList"]
    assert (data["Code"], data["TotalCount"], data["Next"]) == (0, 5, 1)
    assert data["MemberList"][0] == {"UserId": "alice", "UserName": alice.name,
                                     "UserNickName": ""}
    assert [m["UserId"] for m in data["MemberList"]] == ["alice", "bob", "carol"]
    assert data["MemberList"][2]["UserNickName"] == "Caz"


async def test_walk_with_the_page_index(zego) -> None:
    seen: list[str] = []
    next_ = 0
    for expected in (1, 2, 0):
        data = await zego.call(LIST, {"GroupId": "g-hiking", "Limit": 2, "Next": next_})
        assert data["Next"] == expected
        seen += [m["UserId"] for m in data["MemberList"]]
        next_ = data["Next"]
    assert seen == ["alice", "bob", "carol", "heavy", "dave"]  # by role, then join time


@pytest.mark.parametrize("limit", [None, "", 0, 1001, 5000])
async def test_limit_absent_zero_or_above_1000_means_1000(zego, limit) -> None:
    body = {"GroupId": "g-hiking"} if limit is None else {"GroupId": "g-hiking", "Limit": limit}
    data = await zego.call(LIST, body)
    assert (data["Code"], len(data["MemberList"]), data["Next"]) == (0, 5, 0)


async def test_numeric_strings_like_the_docs_samples(zego) -> None:
    data = await zego.call(LIST, {"GroupId": "g-hiking", "Limit": "2", "Next": "2"})
    assert ([m["UserId"] for m in data["MemberList"]], data["Next"]) == (["dave"], 0)


async def test_past_the_end_is_empty(zego) -> None:
    data = await zego.call(LIST, {"GroupId": "g-hiking", "Limit": 2, "Next": 9})
    assert (data["Code"], data["TotalCount"], data["MemberList"], data["Next"]) == (0, 5, [], 0)


@pytest.mark.parametrize(("body", "code"), [
    ({}, 660000002),
    ({"GroupId": "g-hiking", "Limit": -1}, 660000002),
    ({"GroupId": "g-hiking", "Limit": "many"}, 660000002),
    ({"GroupId": "g-hiking", "Next": -1}, 660000002),
    ({"GroupId": "g-hiking", "Next": "abc"}, 660000002),
    ({"GroupId": "g-nowhere"}, 660600001),
    ({"GroupId": "g-old-project"}, 660600001),
])
async def test_refused(zego, body, code) -> None:
    data = await zego.call(LIST, body)
    assert (data["Code"], list(data)) == (code, ["Code", "Message", "RequestId"])
