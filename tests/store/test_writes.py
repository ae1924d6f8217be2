"""Writes to the group store: atomic and unique group creation, users, members and counts,
reads that wait for a write in flight, every write visible in the next joined-groups read,
and each membership's copies of its group's columns kept true (observed through the counts and
the name order) after every kind of write."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from emulator.store import (Group, GroupExists, GroupNotFound, GroupStore, JoinedQuery, Membership,
                            User, UserExists, open_template, parse_fixture)
from tests.store.fixtures import SMALL, THREE_USERS

pytestmark = pytest.mark.anyio


async def ids(store: GroupStore, **kwargs: object) -> list[str]:
    page = await store.joined(JoinedQuery("ann", **kwargs))  # type: ignore[arg-type]
    return [row.group.id for row in page.rows]


async def test_create_group_is_atomic_and_unique(store: GroupStore) -> None:
    group = Group(id="g9", name="New", type="work", owner="ann")
    members = [Membership("g9", "ann", "owner"), Membership("g9", "ben"), Membership("g9", "ben")]
    with pytest.raises(Exception):
        await store.create_group(group, members)
    assert await store.get_group("g9") is None
    assert await ids(store) == ["g2", "g3", "g5", "g1"]
    with pytest.raises(GroupExists):
        await store.create_group(Group(id="g4", name="Again", type="work", owner="ann"), [])


async def test_concurrent_creates_of_one_id(store: GroupStore) -> None:
    async def create(i: int) -> bool:
        try:
            await store.create_group(Group(id="same", name=f"n{i}", type="work", owner="ann"),
                                     [Membership("same", "ann", "owner")])
        except GroupExists:
            return False
        return True

    results = await asyncio.gather(*(create(i) for i in range(50)))
    assert results.count(True) == 1
    assert (await store.get_group("same")).member_count == 1  # type: ignore[union-attr]


async def test_users(store: GroupStore) -> None:
    with pytest.raises(UserExists) as caught:
        await store.add_users([User("new"), User("ann")])
    assert caught.value.user_ids == ["ann"]
    assert await store.get_user("new") is None
    await store.add_users([User("new", "New")])
    assert (await store.get_user("new")).name == "New"  # type: ignore[union-attr]
    assert await store.missing_users(["zz", "ann", "zz", "yy"]) == ["zz", "yy"]


async def test_members_and_counts(store: GroupStore) -> None:
    assert await store.add_members("g1", [Membership("g1", "cat", join_time_ms=50), Membership("g1", "ben")]) == [
        True, False]
    assert (await store.get_group("g1")).member_count == 3  # type: ignore[union-attr]
    assert [m.user_id for m in await store.members("g1")] == ["ann", "ben", "cat"]
    assert await store.remove_members("g1", ["cat", "zed"]) == 1
    assert (await store.get_group("g1")).member_count == 2  # type: ignore[union-attr]
    with pytest.raises(GroupNotFound):
        await store.add_members("nope", [Membership("nope", "ann")])
    await store.update_group("g1", status="dismissed")
    assert "g1" not in await ids(store)
    await store.delete_group("g1")
    assert await store.members("g1") == []
    with pytest.raises(GroupNotFound):
        await store.delete_group("g1")


async def test_read_waits_for_write_in_flight(store: GroupStore) -> None:
    async with store.transaction() as conn:
        await conn.execute("UPDATE groups SET name = 'Half' WHERE id = 'g1'")
        reader = asyncio.ensure_future(store.get_group("g1"))
        await asyncio.sleep(0)
        assert not reader.done()
        await conn.execute("UPDATE groups SET name = 'Whole' WHERE id = 'g1'")
    assert (await reader).name == "Whole"  # type: ignore[union-attr]


# ---- every write is visible in the next joined-groups read ---------------------------------

TWO = {
    "users": [{"id": u} for u in ("ann", "ben", "cat")],
    "groups": [
        {"id": "g1", "name": "Bravo", "type": "work", "owner": "ben", "createTime": 300,
         "members": [{"id": "ann", "joinTime": 30}]},
        {"id": "g2", "name": "Alpha", "type": "public", "owner": "cat", "createTime": 200,
         "members": [{"id": "ann", "joinTime": 10}]},
    ],
}
ANN = JoinedQuery("ann")
ANN_ALL = JoinedQuery("ann", include_dismissed=True, order="name", limit=10)


@pytest.fixture
async def two(store_of: Any) -> AsyncIterator[GroupStore]:
    async with store_of(TWO) as opened:
        yield opened


async def listing(store: GroupStore, query: JoinedQuery = ANN) -> tuple[int, list[str]]:
    page = await store.joined(query)
    return page.total, [row.group.id for row in page.rows]


async def warm(store: GroupStore) -> None:
    """Read twice, so the second answer comes from the cache."""
    for query in (ANN, ANN_ALL):
        assert await listing(store, query) == await listing(store, query)


def g3() -> Group:
    return Group("g3", "Charlie", "work", "cat", create_time_ms=400)


Write = Callable[[GroupStore], Awaitable[Any]]
WRITES: dict[str, tuple[Write, tuple[int, list[str]]]] = {
    "create_group": (lambda s: s.create_group(g3(), [Membership("g3", "ann", join_time_ms=40)]),
                     (3, ["g2", "g1", "g3"])),
    "add_members": (lambda s: s.add_members("g3", [Membership("g3", "ann", join_time_ms=40)]),
                    (3, ["g2", "g1", "g3"])),
    "remove_members": (lambda s: s.remove_members("g1", ["ann"]), (1, ["g2"])),
    "update_group": (lambda s: s.update_group("g2", status="dismissed"), (1, ["g1"])),
    "delete_group": (lambda s: s.delete_group("g1"), (1, ["g2"])),
    "seed": (lambda s: s.seed(parse_fixture({"users": [{"id": "ben"}], "groups": [
        {"id": "g1", "name": "Bravo", "type": "work", "owner": "ben"}]}, source="t", now_ms=1)),
        (1, ["g2"])),
    "restore a fixture": (lambda s: s.restore(open_template(parse_fixture(
        {"users": [{"id": "ann"}], "groups": [
            {"id": "g9", "name": "Nine", "type": "work", "owner": "ann"}]},
        source="t", now_ms=1))), (1, ["g9"])),
    "restore": (lambda s: s.restore(open_template(parse_fixture(
        {"users": [{"id": "ann"}]}, source="t", now_ms=1))), (0, [])),
}


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_every_write_empties_the_cache(two: GroupStore, name: str) -> None:
    if name == "add_members":
        await two.create_group(g3(), [])
    await warm(two)
    write, expected = WRITES[name]
    await write(two)
    assert await listing(two) == expected


async def test_a_rolled_back_write_leaves_the_answer_unchanged(two: GroupStore) -> None:
    await warm(two)
    with pytest.raises(RuntimeError):
        async with two.transaction() as conn:
            await conn.execute("DELETE FROM memberships")
            raise RuntimeError("abandoned")
    assert await listing(two) == (2, ["g2", "g1"])


async def test_a_read_during_a_write_waits_and_sees_it(two: GroupStore) -> None:
    await warm(two)
    async with two.transaction() as conn:
        await conn.execute("DELETE FROM memberships WHERE group_id = 'g2'")
        reader = asyncio.ensure_future(listing(two))
        await asyncio.sleep(0)
        assert not reader.done()
    assert await reader == (1, ["g1"])
    assert await listing(two) == (1, ["g1"])


async def test_callers_may_change_what_they_get(two: GroupStore) -> None:
    await warm(two)
    page = await two.joined(ANN)
    page.rows[0].group.name = "changed"
    page.rows[0].membership.role = "owner"
    page.rows.clear()
    again = await two.joined(ANN)
    assert [(r.group.name, r.membership.role) for r in again.rows] == [
        ("Alpha", "member"), ("Bravo", "member")]
    assert again.rows[0].group.activated is True and again.rows[0].group.mute_all is False


async def test_a_small_cache_answers_the_same(store_of: Any) -> None:
    async with store_of(TWO, cache_size=3) as small:
        for _ in range(2):
            for offset in range(10):
                page = await small.joined(JoinedQuery("ann", offset=offset, limit=1))
                assert [row.group.id for row in page.rows] == (["g2", "g1"][offset:offset + 1])
        assert await listing(small, JoinedQuery("ann", offset=1, limit=1)) == (2, ["g1"])
    async with store_of(TWO, cache_size=0) as uncached:
        await warm(uncached)
        await uncached.update_group("g2", status="dismissed")
        assert await listing(uncached) == (1, ["g1"])


# ---- each membership's copy of its group's columns follows every write ---------------------

@pytest.fixture
async def copies(store_of: Any) -> AsyncIterator[GroupStore]:
    async with store_of(THREE_USERS) as opened:
        yield opened


async def name_order(store: GroupStore, user_id: str) -> list[str]:
    """The user's group ids in name order (dismissed and inactive groups included)."""
    page = await store.joined(JoinedQuery(user_id, include_dismissed=True,
                                          include_inactive=True, order="name",
                                          group_fields=frozenset(), member_fields=frozenset()))
    return [row.group.id for row in page.rows]


