"""Each membership's copy of its group's status, type, activation, name and create time (the
store's internal ``g_*`` columns) stays in step after every kind of write, the joined-groups
count and the name order read only the covering user index, and a store file in an older
layout is refused with a clear message."""

from __future__ import annotations

from collections.abc import AsyncIterator

import sqlite3
from pathlib import Path

import pytest
from store_helpers import store_of

from emulator import cli
from emulator.store import (Group, GroupStore, JoinedQuery, Membership, StoreError, check_file,
                            open_template, parse_fixture)
from emulator.store.joined import where_clause

pytestmark = pytest.mark.anyio

FIXTURE = {
    "users": [{"id": u} for u in ("ann", "ben", "cat")],
    "groups": [
        {"id": "g1", "name": "One", "type": "work", "owner": "ann", "members": ["ben"]},
        {"id": "g2", "name": "Two", "type": "public", "owner": "ben", "members": ["ann"]},
        {"id": "g3", "name": "Three", "type": "work", "owner": "cat", "status": "dismissed",
         "members": ["ann"]},
        {"id": "g4", "name": "Four", "type": "work", "owner": "cat", "activated": False,
         "members": ["ann", "ben"]},
    ],
}
OLD_MEMBERSHIPS = """
CREATE TABLE memberships (
    group_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL, msg_flag TEXT NOT NULL, unread INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships (user_id, join_time_ms, group_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('seeded', '1');
"""


@pytest.fixture
async def store() -> AsyncIterator[GroupStore]:
    async with store_of(FIXTURE) as opened:
        yield opened


def out_of_step(store: GroupStore) -> list[tuple[str, str]]:
    """Memberships whose g_* columns differ from their group's (or that have no group)."""
    return store.raw.execute(
        "SELECT m.group_id, m.user_id FROM memberships m LEFT JOIN groups g ON g.id = m.group_id "
        "WHERE g.id IS NULL OR m.g_status IS NOT g.status OR m.g_type IS NOT g.type "
        "OR m.g_activated IS NOT g.activated OR m.g_name IS NOT g.name "
        "OR m.g_create_time_ms IS NOT g.create_time_ms").fetchall()


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


async def test_template_rows_carry_their_groups_columns(store: GroupStore) -> None:
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (3, 4, 2, 2)
    assert await name_order(store, "ann") == ["g4", "g1", "g3", "g2"]


async def test_renames_and_create_times_move_the_name_order(store: GroupStore) -> None:
    await store.update_group("g2", name="Aardvark")
    assert out_of_step(store) == []
    assert await name_order(store, "ann") == ["g2", "g4", "g1", "g3"]
    await store.update_group("g4", name="Aardvark", create_time_ms=1)
    assert out_of_step(store) == []
    assert await name_order(store, "ann") == ["g4", "g2", "g1", "g3"]
    await store.update_group("g4", create_time_ms=2000)
    assert out_of_step(store) == []
    assert await name_order(store, "ann") == ["g2", "g4", "g1", "g3"]


@pytest.mark.parametrize("query", [
    JoinedQuery("ann"), JoinedQuery("ann", include_dismissed=True, include_inactive=False),
    JoinedQuery("ann", types=frozenset({"work", "public"})),
])
async def test_count_reads_only_the_covering_index(store: GroupStore, query: JoinedQuery) -> None:
    where, params = where_clause(query)
    plan = store.raw.execute(
        f"EXPLAIN QUERY PLAN SELECT COUNT(*) FROM memberships m WHERE {where}", params).fetchall()
    assert [row[3] for row in plan] == [
        "SEARCH m USING COVERING INDEX memberships_by_user (user_id=?)"]


async def test_dismissing_and_restoring_moves_a_group_out_and_in(store: GroupStore) -> None:
    await store.update_group("g2", status="dismissed")
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (2, 4, 1, 2)
    assert await totals(store, "ben") == (2, 3, 1, 2)
    await store.update_group("g2", status="normal", name="Renamed")
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (3, 4, 2, 2)


async def test_type_and_activation_changes_move_filtered_counts(store: GroupStore) -> None:
    await store.update_group("g2", type="work")
    assert await totals(store, "ann") == (3, 4, 2, 3)
    await store.update_group("g4", activated=0)
    await store.update_group("g4", activated=1)
    assert await totals(store, "ann") == (3, 4, 3, 3)
    await store.update_group("g1", activated=0, type="public")
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (3, 4, 2, 2)
    assert await totals(store, "ben") == (3, 3, 2, 2)


