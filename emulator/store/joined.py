"""The joined-groups read: the SQL that answers a JoinedQuery, and the rows built from its answer.

A page is two statements: the count of the user's groups under the query's filters, and the
slice. Both read the user index (``memberships_by_user``), which covers each membership's
group id, join time and copies of its group's status, type, activation, name and create time:
the count never leaves it, and the slice is sorted and cut off it (join order walks it in
order; name order sorts the user's entries by (copied name, create time, id) in a subquery
that returns the slice's group ids). Only the slice's rows then look up what the index does
not hold: their membership row, for a role, message flag or unread count, and their group
row, for a group column that is not copied.

A query names the fields its caller reads (``JoinedQuery.group_fields``, ``member_fields``);
the statement selects only those columns (``Projection``), no lookup is made that no named
field needs, and each field not named keeps its dataclass default. Selecting the defaults as
SQL literals instead would be simpler but costs about 0.2 us a value to convert (a page of
10 rows of 30 values: +35 us, more than the rest of the read).
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.store import schema
from emulator.store.models import Group, JoinedGroup, JoinedQuery, Membership

# A page as plain values: the total, and each row of the slice as the values of its Group and
# its Membership in field order. Pages are cached in this form; objects are built from it on
# each call (one positional call each, as cheap as building them gets).
Row = tuple[tuple[Any, ...], tuple[Any, ...]]
Page = tuple[int, list[Row]]

# The membership columns the user index holds, read for every row.
_INDEXED_MEMBER_COLUMNS = ("group_id", "user_id", "join_time_ms")


def _default(cls: type[Any], name: str) -> Any:
    found = next(f for f in dataclasses.fields(cls) if f.name == name)
    return "" if found.default is dataclasses.MISSING else found.default


# Every field's default: those of Membership, then those of Group (an empty string for a
# group's name, type and owner, which have none).
_DEFAULTS: tuple[Any, ...] = (*(_default(Membership, name) for name in schema.MEMBERSHIP_COLUMNS),
                              *(_default(Group, name) for name in schema.GROUP_COLUMNS))


_FLAG_NAMES = frozenset(schema.GROUP_COLUMNS[index] for index in schema.GROUP_FLAGS)


def _checked(fields: frozenset[str] | None, every: tuple[str, ...], what: str) -> frozenset[str]:
    if fields is None:
        return frozenset(every)
    unknown = fields - set(every)
    if unknown:
        raise ValueError(f"not a {what} field: {', '.join(sorted(unknown))}")
    return fields


@dataclass(frozen=True)
class Projection:
    """What a pair of field sets reads and how its rows become objects.

    ``select`` lists the columns read: the indexed membership columns, the named membership
    columns, then the named group columns (a copied one off ``memberships m``, the others off
    ``groups g``). A row followed by ``_DEFAULTS`` holds every field's value somewhere;
    ``member_args`` and ``group_args`` pick each field's value out of it in field order."""

    select: str
    reads_group: bool
    member_args: Callable[[tuple[Any, ...]], tuple[Any, ...]]
    group_args: Callable[[tuple[Any, ...]], tuple[Any, ...]]
    reads_flags: bool

    def split(self, row: tuple[Any, ...]) -> Row:
        """A selected row as the values of its Group (flags made bool) and its Membership."""
        values = row + _DEFAULTS
        group = self.group_args(values)
        if self.reads_flags:
            group = schema.group_values(group)
        return group, self.member_args(values)