async def totals(store: GroupStore, user_id: str) -> tuple[int, int, int, int]:
    """The user's counts: default, with dismissed, active only, work groups only."""
    queries = (JoinedQuery(user_id), JoinedQuery(user_id, include_dismissed=True),
               JoinedQuery(user_id, include_inactive=False),
               JoinedQuery(user_id, types=frozenset({"work"})))
    return tuple([(await store.joined(q)).total for q in queries])  # type: ignore[return-value]


async def test_template_rows_carry_their_groups_columns(copies: GroupStore) -> None:
    assert await totals(copies, "ann") == (3, 4, 2, 2)
    assert await name_order(copies, "ann") == ["g4", "g1", "g3", "g2"]


async def test_renames_and_create_times_move_the_name_order(copies: GroupStore) -> None:
    await copies.update_group("g2", name="Aardvark")
    assert await name_order(copies, "ann") == ["g2", "g4", "g1", "g3"]
    await copies.update_group("g4", name="Aardvark", create_time_ms=1)
    assert await name_order(copies, "ann") == ["g4", "g2", "g1", "g3"]
    await copies.update_group("g4", create_time_ms=2000)
    assert await name_order(copies, "ann") == ["g2", "g4", "g1", "g3"]


async def test_dismissing_and_restoring_moves_a_group_out_and_in(copies: GroupStore) -> None:
    await copies.update_group("g2", status="dismissed")
    assert await totals(copies, "ann") == (2, 4, 1, 2)
    assert await totals(copies, "ben") == (2, 3, 1, 2)
    await copies.update_group("g2", status="normal", name="Renamed")
    assert await totals(copies, "ann") == (3, 4, 2, 2)


