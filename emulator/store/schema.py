"""The SQLite schema of the group store, its row layouts and the statements that write rows.

Memberships are indexed by user, ordered by join time, so one user's page costs
O(log n + page) whatever the size of the store.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from emulator.store.models import Group, Membership, User

USER_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(User))
GROUP_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Group))
MEMBERSHIP_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Membership))

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    face_url TEXT NOT NULL,
    ex TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    owner TEXT NOT NULL,
    creator TEXT NOT NULL,
    introduction TEXT NOT NULL,
    notification TEXT NOT NULL,
    face_url TEXT NOT NULL,
    ex TEXT NOT NULL,
    status TEXT NOT NULL,
    activated INTEGER NOT NULL,
    need_verification INTEGER NOT NULL,
    look_member_info INTEGER NOT NULL,
    apply_member_friend INTEGER NOT NULL,
    apply_join_option TEXT NOT NULL,
    max_members INTEGER NOT NULL,
    mute_all INTEGER NOT NULL,
    create_time_ms INTEGER NOT NULL,
    last_info_time INTEGER NOT NULL,
    last_msg_time INTEGER NOT NULL,
    next_msg_seq INTEGER NOT NULL,
    notification_update_time INTEGER NOT NULL,
    notification_user_id TEXT NOT NULL,
    member_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memberships (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL,
    msg_flag TEXT NOT NULL,
    unread INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

INDEXES = """
CREATE INDEX IF NOT EXISTS memberships_by_user ON memberships (user_id, join_time_ms, group_id);
"""


def _insert(table: str, columns: tuple[str, ...], verb: str = "INSERT") -> str:
    marks = ", ".join("?" for _ in columns)
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({marks})"


INSERT_USER = _insert("users", USER_COLUMNS)
UPSERT_USER = _insert("users", USER_COLUMNS, "INSERT OR REPLACE")
INSERT_GROUP = _insert("groups", GROUP_COLUMNS)
UPSERT_GROUP = _insert("groups", GROUP_COLUMNS, "INSERT OR REPLACE")
INSERT_MEMBERSHIP = _insert("memberships", MEMBERSHIP_COLUMNS)
INSERT_MEMBERSHIP_IF_NEW = _insert("memberships", MEMBERSHIP_COLUMNS, "INSERT OR IGNORE")
RECOUNT_GROUP = ("UPDATE groups SET member_count = "
                 "(SELECT COUNT(*) FROM memberships WHERE group_id = groups.id) WHERE id = ?")
RECOUNT_ALL = ("UPDATE groups SET member_count = "
               "(SELECT COUNT(*) FROM memberships WHERE group_id = groups.id)")
MARK_SEEDED = "INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', '1')"
IS_SEEDED = "SELECT value FROM meta WHERE key = 'seeded'"

SELECT_GROUP_COLUMNS = ", ".join(f"g.{name}" for name in GROUP_COLUMNS)
SELECT_JOINED_COLUMNS = (f"{SELECT_GROUP_COLUMNS}, m.group_id, m.user_id, m.role, "
                         "m.join_time_ms, m.msg_flag, m.unread")


def user_row(user: User) -> tuple[Any, ...]:
    """A user as a row of the users table."""
    return (user.id, user.name, user.face_url, user.ex, user.created_at)


_GROUP_FIELDS = operator.attrgetter(*GROUP_COLUMNS)


def group_row(group: Group) -> tuple[Any, ...]:
    """A group as a row of the groups table."""
    row: tuple[Any, ...] = _GROUP_FIELDS(group)
    return row


_MEMBERSHIP_FIELDS = operator.attrgetter(*MEMBERSHIP_COLUMNS)


def membership_row(member: Membership) -> tuple[Any, ...]:
    """A membership as a row of the memberships table."""
    row: tuple[Any, ...] = _MEMBERSHIP_FIELDS(member)
    return row


_GROUP_WIDTH = len(GROUP_COLUMNS)
_BOOL_COLUMNS = tuple(i for i, name in enumerate(GROUP_COLUMNS)
                      if name in ("activated", "mute_all"))


def group_from_row(row: tuple[Any, ...]) -> Group:
    """A groups-table row (or the group part of a joined row) as a Group."""
    values = list(row[:_GROUP_WIDTH])
    for index in _BOOL_COLUMNS:
        values[index] = bool(values[index])
    return Group(*values)


def joined_arguments(row: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """A joined-groups row split into the Group and the Membership constructor arguments."""
    values = list(row[:_GROUP_WIDTH])
    for index in _BOOL_COLUMNS:
        values[index] = bool(values[index])
    return tuple(values), row[_GROUP_WIDTH:]


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables and indexes if they are missing."""
    conn.executescript(SCHEMA + INDEXES)


ROWS_PER_STATEMENT = 100


def insert_in_batches(conn: sqlite3.Connection, table: str, columns: tuple[str, ...],
                      rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows ``ROWS_PER_STATEMENT`` to a statement (a multi-row VALUES), which saves
    most of the per-statement cost of inserting a million rows one by one."""
    per = ROWS_PER_STATEMENT
    full = len(rows) - len(rows) % per
    if full:
        marks = "(" + ", ".join("?" for _ in columns) + ")"
        batch = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                 + ", ".join(marks for _ in range(per)))
        chain = itertools.chain.from_iterable
        conn.executemany(batch, (tuple(chain(rows[start:start + per]))
                                 for start in range(0, full, per)))
    if full < len(rows):
        conn.executemany(_insert(table, columns), rows[full:])


def write_rows(conn: sqlite3.Connection, users: Iterable[User], groups: Iterable[Group],
               membership_rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert rows into an empty database. Each group's ``member_count`` is taken as given
    (``parse_fixture`` sets it), which saves recounting a million memberships."""
    conn.executemany(INSERT_USER, map(user_row, users))
    insert_in_batches(conn, "groups", GROUP_COLUMNS, list(map(group_row, groups)))
    insert_in_batches(conn, "memberships", MEMBERSHIP_COLUMNS, membership_rows)
    conn.execute(MARK_SEEDED)
