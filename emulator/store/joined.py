"""The joined-groups read: the SQL that answers a JoinedQuery, and the rows built from its answer.

A page is two statements: the count of the user's groups under the query's filters, and the
slice. Both read the user index (``memberships_by_user``), which covers each membership's
group id, join time and copies of its group's status, type, activation, name and create time:
the count never leaves it, and the slice is sorted and cut off it (join order walks it in
order; name order sorts the user's entries by (copied name, create time, id)). Only the rows
of the slice then look up what the index does not hold: their membership row, for a role,
message flag or unread count, and their group row, for a group column that is not copied.

A query names the fields its caller reads (``JoinedQuery.group_fields``, ``member_fields``);
the statement selects every field of ``Membership`` and ``Group`` in order, with the dataclass
default as a literal in place of each field not named, so each answer row becomes its two
objects with one positional call each and no lookup is made that no named field needs.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from typing import Any

from emulator.store import schema
from emulator.store.models import Group, JoinedGroup, JoinedQuery, Membership

# A page as plain values: the total, and each row of the slice as the values of Membership
# then of Group, in field order. Pages are cached in this form; objects are built per call.
Page = tuple[int, list[tuple[Any, ...]]]

_MEMBER_WIDTH = len(schema.MEMBERSHIP_COLUMNS)
# The membership columns the user index holds, read for every row.
_INDEXED_MEMBER_COLUMNS = frozenset({"group_id", "user_id", "join_time_ms"})


def _literal(value: Any) -> str:
    """A dataclass default as an SQL literal (text, integer or flag)."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value))


def _default(cls: type[Any], name: str) -> str:
    found = next(f for f in dataclasses.fields(cls) if f.name == name)
    return _literal("" if found.default is dataclasses.MISSING else found.default)


def _checked(fields: frozenset[str] | None, every: tuple[str, ...], what: str) -> frozenset[str]:
    if fields is None:
        return frozenset(every)
    unknown = fields - set(every)
    if unknown:
        raise ValueError(f"not a {what} field: {', '.join(sorted(unknown))}")
    return fields


def _select(groups: frozenset[str], members: frozenset[str]) -> list[str]:
    """Every field of Membership then of Group, in order: a column of ``memberships m`` or
    ``groups g`` where the field is named (a copied group column read off ``m``, which the user
    index holds), the field's default where it is not."""
    select: list[str] = []
    for name in schema.MEMBERSHIP_COLUMNS:
        if name in _INDEXED_MEMBER_COLUMNS:
            select.append(f"m.{name}")
        elif name in members:
            select.append(f"m.{name}")
        else:
            select.append(_default(Membership, name))
    for name in schema.GROUP_COLUMNS:
        if name == "id":
            select.append("m.group_id")
        elif name in schema.GROUP_COPIED_COLUMNS and name in groups:
            select.append(f"m.g_{name}")
        elif name in groups:
            select.append(f"g.{name}")
        else:
            select.append(_default(Group, name))
    return select


@functools.lru_cache(maxsize=64)
def _page_sql(group_fields: frozenset[str] | None, member_fields: frozenset[str] | None,
              order: str) -> str:
    """The slice statement for a pair of field sets and an order, with ``{where}`` left to
    fill (ValueError names an unknown field)."""
    groups = _checked(group_fields, schema.GROUP_COLUMNS, "group")
    members = _checked(member_fields, schema.MEMBERSHIP_COLUMNS, "membership")
    reads_group = any(name not in schema.GROUP_COPIED_COLUMNS for name in groups - {"id"})
    select = ", ".join(_select(groups, members))
    source = "memberships m JOIN groups g ON g.id = m.group_id" if reads_group else "memberships m"
    if order == "join":
        # Walked off the user index in order: only the slice's rows are looked up.
        return (f"SELECT {select} FROM {source} WHERE {{where}} "
                "ORDER BY m.join_time_ms, m.group_id LIMIT ? OFFSET ?")
    # The slice's group ids are sorted and cut off the user index alone (``s``); only their
    # rows are then looked up, and sorted again (ten rows, not all the user's).
    return (f"SELECT {select} FROM {source} WHERE m.user_id = ? AND m.group_id IN ("
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
        return total, conn.execute(sql.format(where=where),
                                   (*params, limit, offset)).fetchall()
    where, params = _where(query, "s")
    return total, conn.execute(sql.format(where=where),
                               (query.user_id, *params, limit, offset)).fetchall()


def rows_of(page: Page) -> list[JoinedGroup]:
    """Fresh objects for a page's rows."""
    width = _MEMBER_WIDTH
    return [JoinedGroup(schema.group_from_row(row[width:]), Membership(*row[:width]))
            for row in page[1]]
