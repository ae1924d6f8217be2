"""The group message log: the SQL of appending, recalling, reading and evicting messages, as
plain functions over a sqlite3 connection inside a transaction the caller holds.

A message's ``seq`` is its group's ``next_msg_seq`` (at least 1), which then goes up by one, so
a group's seqs run from 1 (or from the fixture's ``nextMsgSeq``) with no gaps; the group's
``last_msg_time`` (seconds) follows the newest message. The log is bounded: at most
``per_group`` messages a group and ``total`` in all (0: no bound); an append past either
evicts the oldest messages first (the group's own oldest for the per-group cap, the store's
oldest for the total), so what remains of a group is always a run of consecutive seqs ending
at its newest. Eviction never lowers ``next_msg_seq``: a seq is never reused.

A message's ``kind`` is "message" (what a user or an app sent) or "system" (a notice the
server posted about a change, such as a member joining); a system notice takes a seq like any
message, and may be posted to a dismissed group (the notice of its dismissal). The history
reads (``history``, ``by_seq``, ``by_time``) leave system notices out unless asked
(``include_system``), so a vendor that posts none reads only messages (with the notices'
seqs as gaps); ``log`` shows everything.

Rows are kept in append order (``id``); each group's are indexed by seq and by time, and its
client ids (``client_id``, a vendor's message random or client message id) for dedup
lookups.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import orjson

from emulator.store import schema
from emulator.store.errors import MessageNotFound
from emulator.store.fixtures import body_text
from emulator.store.manage import group_of, live_group
from emulator.store.models import Message

_SELECT = ("SELECT group_id, seq, time_ms, sender, vendor, type, body, client_id, recalled, "
           "kind FROM messages")
KINDS: tuple[str, ...] = ("message", "system")
_INSERT = (f"INSERT INTO messages ({', '.join(schema.MESSAGE_COLUMNS)}, kind) "
           f"VALUES ({', '.join('?' for _ in schema.MESSAGE_COLUMNS)}, ?)")


def message_of(row: Sequence[Any]) -> Message:
    """A row of ``_SELECT`` as a Message (its body decoded)."""
    return Message(row[0], row[1], row[2], row[3], row[4], row[5], orjson.loads(row[6]),
                   row[7], bool(row[8]), row[9])


def _kinds(include_system: bool) -> str:
    """The clause that keeps system notices in or out."""
    return "" if include_system else " AND kind = 'message'"


def _loads(text: str) -> Any:
    return orjson.loads(text)


def append(conn: sqlite3.Connection, group_id: str, *, sender: str, vendor: str, type: str,
           body: Any, now_ms: int, client_id: str = "", dedup_ms: int = 0,
           per_group: int = 0, total: int = 0, count: int = 0,
           kind: str = "message") -> tuple[Message, bool, int]:
    """Append a message to a live group's log (GroupNotFound, GroupDismissed; a "system"
    notice may go to a dismissed group).

    With ``client_id`` and ``dedup_ms`` > 0, a message of the same group, sender and client id
    sent less than ``dedup_ms`` ago is the answer instead, and nothing is written. Returns the
    message, whether it is new, and the log's size after (``count`` is its size before)."""
    if kind not in KINDS:
        raise ValueError(f"a message's kind is message or system, not {kind!r}")
    group = group_of(conn, group_id) if kind == "system" else live_group(conn, group_id)
    if client_id and dedup_ms > 0:
        row = conn.execute(f"{_SELECT} WHERE group_id = ? AND client_id = ? AND sender = ? "
                           "AND time_ms > ? ORDER BY seq DESC LIMIT 1",
                           (group_id, client_id, sender, now_ms - dedup_ms)).fetchone()
        if row is not None:
            return message_of(row), False, count
    seq = max(group.next_msg_seq, 1)
    text = body_text(body)
    conn.execute(_INSERT, (group_id, seq, now_ms, sender, vendor, type, text, client_id, 0, kind))
    conn.execute("UPDATE groups SET next_msg_seq = ?, last_msg_time = MAX(last_msg_time, ?) "
                 "WHERE id = ?", (seq + 1, now_ms // 1000, group_id))
    count += 1
    if per_group and seq - per_group >= 1:
        count -= conn.execute("DELETE FROM messages WHERE group_id = ? AND seq <= ?",
                              (group_id, seq - per_group)).rowcount
    if total and count > total:
        count -= conn.execute("DELETE FROM messages WHERE id IN (SELECT id FROM messages "
                              "ORDER BY id LIMIT ?)", (count - total,)).rowcount
    return (Message(group_id, seq, now_ms, sender, vendor, type, _loads(text), client_id,
                    kind=kind), True, count)


def recall(conn: sqlite3.Connection, group_id: str, seq: int) -> Message:
    """Mark a message recalled (its body is kept); MessageNotFound."""
    live_group(conn, group_id)
    if conn.execute("UPDATE messages SET recalled = 1 WHERE group_id = ? AND seq = ?",
                    (group_id, seq)).rowcount == 0:
        raise MessageNotFound(group_id, seq)
    return message_of(conn.execute(f"{_SELECT} WHERE group_id = ? AND seq = ?",
                                   (group_id, seq)).fetchone())


def recall_by_sender(conn: sqlite3.Connection, group_id: str, sender: str, *,
                     within_last: int) -> list[int]:
    """Mark recalled a sender's messages among a live group's newest ``within_last`` entries
    of the log (system notices count as entries, and are never recalled); the seqs newly
    marked, oldest first. GroupNotFound, GroupDismissed."""
    live_group(conn, group_id)
    floor = conn.execute("SELECT MIN(seq) FROM (SELECT seq FROM messages WHERE group_id = ? "
                         "ORDER BY seq DESC LIMIT ?)", (group_id, max(within_last, 0))).fetchone()[0]
    if floor is None:
        return []
    seqs = [row[0] for row in conn.execute(
        "SELECT seq FROM messages WHERE group_id = ? AND sender = ? AND seq >= ? "
        "AND kind = 'message' AND recalled = 0 ORDER BY seq", (group_id, sender, floor))]
    conn.executemany("UPDATE messages SET recalled = 1 WHERE group_id = ? AND seq = ?",
                     [(group_id, seq) for seq in seqs])
    return seqs


def history(conn: sqlite3.Connection, group_id: str, *, before_seq: int | None = None,
            limit: int = 20, include_system: bool = False) -> list[Message]:
    """A group's messages newest first: those before ``before_seq`` (None: from the newest)."""
    bound = (1 << 62) if before_seq is None else before_seq
    return [message_of(row) for row in conn.execute(
        f"{_SELECT} WHERE group_id = ? AND seq < ?{_kinds(include_system)} "
        "ORDER BY seq DESC LIMIT ?",
        (group_id, bound, max(limit, 0)))]


def by_seq(conn: sqlite3.Connection, group_id: str, first: int, last: int, *,
           include_system: bool = False) -> list[Message]:
    """A group's messages with ``first`` <= seq <= ``last``, oldest first."""
    return [message_of(row) for row in conn.execute(
        f"{_SELECT} WHERE group_id = ? AND seq BETWEEN ? AND ?{_kinds(include_system)} "
        "ORDER BY seq",
        (group_id, first, last))]


def by_time(conn: sqlite3.Connection, group_id: str, start_ms: int, end_ms: int, *,
            limit: int | None = None, newest_first: bool = False,
            include_system: bool = False) -> list[Message]:
    """A group's messages with ``start_ms`` <= time <= ``end_ms``, oldest first (or newest
    first), by seq within a millisecond."""
    direction = "DESC" if newest_first else ""
    return [message_of(row) for row in conn.execute(
        f"{_SELECT} WHERE group_id = ? AND time_ms BETWEEN ? AND ?{_kinds(include_system)} "
        f"ORDER BY time_ms {direction}, seq {direction} LIMIT ?",
        (group_id, start_ms, end_ms, -1 if limit is None else max(limit, 0)))]


def log(conn: sqlite3.Connection, *, group: str | None = None, sender: str | None = None,
        vendor: str | None = None, since_seq: int | None = None) -> list[Message]:
    """The whole log, oldest appended first, under filters (each None: any): a group, a
    sender, a vendor, and only seqs greater than ``since_seq``."""
    clauses, params = ["1"], []
    for column, value in (("group_id", group), ("sender", sender), ("vendor", vendor)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if since_seq is not None:
        clauses.append("seq > ?")
        params.append(since_seq)
    return [message_of(row) for row in conn.execute(
        f"{_SELECT} WHERE {' AND '.join(clauses)} ORDER BY id", params)]