async def test_other_column_changes_leave_the_copies_alone(store: GroupStore) -> None:
    await store.update_group("g3", introduction="Still dismissed", mute_all=1)
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (3, 4, 2, 2)


async def test_created_groups_and_added_members_take_the_groups_columns(
        store: GroupStore) -> None:
    await store.create_group(Group(id="g5", name="Five", type="work", owner="cat",
                                   status="dismissed"),
                             [Membership("g5", "cat", "owner"), Membership("g5", "ann", "member")])
    await store.create_group(Group(id="g6", name="Six", type="work", owner="cat",
                                   activated=False), [Membership("g6", "cat", "owner")])
    assert await store.add_members("g6", [Membership("g6", "ann", "member")]) == [True]
    assert await store.add_members("g3", [Membership("g3", "ben", "member")]) == [True]
    assert await store.add_members("g2", [Membership("g2", "cat", "member")]) == [True]
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (4, 6, 2, 3)
    assert await totals(store, "ben") == (3, 4, 2, 2)
    assert await totals(store, "cat") == (3, 5, 1, 2)


async def test_removals_and_deletes_leave_no_stale_rows(store: GroupStore) -> None:
    assert await store.remove_members("g2", ["ann"]) == 1
    await store.delete_group("g4")
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (1, 2, 1, 1)


async def test_seed_and_load_write_the_columns(store: GroupStore) -> None:
    extra = parse_fixture({"groups": [
        {"id": "g2", "name": "Two", "type": "work", "owner": "ben", "activated": False,
         "members": ["ann"]},
        {"id": "g7", "name": "Seven", "type": "public", "owner": "ann", "status": "dismissed"},
    ]}, source="s", now_ms=2000, known_users=lambda ids: set(ids))
    await store.seed(extra)
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (3, 5, 1, 3)
    await store.load(parse_fixture(FIXTURE, source="t", now_ms=1000))
    assert out_of_step(store) == []
    assert await totals(store, "ann") == (3, 4, 2, 2)


def _old_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(OLD_MEMBERSHIPS)
    conn.close()


WITHOUT_NAME_COPIES = """
CREATE TABLE memberships (
    group_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL, msg_flag TEXT NOT NULL, unread INTEGER NOT NULL,
    g_status TEXT NOT NULL, g_type TEXT NOT NULL, g_activated INTEGER NOT NULL);
CREATE UNIQUE INDEX memberships_pair ON memberships (group_id, user_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('seeded', '1');
"""
CLUSTERED_MEMBERSHIPS = """
CREATE TABLE memberships (
    group_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL, msg_flag TEXT NOT NULL, unread INTEGER NOT NULL,
    g_status TEXT NOT NULL, g_type TEXT NOT NULL, g_activated INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('seeded', '1');
"""


@pytest.mark.parametrize("layout", [OLD_MEMBERSHIPS, CLUSTERED_MEMBERSHIPS, WITHOUT_NAME_COPIES],
                         ids=["without group columns", "clustered by group and user",
                              "without name copies"])
async def test_an_old_file_is_refused_with_a_pointer_to_reset(tmp_path: Path, layout: str
                                                              ) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(layout)
    conn.close()
    with pytest.raises(StoreError, match="start with --reset to rebuild it from the fixtures"):
        check_file(path)
    store = GroupStore(path)
    with pytest.raises(StoreError, match="start with --reset"):
        await store.open()
    check_file(tmp_path / "missing.db")


async def test_reset_rebuilds_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_file(path)
    store = GroupStore(path)
    await store.open(rebuilding=True)
    await store.restore(open_template(parse_fixture(FIXTURE, source="t", now_ms=1000)))
    assert await totals(store, "ann") == (3, 4, 2, 2)
    await store.close()
    check_file(path)
    again = GroupStore(path)
    await again.open()
    assert out_of_step(again) == []
    await again.close()


def test_the_cli_prints_the_refusal_without_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.db"
    _old_file(path)
    assert cli.main(["--db", str(path), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err == (f"im-emulator: the store file {path} was written by an older im-emulator "
                   "(its memberships table has an older layout); start with --reset to rebuild "
                   "it from the fixtures, or use a new --db path\n")
