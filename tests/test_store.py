"""The group store: joined-groups queries, ordering, filters, atomic writes, restore and files."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncio
from pathlib import Path

import pytest
from store_helpers import store_of

from emulator.store import (Group, GroupExists, GroupNotFound, GroupStore, JoinedQuery, Membership,
                            User, UserExists, open_template, parse_fixture)

pytestmark = pytest.mark.anyio

FIXTURE = {
    "users": [{"id": u} for u in ("ann", "ben", "cat", "dan")],
    "groups": [
        {"id": "g1", "name": "Bravo", "type": "work", "owner": "ann", "createTime": 300,
         "members": [{"id": "ben", "joinTime": 30}]},
        {"id": "g2", "name": "Alpha", "type": "public", "owner": "ben", "createTime": 200,
         "members": [{"id": "ann", "joinTime": 10}]},
        {"id": "g3", "name": "Alpha", "type": "avchatroom", "owner": "cat", "createTime": 100,
         "members": [{"id": "ann", "joinTime": 20}]},
        {"id": "g4", "name": "Zulu", "type": "work", "owner": "cat", "status": "dismissed",
         "members": [{"id": "ann", "joinTime": 5}]},
        {"id": "g5", "name": "Echo", "type": "work", "owner": "dan", "activated": False,
         "members": [{"id": "ann", "joinTime": 40}]},
    ],
}


@pytest.fixture
async def store() -> AsyncIterator[GroupStore]:
    async with store_of(FIXTURE) as opened:
        yield opened


async def ids(store: GroupStore, **kwargs: object) -> list[str]:
    page = await store.joined(JoinedQuery("ann", **kwargs))  # type: ignore[arg-type]
    return [row.group.id for row in page.rows]


async def test_join_order_hides_dismissed(store: GroupStore) -> None:
    assert await ids(store) == ["g2", "g3", "g5", "g1"]
    assert await ids(store, include_dismissed=True) == ["g4", "g2", "g3", "g5", "g1"]


async def test_name_order_then_create_time(store: GroupStore) -> None:
    assert await ids(store, order="name") == ["g3", "g2", "g1", "g5"]


async def test_filters_and_total_ignore_the_slice(store: GroupStore) -> None:
    assert await ids(store, include_inactive=False) == ["g2", "g3", "g1"]
    assert await ids(store, types=frozenset({"work"})) == ["g5", "g1"]
    assert await ids(store, types=frozenset()) == []
    page = await store.joined(JoinedQuery("ann", offset=1, limit=2))
    assert page.total == 4 and [r.group.id for r in page.rows] == ["g3", "g5"]
    page = await store.joined(JoinedQuery("ann", offset=10, limit=2))
    assert page.total == 4 and page.rows == []
    page = await store.joined(JoinedQuery("ann", limit=0))
    assert page.total == 4 and page.rows == []
    assert (await store.joined(JoinedQuery("nobody"))).total == 0


async def test_rows_carry_group_and_membership(store: GroupStore) -> None:
    row = (await store.joined(JoinedQuery("ann", limit=1))).rows[0]
    assert row.group.name == "Alpha" and row.group.member_count == 2 and row.group.activated is True
    assert (row.membership.role, row.membership.join_time_ms) == ("member", 10)


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


async def test_file_store_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = GroupStore(path)
    await store.open()
    assert store.was_new
    await store.restore(open_template(parse_fixture(FIXTURE, source="t", now_ms=1000)))
    await store.create_group(Group(id="kept", name="Kept", type="work", owner="ann"),
                             [Membership("kept", "ann", "owner")])
    await store.close()
    again = GroupStore(path)
    await again.open()
    assert not again.was_new
    assert (await again.get_group("kept")) is not None
    mode = again.raw.execute("PRAGMA journal_mode").fetchone()[0]
    await again.close()
    assert mode == "wal"


async def test_read_waits_for_write_in_flight(store: GroupStore) -> None:
    async with store.transaction() as conn:
        await conn.execute("UPDATE groups SET name = 'Half' WHERE id = 'g1'")
        reader = asyncio.ensure_future(store.get_group("g1"))
        await asyncio.sleep(0)
        assert not reader.done()
        await conn.execute("UPDATE groups SET name = 'Whole' WHERE id = 'g1'")
    assert (await reader).name == "Whole"  # type: ignore[union-attr]
