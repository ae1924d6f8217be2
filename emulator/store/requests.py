"""Join requests: the SQL of recording, handling and reading them, as plain functions over a
sqlite3 connection inside a transaction the caller holds (``GroupStore`` opens it).

A request is one row per (group, user) of ``join_requests``: recording a request for a pair
that has one replaces it (the new one is pending again). Handling one sets its result, its
handler, message and time and, for an accepted request with a membership to add, adds the
member in the same transaction. A group's requests go when the group is deleted (or replaced
by a fixture); a dismissal keeps them, as it keeps the group. Pages are newest first (request
time, then group id and user id).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from emulator.store import manage, schema
from emulator.store.errors import JoinRequestNotFound
from emulator.store.models import JoinRequest, JoinRequestPage, Membership

COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(JoinRequest))
RESULTS: tuple[str, ...] = ("pending", "accepted", "refused")
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM join_requests"
_REPLACE = (f"INSERT OR REPLACE INTO join_requests ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in COLUMNS)})")
_NEWEST_FIRST = "ORDER BY requested_at_ms DESC, group_id, user_id"


def _row(request: JoinRequest) -> tuple[Any, ...]:
    return tuple(getattr(request, name) for name in COLUMNS)


def record(conn: sqlite3.Connection, requests: Sequence[JoinRequest]) -> None:
    """Record requests (pending), each replacing the pair's earlier one. GroupNotFound;
    ValueError for a result that is not pending."""
    for group_id in dict.fromkeys(request.group_id for request in requests):
        manage.group_of(conn, group_id)
    for request in requests:
        if request.result != "pending":
            raise ValueError(f"a new request is pending, not {request.result!r}")
    conn.executemany(_REPLACE, map(_row, requests))


def take(conn: sqlite3.Connection, group_id: str, user_id: str) -> JoinRequest | None:
    """The pair's request, or None."""
    row = conn.execute(f"{_SELECT} WHERE group_id = ? AND user_id = ?",
                       (group_id, user_id)).fetchone()
    return JoinRequest(*row) if row else None


def handle(conn: sqlite3.Connection, group_id: str, user_id: str, *, result: str,
           handler: str, message: str, now_ms: int,
           member: Membership | None = None) -> JoinRequest:
    """Accept or refuse the pair's request (JoinRequestNotFound); with ``member``, add that
    membership too (``manage.add_members``: GroupDismissed, GroupFull...). The request after."""
    if result not in ("accepted", "refused"):
        raise ValueError(f"a request is accepted or refused, not {result!r}")
    if take(conn, group_id, user_id) is None:
        raise JoinRequestNotFound(group_id, user_id)
    conn.execute("UPDATE join_requests SET result = ?, handler = ?, handle_message = ?, "
                 "handled_at_ms = ? WHERE group_id = ? AND user_id = ?",
                 (result, handler, message, now_ms, group_id, user_id))
    if member is not None:
        manage.add_members(conn, group_id, [member])
    found = take(conn, group_id, user_id)
    assert found is not None
    return found


def page(conn: sqlite3.Connection, *, group_ids: Sequence[str] | None = None,
         user_id: str | None = None, results: Iterable[str] | None = None, offset: int = 0,
         limit: int | None = None, after_ms: int | None = None) -> JoinRequestPage:
    """Requests newest first, of some groups (None: any), of a user (None: any), with some
    results (None: any), made after a time (ms, None: any); ``total`` counts them all, the
    rows are the slice."""
    clauses: list[str] = ["1"]
    params: list[Any] = []
    if group_ids is not None:
        ids = list(dict.fromkeys(group_ids))
        clauses.append(f"group_id IN ({', '.join('?' for _ in ids)})" if ids else "0")
        params += ids
    if user_id is not None:
        clauses.append("user_id = ?")
        params.append(user_id)
    if results is not None:
        wanted = sorted(set(results))
        clauses.append(f"result IN ({', '.join('?' for _ in wanted)})" if wanted else "0")
        params += wanted
    if after_ms is not None:
        clauses.append("requested_at_ms > ?")
        params.append(after_ms)
    where = " AND ".join(clauses)
    total = conn.execute(f"SELECT COUNT(*) FROM join_requests WHERE {where}",
                         params).fetchone()[0]
    rows = conn.execute(f"{_SELECT} WHERE {where} {_NEWEST_FIRST} LIMIT ? OFFSET ?",
                        (*params, -1 if limit is None else max(limit, 0),
                         max(offset, 0))).fetchall()
    return JoinRequestPage(total, [JoinRequest(*row) for row in rows])


def of_users(conn: sqlite3.Connection, group_id: str,
             user_ids: Sequence[str]) -> list[JoinRequest]:
    """A group's requests from these users, oldest first."""
    found: list[JoinRequest] = []
    for marks, chunk in schema.chunked(list(dict.fromkeys(user_ids))):
        found += [JoinRequest(*row) for row in conn.execute(
            f"{_SELECT} WHERE group_id = ? AND user_id IN ({marks})", (group_id, *chunk))]
    found.sort(key=lambda request: (request.requested_at_ms, request.user_id))
    return found


def every(conn: sqlite3.Connection) -> list[JoinRequest]:
    """Every request, by group then user."""
    return [JoinRequest(*row) for row in conn.execute(f"{_SELECT} ORDER BY group_id, user_id")]
