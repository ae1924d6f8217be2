"""Joined-groups queries: join and name order, filters, the total whatever the slice, the rows'
group and membership; queries that name the fields their caller reads give the same rows,
totals and order as a query for every field, fields not named keep their defaults, unknown
names are refused, and each vendor's field set is enough for everything it renders."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from emulator.settings import DEFAULT_FIXTURES
from emulator.store import Group, GroupStore, JoinedQuery, Membership, schema
from emulator.vendors.openim.mapping import GROUP_INFO_FIELDS, group_info
from emulator.vendors.tencent import mapping as tencent
from tests.store.fixtures import SMALL

pytestmark = pytest.mark.anyio

DEFAULT_FIXTURE = DEFAULT_FIXTURES
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
async def store(store_of: Any) -> AsyncIterator[GroupStore]:
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


async def test_a_field_not_named_keeps_its_default(store: GroupStore) -> None:
    page = await store.joined(JoinedQuery("heavy", limit=3, group_fields=frozenset({"name"}),
                                          member_fields=frozenset()))
    assert len(page.rows) == 3
    row = page.rows[0]
    assert row.group.id and row.group.name
    assert row.membership.user_id == "heavy" and row.membership.group_id == row.group.id
    assert (row.group.owner, row.group.introduction, row.group.max_members) == ("", "", 2000)
    assert (row.membership.role, row.membership.msg_flag) == ("member", "AcceptAndNotify")


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


# ---- order, filters, total -----------------------------------------------------------------

@pytest.fixture
async def small(store_of: Any) -> AsyncIterator[GroupStore]:
    async with store_of(SMALL) as opened:
        yield opened


async def ids(store: GroupStore, **kwargs: object) -> list[str]:
    page = await store.joined(JoinedQuery("ann", **kwargs))  # type: ignore[arg-type]
    return [row.group.id for row in page.rows]


async def test_join_order_hides_dismissed(small: GroupStore) -> None:
    assert await ids(small) == ["g2", "g3", "g5", "g1"]
    assert await ids(small, include_dismissed=True) == ["g4", "g2", "g3", "g5", "g1"]


async def test_name_order_then_create_time(small: GroupStore) -> None:
    assert await ids(small, order="name") == ["g3", "g2", "g1", "g5"]


async def test_filters_and_total_ignore_the_slice(small: GroupStore) -> None:
    assert await ids(small, include_inactive=False) == ["g2", "g3", "g1"]
    assert await ids(small, types=frozenset({"work"})) == ["g5", "g1"]
    assert await ids(small, types=frozenset()) == []
    page = await small.joined(JoinedQuery("ann", offset=1, limit=2))
    assert page.total == 4 and [r.group.id for r in page.rows] == ["g3", "g5"]
    page = await small.joined(JoinedQuery("ann", offset=10, limit=2))
    assert page.total == 4 and page.rows == []
    page = await small.joined(JoinedQuery("ann", limit=0))
    assert page.total == 4 and page.rows == []
    assert (await small.joined(JoinedQuery("nobody"))).total == 0


async def test_rows_carry_group_and_membership(small: GroupStore) -> None:
    row = (await small.joined(JoinedQuery("ann", limit=1))).rows[0]
    assert row.group.name == "Alpha" and row.group.member_count == 2 and row.group.activated is True
    assert (row.membership.role, row.membership.join_time_ms) == ("member", 10)