@functools.lru_cache(maxsize=64)
def projection(group_fields: frozenset[str] | None,
               member_fields: frozenset[str] | None) -> Projection:
    """The projection of a pair of field sets (ValueError names an unknown field)."""
    groups = _checked(group_fields, schema.GROUP_COLUMNS, "group")
    members = _checked(member_fields, schema.MEMBERSHIP_COLUMNS, "membership")
    member_columns = [name for name in schema.MEMBERSHIP_COLUMNS
                      if name in _INDEXED_MEMBER_COLUMNS or name in members]
    member_columns.sort(key=lambda name: (name not in _INDEXED_MEMBER_COLUMNS,
                                          _INDEXED_MEMBER_COLUMNS.index(name)
                                          if name in _INDEXED_MEMBER_COLUMNS else 0))
    group_columns = [name for name in schema.GROUP_COLUMNS if name in groups and name != "id"]
    columns = [f"m.{name}" for name in member_columns]
    columns += [f"m.g_{name}" if name in schema.GROUP_COPIED_COLUMNS else f"g.{name}"
                for name in group_columns]
    width = len(columns)
    # A membership and its group share some field names (face_url, ex): two position maps.
    member_at = {name: index for index, name in enumerate(member_columns)}
    group_at = {name: len(member_columns) + index for index, name in enumerate(group_columns)}
    member_positions = [member_at.get(name, width + index)
                        for index, name in enumerate(schema.MEMBERSHIP_COLUMNS)]
    offset = width + len(schema.MEMBERSHIP_COLUMNS)
    group_positions = [member_at["group_id"] if name == "id" else group_at.get(name, offset + index)
                       for index, name in enumerate(schema.GROUP_COLUMNS)]
    return Projection(", ".join(columns), any(column.startswith("g.") for column in columns),
                      operator.itemgetter(*member_positions), operator.itemgetter(*group_positions),
                      bool(groups & _FLAG_NAMES))


@functools.lru_cache(maxsize=64)
def _page_sql(group_fields: frozenset[str] | None, member_fields: frozenset[str] | None,
              order: str) -> str:
    """The slice statement for a pair of field sets and an order, with ``{where}`` left to
    fill (ValueError names an unknown field)."""
    view = projection(group_fields, member_fields)
    source = ("memberships m JOIN groups g ON g.id = m.group_id" if view.reads_group
              else "memberships m")
    if order == "join":
        # Walked off the user index in order: only the slice's rows are looked up.
        return (f"SELECT {view.select} FROM {source} WHERE {{where}} "
                "ORDER BY m.join_time_ms, m.group_id LIMIT ? OFFSET ?")
    # The slice's group ids are sorted and cut off the user index alone (``s``); only their
    # rows are then looked up, and sorted again (the slice's rows, not all the user's).
    return (f"SELECT {view.select} FROM {source} WHERE m.user_id = ? AND m.group_id IN ("
            "SELECT s.group_id FROM memberships s WHERE {where} "
            "ORDER BY s.g_name, s.g_create_time_ms, s.group_id LIMIT ? OFFSET ?) "
            "ORDER BY m.g_name, m.g_create_time_ms, m.group_id")


def _where(query: JoinedQuery, alias: str) -> tuple[str, list[Any]]:
    """The WHERE clause (over ``memberships`` as ``alias``) selecting a query's rows, and its
    parameters."""
    clauses = ["m.user_id = ?"]
    params: list[Any] = [query.user_id]
    if not query.include_dismissed:
        clauses.append("m.g_status != 'dismissed'")
    if not query.include_inactive:
        clauses.append("m.g_activated = 1")
    if query.types is not None:
        types = sorted(query.types)
        clauses.append(f"m.g_type IN ({', '.join('?' for _ in types)})" if types else "0")
        params.extend(types)
    return " AND ".join(clauses).replace("m.", f"{alias}."), params


def read_page(conn: sqlite3.Connection, query: JoinedQuery) -> Page:
    """Run a query: the total that matches it and the values of its slice's rows."""
    sql = _page_sql(query.group_fields, query.member_fields, query.order)
    where, params = _where(query, "m")
    total = conn.execute(f"SELECT COUNT(*) FROM memberships m WHERE {where}",
                         params).fetchone()[0]
    limit = -1 if query.limit is None else max(query.limit, 0)
    offset = max(query.offset, 0)
    if limit == 0 or total <= offset:
        return total, []
    if query.order == "join":
        rows = conn.execute(sql.format(where=where), (*params, limit, offset)).fetchall()
    else:
        where, params = _where(query, "s")
        rows = conn.execute(sql.format(where=where),
                            (query.user_id, *params, limit, offset)).fetchall()
    split = projection(query.group_fields, query.member_fields).split
    return total, [split(row) for row in rows]


def rows_of(page: Page) -> list[JoinedGroup]:
    """Fresh objects for a page's rows."""
    return [JoinedGroup(Group(*group), Membership(*member)) for group, member in page[1]]