async def test_type_and_activation_changes_move_filtered_counts(copies: GroupStore) -> None:
    await copies.update_group("g2", type="work")
    assert await totals(copies, "ann") == (3, 4, 2, 3)
    await copies.update_group("g4", activated=0)
    await copies.update_group("g4", activated=1)
    assert await totals(copies, "ann") == (3, 4, 3, 3)
    await copies.update_group("g1", activated=0, type="public")
    assert await totals(copies, "ann") == (3, 4, 2, 2)
    assert await totals(copies, "ben") == (3, 3, 2, 2)


async def test_other_column_changes_leave_the_copies_alone(copies: GroupStore) -> None:
    await copies.update_group("g3", introduction="Still dismissed", mute_all=1)
    assert await totals(copies, "ann") == (3, 4, 2, 2)


async def test_created_groups_and_added_members_take_the_groups_columns(
        copies: GroupStore) -> None:
    await copies.create_group(Group(id="g5", name="Five", type="work", owner="cat",
                                   status="dismissed"),
                             [Membership("g5", "cat", "owner"), Membership("g5", "ann", "member")])
    await copies.create_group(Group(id="g6", name="Six", type="work", owner="cat",
                                   activated=False), [Membership("g6", "cat", "owner")])
    assert await copies.add_members("g6", [Membership("g6", "ann", "member")]) == [True]
    assert await copies.add_members("g3", [Membership("g3", "ben", "member")]) == [True]
    assert await copies.add_members("g2", [Membership("g2", "cat", "member")]) == [True]
    assert await totals(copies, "ann") == (4, 6, 2, 3)
    assert await totals(copies, "ben") == (3, 4, 2, 2)
    assert await totals(copies, "cat") == (3, 5, 1, 2)


async def test_removals_and_deletes_leave_no_stale_rows(copies: GroupStore) -> None:
    assert await copies.remove_members("g2", ["ann"]) == 1
    await copies.delete_group("g4")
    assert await totals(copies, "ann") == (1, 2, 1, 1)


async def test_seed_and_restore_write_the_columns(copies: GroupStore) -> None:
    extra = parse_fixture({"groups": [
        {"id": "g2", "name": "Two", "type": "work", "owner": "ben", "activated": False,
         "members": ["ann"]},
        {"id": "g7", "name": "Seven", "type": "public", "owner": "ann", "status": "dismissed"},
    ]}, source="s", now_ms=2000, known_users=lambda ids: set(ids))
    await copies.seed(extra)
    assert await totals(copies, "ann") == (3, 5, 1, 3)
    await copies.restore(open_template(parse_fixture(THREE_USERS, source="t", now_ms=1000)))
    assert await totals(copies, "ann") == (3, 4, 2, 2)


