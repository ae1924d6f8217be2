"""Joined-groups queries that name the fields their caller reads: the same rows, totals and
order as a query for every field, only the named fields set, unknown names refused, pages
that need no group column answered from the user index alone, and each vendor's field set
enough for everything it renders."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator.store import Group, GroupStore, JoinedQuery, Membership, schema
from emulator.vendors.openim.mapping import GROUP_INFO_FIELDS, group_info
from emulator.vendors.tencent import mapping as tencent
from tests.store_helpers import store_of

pytestmark = pytest.mark.anyio

DEFAULT_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "default.json"
FIELD_SETS: list[tuple[frozenset[str] | None, frozenset[str] | None]] = [
    (frozenset({"name"}), frozenset()),
    (frozenset({"name", "face_url"}), frozenset({"role"})),
    (frozenset(), frozenset()),
    (frozenset({"activated", "mute_all", "status"}), frozenset({"join_time_ms", "unread"})),
    (GROUP_INFO_FIELDS, frozenset()),
    (None, frozenset({"msg_flag"})),
    (frozenset({"type"}), None),
]


@pytest.fixture
async def store() -> AsyncIterator[GroupStore]:
    async with store_of(json.loads(DEFAULT_FIXTURE.read_text())) as opened:
        yield opened


def _queries(user: str) -> list[JoinedQuery]:
    return [JoinedQuery(user, include_dismissed=dismissed, include_inactive=inactive,
                        types=types, order=order, offset=offset, limit=limit)
            for order in ("join", "name")
            for dismissed, inactive, types in ((False, True, None), (True, False, None),
                                               (False, True, frozenset({"work", "public"})))
            for offset, limit in ((0, 10), (7, 5), (0, None), (3, 0), (500, 10))]


def _fields(item: object, names: frozenset[str] | None, every: tuple[str, ...],
            always: tuple[str, ...]) -> dict[str, object]:
    wanted = every if names is None else (*always, *sorted(names))
    return {name: getattr(item, name) for name in wanted}


async def test_named_fields_give_the_same_rows_as_every_field(store: GroupStore) -> None:
    users = [user.id for user in (await store.snapshot()).users]
    checked = 0
    for user in users:
        for query in _queries(user):
            full = await store.joined(query)
            for group_fields, member_fields in FIELD_SETS:
                named = await store.joined(dataclasses.replace(
                    query, group_fields=group_fields, member_fields=member_fields))
                assert named.total == full.total
                assert len(named.rows) == len(full.rows)
                for got, want in zip(named.rows, full.rows):
                    assert (_fields(got.group, group_fields, schema.GROUP_COLUMNS, ("id",))
                            == _fields(want.group, group_fields, schema.GROUP_COLUMNS, ("id",)))
                    assert (_fields(got.membership, member_fields, schema.MEMBERSHIP_COLUMNS,
                                    ("group_id", "user_id"))
                            == _fields(want.membership, member_fields,
                                       schema.MEMBERSHIP_COLUMNS, ("group_id", "user_id")))
                    checked += 1
    assert checked > 10_000


async def test_a_field_not_named_is_unset(store: GroupStore) -> None:
    page = await store.joined(JoinedQuery("heavy", limit=3, group_fields=frozenset({"name"}),
                                          member_fields=frozenset()))
    assert len(page.rows) == 3
    row = page.rows[0]
    assert row.group.id and row.group.name
    assert row.membership.user_id == "heavy" and row.membership.group_id == row.group.id
    with pytest.raises(AttributeError):
        _ = row.group.owner
    with pytest.raises(AttributeError):
        _ = row.membership.role


async def test_booleans_stay_booleans_when_named(store: GroupStore) -> None:
    page = await store.joined(JoinedQuery("heavy", include_inactive=True, limit=None,
                                          group_fields=frozenset({"activated", "mute_all"})))
    assert {type(row.group.activated) for row in page.rows} == {bool}
    assert {type(row.group.mute_all) for row in page.rows} == {bool}
    assert {row.group.activated for row in page.rows} == {True, False}


@pytest.mark.parametrize("fields", [{"group_fields": frozenset({"nmae"})},
                                    {"member_fields": frozenset({"rank"})}])
async def test_an_unknown_field_is_refused(store: GroupStore, fields: dict[str, frozenset[str]]
                                           ) -> None:
    with pytest.raises(ValueError, match="nmae|rank"):
        await store.joined(JoinedQuery("heavy", limit=10, **fields))


async def _plans(store: GroupStore, query: JoinedQuery) -> list[list[str]]:
    statements: list[str] = []
    store.raw.set_trace_callback(statements.append)
    try:
        await store.joined(query)
    finally:
        store.raw.set_trace_callback(None)
    return [[row[3] for row in store.raw.execute(f"EXPLAIN QUERY PLAN {sql}")]
            for sql in statements]


async def test_a_page_without_group_columns_reads_the_user_index_alone(store: GroupStore
                                                                       ) -> None:
    plans = await _plans(store, JoinedQuery("heavy", limit=10, group_fields=frozenset(),
                                            member_fields=frozenset({"join_time_ms"})))
    covering = "SEARCH m USING COVERING INDEX memberships_by_user (user_id=?)"
    assert plans == [[covering], [covering]]


async def test_a_join_order_page_walks_the_user_index_in_order(store: GroupStore) -> None:
    plans = await _plans(store, JoinedQuery("heavy", limit=10, group_fields=frozenset({"name"}),
                                            member_fields=frozenset()))
    assert plans[1] == ["SEARCH m USING COVERING INDEX memberships_by_user (user_id=?)",
                        "SEARCH g USING PRIMARY KEY (id=?)"]


def test_each_tencent_field_reads_only_its_named_columns() -> None:
    full = Group("g1", "Name", "public", "ann", introduction="i", notification="n",
                 face_url="f", status="muted", create_time_ms=5000, last_info_time=6,
                 last_msg_time=7, next_msg_seq=8, max_members=9, member_count=3)
    member = Membership("g1", "ann", "admin", 4000, "Discard", 2)
    for name, render in tencent.BASE_FIELDS.items():
        partial = _partial(Group, full, {"id", *tencent.group_columns([name])})
        assert render(partial) == render(full), name
    for name, render_self in tencent.SELF_FIELDS.items():
        partial_member = _partial(Membership, member,
                                  {"group_id", "user_id", *tencent.member_columns([name])})
        assert render_self(partial_member) == render_self(member), name


def test_openim_group_info_reads_only_its_named_columns() -> None:
    full = Group("g1", "Name", "work", "ann", creator="ben", introduction="i",
                 notification="n", face_url="f", ex="x", status="muted", create_time_ms=5,
                 need_verification=1, look_member_info=1, apply_member_friend=1,
                 notification_update_time=6, notification_user_id="cat", member_count=3)
    assert group_info(_partial(Group, full, {"id", *GROUP_INFO_FIELDS})) == group_info(full)


def _partial(cls: type, item: object, names: set[str]) -> object:
    copy = object.__new__(cls)
    for name in names:
        setattr(copy, name, getattr(item, name))
    return copy


async def test_a_name_order_page_sorts_off_the_user_index(store: GroupStore) -> None:
    plans = await _plans(store, JoinedQuery("heavy", order="name", limit=10,
                                            group_fields=frozenset({"name", "owner"}),
                                            member_fields=frozenset()))
    assert plans[1] == ["SEARCH m USING COVERING INDEX memberships_by_user (user_id=?)",
                        "USE TEMP B-TREE FOR ORDER BY"]
    assert plans[2] == ["SEARCH g USING PRIMARY KEY (id=?)"]
