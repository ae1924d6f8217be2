"""Follows and remark names: who may hold them, and that they leave with the membership (a
member's removal, the old owner leaving on a transfer, a dismissal, a deletion, a re-seed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.store import (GroupDismissed, GroupNotFound, GroupStore, IsOwner, Membership,
                            NotMember, parse_fixture)

pytestmark = pytest.mark.anyio

FIXTURE: dict[str, Any] = {
    "users": [{"id": u} for u in ("ann", "ben", "cat", "dan")],
    "groups": [
        {"id": "g1", "name": "One", "type": "work", "owner": "ann",
         "members": ["ben", "cat"]},
        {"id": "g2", "name": "Two", "type": "work", "owner": "ben", "members": ["ann"]},
    ],
}


@pytest.fixture
async def store(store_of: Any) -> AsyncIterator[GroupStore]:
    async with store_of(FIXTURE) as opened:
        yield opened


async def test_follow_lists_oldest_first_and_keeps_the_first_time(store: GroupStore) -> None:
    assert await store.follow_members("g1", "ann", ["cat", "ben", "cat"], now_ms=10) == [
        "cat", "ben"]
    assert await store.follow_members("g1", "ann", ["ben"], now_ms=20) == []
    assert await store.followed_members("g1", "ann") == [("ben", 10), ("cat", 10)]
    assert await store.followed_members("g2", "ann") == []
    assert await store.unfollow_members("g1", "ann", ["ben", "dan"]) == ["ben"]
    assert await store.followed_members("g1", "ann") == [("cat", 10)]


async def test_follows_need_members_and_a_live_group(store: GroupStore) -> None:
    with pytest.raises(NotMember):
        await store.follow_members("g1", "ann", ["ben", "dan"], now_ms=1)
    assert await store.followed_members("g1", "ann") == []    # nothing changed
    with pytest.raises(NotMember):
        await store.follow_members("g1", "dan", ["ben"], now_ms=1)
    with pytest.raises(GroupNotFound):
        await store.follow_members("nope", "ann", ["ben"], now_ms=1)
    await store.dismiss_group("g2", now_ms=5)
    with pytest.raises(GroupDismissed):
        await store.set_remark_name("g2", "ann", "x", now_ms=6)


async def test_remark_names_are_per_user_and_group(store: GroupStore) -> None:
    await store.set_remark_name("g1", "ben", "Work", now_ms=1)
    await store.set_remark_name("g1", "ben", "Job", now_ms=2)
    await store.set_remark_name("g2", "ann", "Home", now_ms=3)
    assert await store.remark_names("ben", ["g1", "g2"]) == {"g1": "Job"}
    assert await store.remark_names("ann", ["g1", "g2"]) == {"g2": "Home"}
    assert await store.delete_remark_name("g1", "ben") is True
    assert await store.delete_remark_name("g1", "ben") is False
    with pytest.raises(NotMember):
        await store.set_remark_name("g1", "dan", "x", now_ms=4)


async def _follow_everyone(store: GroupStore) -> None:
    await store.follow_members("g1", "ann", ["ben", "cat"], now_ms=1)
    await store.follow_members("g1", "ben", ["cat"], now_ms=1)
    await store.follow_members("g1", "cat", ["ann", "ben"], now_ms=1)
    for user in ("ann", "ben", "cat"):
        await store.set_remark_name("g1", user, f"{user}'s", now_ms=1)


async def test_a_member_who_leaves_takes_follows_and_remark_along(store: GroupStore) -> None:
    await _follow_everyone(store)
    await store.remove_group_members("g1", ["cat"])
    assert await store.followed_members("g1", "cat") == []
    assert await store.followed_members("g1", "ann") == [("ben", 1)]
    assert await store.followed_members("g1", "ben") == []
    assert await store.remark_names("cat", ["g1"]) == {}
    assert await store.remark_names("ben", ["g1"]) == {"g1": "ben's"}


async def test_keep_followed_keeps_the_follows_of_the_leaver(store: GroupStore) -> None:
    await _follow_everyone(store)
    await store.remove_group_members("g1", ["cat"], keep_followed=True)
    assert await store.followed_members("g1", "cat") == []
    assert await store.followed_members("g1", "ann") == [("ben", 1), ("cat", 1)]


async def test_the_old_api_removal_forgets_too(store: GroupStore) -> None:
    await _follow_everyone(store)
    assert await store.remove_members("g1", ["ben"]) == 1
    assert await store.followed_members("g1", "ann") == [("cat", 1)]
    assert await store.remark_names("ben", ["g1"]) == {}


@pytest.mark.parametrize("leaves,keep", [(True, False), (True, True), (False, False)])
async def test_transfer_forgets_an_old_owner_who_leaves(store: GroupStore, leaves: bool,
                                                        keep: bool) -> None:
    await _follow_everyone(store)
    await store.transfer_owner("g1", "ben", now_ms=5, old_owner_leaves=leaves,
                               keep_followed=keep)
    stays = not leaves
    assert await store.followed_members("g1", "ann") == (
        [("ben", 1), ("cat", 1)] if stays else [])
    assert await store.remark_names("ann", ["g1"]) == ({"g1": "ann's"} if stays else {})
    assert await store.followed_members("g1", "cat") == (
        [("ann", 1), ("ben", 1)] if stays or keep else [("ben", 1)])


async def test_dismissal_and_deletion_leave_nothing(store: GroupStore) -> None:
    await _follow_everyone(store)
    await store.follow_members("g2", "ann", ["ben"], now_ms=1)
    await store.dismiss_group("g1", now_ms=5)
    for user in ("ann", "ben", "cat"):
        assert await store.followed_members("g1", user) == []
        assert await store.remark_names(user, ["g1"]) == {}
    await store.delete_group("g2")
    assert await store.followed_members("g2", "ann") == []


async def test_a_reseeded_group_starts_without_follows(store: GroupStore) -> None:
    await _follow_everyone(store)
    await store.seed(parse_fixture(FIXTURE, source="again", now_ms=2000))
    assert await store.followed_members("g1", "ann") == []
    assert await store.remark_names("ann", ["g1"]) == {}


OPS = st.lists(st.tuples(st.sampled_from(["follow", "unfollow", "remark", "remove", "join",
                                          "transfer"]),
                         st.sampled_from(["ann", "ben", "cat", "dan"]),
                         st.lists(st.sampled_from(["ann", "ben", "cat", "dan"]),
                                  min_size=1, max_size=3)), max_size=25)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
async def test_every_follow_and_remark_belongs_to_members(store_of: Any,
                                                         ops: list[Any]) -> None:
    """Whatever runs, a follower and a remark holder are members; so is a followed user."""
    async with store_of(FIXTURE) as store:
        for op, user, others in ops:
            try:
                if op == "follow":
                    await store.follow_members("g1", user, others, now_ms=1)
                elif op == "unfollow":
                    await store.unfollow_members("g1", user, others)
                elif op == "remark":
                    await store.set_remark_name("g1", user, "r", now_ms=1)
                elif op == "remove":
                    await store.remove_group_members("g1", others)
                elif op == "join":
                    await store.add_group_members("g1", [Membership("g1", u) for u in others])
                else:
                    await store.transfer_owner("g1", user, now_ms=1, old_owner_leaves=True)
            except (NotMember, IsOwner):
                pass
        members = {member.user_id for member in await store.members("g1")}
        for user in ("ann", "ben", "cat", "dan"):
            followed = {target for target, _ in await store.followed_members("g1", user)}
            assert not followed or user in members
            assert followed <= members
            assert not await store.remark_names(user, ["g1"]) or user in members


async def test_push_aliases_are_a_second_kind_of_name(store: GroupStore) -> None:
    await store.set_remark_name("g1", "ben", "Work", now_ms=1)
    await store.set_remark_name("g1", "ben", "Benny", now_ms=1, kind="push")
    assert await store.remark_names("ben", ["g1"]) == {"g1": "Work"}
    assert await store.remark_names("ben", ["g1"], kind="push") == {"g1": "Benny"}
    assert await store.delete_remark_name("g1", "ben", kind="push") is True
    assert await store.remark_names("ben", ["g1"]) == {"g1": "Work"}
    await store.set_remark_name("g1", "ben", "Benny", now_ms=2, kind="push")
    await store.remove_group_members("g1", ["ben"])
    assert await store.remark_names("ben", ["g1"], kind="push") == {}
    with pytest.raises(ValueError):
        await store.set_remark_name("g1", "ann", "x", now_ms=1, kind="other")
