"""Follows and remark names: the SQL of a member's followed members in a group and of a
member's names for a group, as plain functions over a sqlite3 connection inside a transaction
the caller holds (``GroupStore`` opens it and commits, or rolls back).

A follow is (group, follower, followed user, time): the follower is a member of the group, and
so is the followed user when the follow is made. A remark name is (group, user, kind, name,
time), the user a member, of one of two kinds (``KINDS``): ``remark``, the user's own name for
the group, and ``push``, the name the group's pushes show for the user. Both follow membership:

- a member who leaves (``forget_members``) takes their follows and their names with them;
  the follows of them by others go too, unless the caller keeps them (``keep_followed``: they
  then read again if the user comes back, and list meanwhile);
- a group that is dismissed or deleted (``forget_group``) keeps none.

Every write refuses an unknown group (GroupNotFound), a dismissed one (GroupDismissed) and a
follower or remark holder who is not a member (NotMember).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from emulator.store.errors import NotMember
from emulator.store.manage import live_group, member_of

# The tables (each keyed by group first), and the kinds of remark names.
TABLES = ("member_follows", "remark_names")
KINDS = ("remark", "push")
# What a member's leaving deletes (parameters: group id, user id): their own follows and
# remark name, and (``FORGET_FOLLOWED``) the follows of them.
FORGET_OWN = ("DELETE FROM member_follows WHERE group_id = ? AND user_id = ?",
              "DELETE FROM remark_names WHERE group_id = ? AND user_id = ?")
FORGET_FOLLOWED = "DELETE FROM member_follows WHERE group_id = ? AND followed_id = ?"
FORGET_MEMBER = (*FORGET_OWN, FORGET_FOLLOWED)

def _member(conn: sqlite3.Connection, group_id: str, user_id: str) -> None:
    if member_of(conn, group_id, user_id) is None:
        raise NotMember(group_id, user_id)


def follow(conn: sqlite3.Connection, group_id: str, user_id: str,
           followed: Sequence[str], *, now_ms: int) -> list[str]:
    """``user_id`` follows each of ``followed`` (members; one already followed keeps its
    time); the ids newly followed. NotMember names the first non-member, and nothing changes."""
    live_group(conn, group_id)
    targets = list(dict.fromkeys(followed))
    for member in (user_id, *targets):
        _member(conn, group_id, member)
    added = []
    for target in targets:
        cursor = conn.execute("INSERT OR IGNORE INTO member_follows (group_id, user_id, "
                              "followed_id, time_ms) VALUES (?, ?, ?, ?)",
                              (group_id, user_id, target, now_ms))
        if cursor.rowcount:
            added.append(target)
    return added


def unfollow(conn: sqlite3.Connection, group_id: str, user_id: str,
             followed: Sequence[str]) -> list[str]:
    """``user_id`` stops following each of ``followed``; the ids that were followed."""
    live_group(conn, group_id)
    _member(conn, group_id, user_id)
    gone = []
    for target in dict.fromkeys(followed):
        cursor = conn.execute("DELETE FROM member_follows WHERE group_id = ? AND user_id = ? "
                              "AND followed_id = ?", (group_id, user_id, target))
        if cursor.rowcount:
            gone.append(target)
    return gone


def followed_by(conn: sqlite3.Connection, group_id: str,
                user_id: str) -> list[tuple[str, int]]:
    """The users ``user_id`` follows in a group, with the time of each follow, oldest first
    (then by id)."""
    return [(row[0], row[1]) for row in conn.execute(
        "SELECT followed_id, time_ms FROM member_follows WHERE group_id = ? AND user_id = ? "
        "ORDER BY time_ms, followed_id", (group_id, user_id))]


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"a remark name is of kind {' or '.join(KINDS)}, not {kind!r}")
    return kind


def set_remark(conn: sqlite3.Connection, group_id: str, user_id: str, name: str, *,
               now_ms: int, kind: str = "remark") -> None:
    """Set (or replace) a member's remark name of a kind for a group."""
    _kind(kind)
    live_group(conn, group_id)
    _member(conn, group_id, user_id)
    conn.execute("INSERT OR REPLACE INTO remark_names (group_id, user_id, kind, name, time_ms) "
                 "VALUES (?, ?, ?, ?, ?)", (group_id, user_id, kind, name, now_ms))


def delete_remark(conn: sqlite3.Connection, group_id: str, user_id: str, *,
                  kind: str = "remark") -> bool:
    """Delete a member's remark name of a kind for a group; whether there was one."""
    _kind(kind)
    live_group(conn, group_id)
    _member(conn, group_id, user_id)
    return conn.execute("DELETE FROM remark_names WHERE group_id = ? AND user_id = ? "
                        "AND kind = ?", (group_id, user_id, kind)).rowcount > 0


def remarks_of(conn: sqlite3.Connection, user_id: str, group_ids: Sequence[str], *,
               kind: str = "remark") -> dict[str, str]:
    """A user's remark names of a kind for some groups, by group id (groups without one are
    absent)."""
    _kind(kind)
    names: dict[str, str] = {}
    for start in range(0, len(group_ids), 500):
        chunk = list(group_ids[start:start + 500])
        marks = ", ".join("?" for _ in chunk)
        for group_id, name in conn.execute(
                f"SELECT group_id, name FROM remark_names WHERE user_id = ? AND kind = ? "
                f"AND group_id IN ({marks})", (user_id, kind, *chunk)):
            names[group_id] = name
    return names


def forget_members(conn: sqlite3.Connection, group_id: str, user_ids: Sequence[str], *,
                   keep_followed: bool = False) -> None:
    """Members who left: their follows and remark names go, and the follows of them too unless
    ``keep_followed``."""
    rows = [(group_id, user_id) for user_id in dict.fromkeys(user_ids)]
    for sql in FORGET_OWN if keep_followed else FORGET_MEMBER:
        conn.executemany(sql, rows)


def forget_group(conn: sqlite3.Connection, group_id: str) -> None:
    """A group dismissed or deleted: none of its follows or remark names remain."""
    for table in TABLES:
        conn.execute(f"DELETE FROM {table} WHERE group_id = ?", (group_id,))
