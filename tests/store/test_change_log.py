"""The store's change log: written by the triggers that move the change counters, in the same
transaction, one row per element holding its latest change at the counter's value after it;
read back as the changes after a version, oldest first; None once the version is further
behind than the log keeps (``CHANGE_LOG_SPAN``); gone with the group and with a reset."""

from __future__ import annotations

import pytest

from emulator.store import Change, GroupStore, Membership, open_template, parse_fixture
from emulator.store.schema import CHANGE_LOG_SPAN
from tests.store.fixtures import SMALL

pytestmark = pytest.mark.anyio


async def counter(store: GroupStore, group_id: str) -> int:
    group = await store.get_group(group_id)
    assert group is not None
    return group.member_version


async def test_a_loaded_fixture_has_an_empty_log(store: GroupStore) -> None:
    assert await store.changes_since("group_members", "g1", 0) == []
    assert await store.changes_since("user_groups", "ann", 0) == []


async def test_each_change_is_logged_at_the_counters_value(store: GroupStore) -> None:
    await store.add_group_members("g1", [Membership("g1", "cat"), Membership("g1", "dan")])
    await store.update_member_info("g1", "cat", nickname="C")
    await store.update_group_info("g1", name="Renamed", now_ms=5)
    await store.remove_group_members("g1", ["dan"])
    assert await counter(store, "g1") == 5
    assert await store.changes_since("group_members", "g1", 0) == [
        Change("cat", 3, "update"), Change("", 4, "update"), Change("dan", 5, "delete")]
    assert await store.changes_since("group_members", "g1", 3) == [
        Change("", 4, "update"), Change("dan", 5, "delete")]
    assert await store.changes_since("group_members", "g1", 5) == []
    assert await store.changes_since("user_groups", "cat", 0) == [Change("g1", 1, "insert")]
    assert await store.changes_since("user_groups", "dan", 0) == [Change("g1", 2, "delete")]
    assert await store.joined_version("dan") == 2


async def test_a_role_change_is_logged_as_a_reorder(store: GroupStore) -> None:
    await store.add_group_members("g1", [Membership("g1", "cat")])
    await store.set_role("g1", "cat", "admin")
    await store.update_member_info("g1", "cat", nickname="C")  # not a role change
    assert await store.changes_since("member_order", "g1", 0) == [Change("", 2, "update")]
    assert await store.changes_since("group_members", "g1", 0) == [Change("cat", 3, "update")]


async def test_a_member_who_leaves_and_comes_back_reads_inserted(store: GroupStore) -> None:
    await store.remove_group_members("g1", ["ben"])
    await store.add_group_members("g1", [Membership("g1", "ben")])
    assert await store.changes_since("group_members", "g1", 0) == [Change("ben", 2, "insert")]
    assert await store.changes_since("user_groups", "ben", 1) == [Change("g1", 2, "insert")]


async def test_a_change_rolled_back_logs_nothing(store: GroupStore) -> None:
    with pytest.raises(RuntimeError):
        async with store.transaction() as conn:
            await conn.execute("UPDATE memberships SET nickname = 'x' WHERE user_id = 'ben'")
            raise RuntimeError("the rest of the change failed")
    assert await store.changes_since("group_members", "g1", 0) == []
    assert await counter(store, "g1") == 0


async def test_the_log_keeps_a_bounded_span_per_key(store: GroupStore) -> None:
    for step in range(CHANGE_LOG_SPAN + 5):
        await store.update_member_info("g1", "ben", nickname=f"n{step}")
    newest = await counter(store, "g1")
    assert await store.changes_since("group_members", "g1", newest - 1) == [
        Change("ben", newest, "update")]
    assert await store.changes_since("group_members", "g1", newest - CHANGE_LOG_SPAN) == [
        Change("ben", newest, "update")]
    assert await store.changes_since("group_members", "g1", newest - CHANGE_LOG_SPAN - 1) is None
    assert await store.changes_since("group_members", "g2", 0) == []  # another key's is whole


async def test_the_log_goes_with_the_group_and_with_a_reset(store: GroupStore) -> None:
    await store.add_group_members("g1", [Membership("g1", "cat")])
    await store.add_group_members("g2", [Membership("g2", "cat")])
    await store.delete_group("g1")
    assert await store.changes_since("group_members", "g1", 0) == []
    assert await store.changes_since("user_groups", "cat", 0) == [
        Change("g2", 2, "insert"), Change("g1", 3, "delete")]
    await store.restore(open_template(parse_fixture(SMALL, source="t", now_ms=1000)))
    assert await store.changes_since("group_members", "g2", 0) == []
    assert await store.changes_since("user_groups", "cat", 0) == []


async def test_an_unknown_scope_is_refused(store: GroupStore) -> None:
    with pytest.raises(ValueError):
        await store.changes_since("friends", "ann", 0)
