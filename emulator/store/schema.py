"""The SQLite schema of the group store, its row layouts and the statements that write rows.

Memberships are kept in insertion order, unique per (group, user) through the
``memberships_pair`` index, and indexed by user, ordered by join time, so one user's page
costs O(log n + page) whatever the size of the store. Each membership also carries a copy of its
group's status, type, activation, name and create time (the ``g_*`` columns, internal to the
store, kept true by every write), and the user index covers them: counting a user's groups
under the joined-groups filters, and sorting them by name, read that index alone and never
look a group up.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from emulator.store.models import DEFAULT_MSG_FLAG, Group, Membership, User

USER_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(User))
GROUP_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Group))
MEMBERSHIP_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Membership))
# The group columns each membership carries a copy of, and the names of the copies.
GROUP_COPIED_COLUMNS: tuple[str, ...] = (
    "status", "type", "activated", "name", "create_time_ms")
MEMBERSHIP_COPY_COLUMNS: tuple[str, ...] = tuple(f"g_{name}" for name in GROUP_COPIED_COLUMNS)
MEMBERSHIP_ROW_COLUMNS: tuple[str, ...] = MEMBERSHIP_COLUMNS + MEMBERSHIP_COPY_COLUMNS

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
    creator TEXT NOT NULL DEFAULT '',
    introduction TEXT NOT NULL DEFAULT '',
    notification TEXT NOT NULL DEFAULT '',
    face_url TEXT NOT NULL DEFAULT '',
    ex TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    activated INTEGER NOT NULL,
    need_verification INTEGER NOT NULL DEFAULT 0,
    look_member_info INTEGER NOT NULL DEFAULT 0,
    apply_member_friend INTEGER NOT NULL DEFAULT 0,
    apply_join_option TEXT NOT NULL DEFAULT 'NeedPermission',
    max_members INTEGER NOT NULL DEFAULT 2000,
    mute_all INTEGER NOT NULL DEFAULT 0,
    create_time_ms INTEGER NOT NULL,
    last_info_time INTEGER NOT NULL,
    last_msg_time INTEGER NOT NULL DEFAULT 0,
    next_msg_seq INTEGER NOT NULL DEFAULT 1,
    notification_update_time INTEGER NOT NULL DEFAULT 0,
    notification_user_id TEXT NOT NULL DEFAULT '',
    member_count INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memberships (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL,
    msg_flag TEXT NOT NULL,
    unread INTEGER NOT NULL,
    g_status TEXT NOT NULL,
    g_type TEXT NOT NULL,
    g_activated INTEGER NOT NULL,
    g_name TEXT NOT NULL,
    g_create_time_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS memberships_pair ON memberships (group_id, user_id);
CREATE INDEX IF NOT EXISTS memberships_by_user
    ON memberships (user_id, join_time_ms, group_id, g_status, g_type, g_activated, g_name,
                    g_create_time_ms);
"""

DROP_MEMBERSHIPS = """
DROP INDEX IF EXISTS memberships_by_user;
DROP INDEX IF EXISTS memberships_pair;
DROP TABLE IF EXISTS memberships;
DROP INDEX IF EXISTS groups_sort_keys;
"""
STAGED_MEMBERSHIPS = "temp.fixture_memberships"
# Plain member rows are staged as these columns; the staging table supplies the others.
PLAIN_MEMBER_COLUMNS: tuple[str, ...] = ("group_id", "user_id", "join_time_ms")
CREATE_STAGED = (f"CREATE TABLE {STAGED_MEMBERSHIPS} (group_id, user_id, role DEFAULT 'member', "
                 f"join_time_ms, msg_flag DEFAULT '{DEFAULT_MSG_FLAG}', unread DEFAULT 0)")
FILL_FROM_STAGED = (f"INSERT INTO memberships ({', '.join(MEMBERSHIP_ROW_COLUMNS)}) "
                    f"SELECT s.*, {', '.join(f'g.{name}' for name in GROUP_COPIED_COLUMNS)} "
                    f"FROM {STAGED_MEMBERSHIPS} s "
                    "JOIN groups g ON g.id = s.group_id")

def _insert(table: str, columns: tuple[str, ...], verb: str = "INSERT") -> str:
    marks = ", ".join("?" for _ in columns)
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({marks})"


# The group columns a fixture rarely sets, with the defaults the groups table declares for them:
# a group whose values are all these is written without them (fewer values to bind).
GROUP_COLUMN_DEFAULTS: dict[str, Any] = {
    "creator": "", "introduction": "", "notification": "", "face_url": "", "ex": "",
    "need_verification": 0, "look_member_info": 0, "apply_member_friend": 0,
    "apply_join_option": "NeedPermission", "max_members": 2000, "mute_all": 0,
    "last_msg_time": 0, "next_msg_seq": 1, "notification_update_time": 0,
    "notification_user_id": "",
}
NARROW_GROUP_COLUMNS: tuple[str, ...] = tuple(
    name for name in GROUP_COLUMNS if name not in GROUP_COLUMN_DEFAULTS)

INSERT_USER = _insert("users", USER_COLUMNS)
UPSERT_USER = _insert("users", USER_COLUMNS, "INSERT OR REPLACE")
INSERT_GROUP = _insert("groups", GROUP_COLUMNS)
UPSERT_GROUP = _insert("groups", GROUP_COLUMNS, "INSERT OR REPLACE")
INSERT_MEMBERSHIP = _insert("memberships", MEMBERSHIP_ROW_COLUMNS)
INSERT_MEMBERSHIP_IF_NEW = _insert("memberships", MEMBERSHIP_ROW_COLUMNS, "INSERT OR IGNORE")
SELECT_GROUP_COPIED = f"SELECT {', '.join(GROUP_COPIED_COLUMNS)} FROM groups WHERE id = ?"
COPY_GROUP_COLUMNS = ("UPDATE memberships SET "
                      + ", ".join(f"g_{name} = g.{name}" for name in GROUP_COPIED_COLUMNS)
                      + " FROM groups g WHERE g.id = ? AND memberships.group_id = g.id")
RECOUNT_GROUP = ("UPDATE groups SET member_count = "
                 "(SELECT COUNT(*) FROM memberships WHERE group_id = groups.id) WHERE id = ?")
RECOUNT_ALL = ("UPDATE groups SET member_count = "
               "(SELECT COUNT(*) FROM memberships WHERE group_id = groups.id)")
MARK_SEEDED = "INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', '1')"
IS_SEEDED = "SELECT value FROM meta WHERE key = 'seeded'"



def user_row(user: User) -> tuple[Any, ...]:
    """A user as a row of the users table."""
    return (user.id, user.name, user.face_url, user.ex, user.created_at)


_GROUP_FIELDS = operator.attrgetter(*GROUP_COLUMNS)


def group_row(group: Group) -> tuple[Any, ...]:
    """A group as a row of the groups table."""
    row: tuple[Any, ...] = _GROUP_FIELDS(group)
    return row


_MEMBERSHIP_FIELDS = operator.attrgetter(*MEMBERSHIP_COLUMNS)
_DEFAULTED_FIELDS = operator.attrgetter(*GROUP_COLUMN_DEFAULTS)
_NARROW_FIELDS = operator.attrgetter(*NARROW_GROUP_COLUMNS)


_GROUP_COPIED = operator.attrgetter(*GROUP_COPIED_COLUMNS)


def group_copies(group: Group) -> tuple[Any, ...]:
    """The group columns each of its memberships carries a copy of (``g_*``)."""
    copies: tuple[Any, ...] = _GROUP_COPIED(group)
    return copies


def membership_row(member: Membership, copies: tuple[Any, ...]) -> tuple[Any, ...]:
    """A membership as a row of the memberships table, with its group's ``copies``."""
    row: tuple[Any, ...] = _MEMBERSHIP_FIELDS(member)
    return row + copies


def membership_rows_of(rows: Iterable[tuple[Any, ...]],
                    groups: Iterable[Group]) -> Iterator[tuple[Any, ...]]:
    """Membership tuples (the fields of Membership) as rows of the memberships table, each
    with the copies of its group's columns, which must be among ``groups``."""
    copies = {group.id: group_copies(group) for group in groups}
    return (row + copies[row[0]] for row in rows)


_GROUP_WIDTH = len(GROUP_COLUMNS)
_BOOL_COLUMNS = tuple(i for i, name in enumerate(GROUP_COLUMNS)
                      if name in ("activated", "mute_all"))


def group_from_row(row: tuple[Any, ...]) -> Group:
    """A groups-table row (or the group part of a joined row) as a Group."""
    values = list(row[:_GROUP_WIDTH])
    for index in _BOOL_COLUMNS:
        values[index] = bool(values[index])
    return Group(*values)


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the tables and indexes if they are missing."""
    conn.executescript(SCHEMA + INDEXES)


ROWS_PER_STATEMENT = 100


def insert_in_batches(conn: sqlite3.Connection, table: str, columns: tuple[str, ...],
                      rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert rows ``ROWS_PER_STATEMENT`` to a statement (a multi-row VALUES), which saves
    most of the per-statement cost of inserting a million rows one by one. ``rows`` is read
    once, lazily; each must hold one value per column."""
    width = len(columns)
    size = ROWS_PER_STATEMENT * width
    values = itertools.chain.from_iterable(rows)
    tail: tuple[Any, ...] = ()

    def batches() -> Iterator[tuple[Any, ...]]:
        nonlocal tail
        while len(chunk := tuple(itertools.islice(values, size))) == size:
            yield chunk
        tail = chunk

    marks = "(" + ", ".join("?" for _ in columns) + ")"
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                     + ", ".join(marks for _ in range(ROWS_PER_STATEMENT)), batches())
    if tail:
        conn.executemany(_insert(table, columns),
                         [tail[start:start + width] for start in range(0, len(tail), width)])


def write_rows(conn: sqlite3.Connection, users: Iterable[User], groups: Iterable[Group],
               member_rows: Iterable[tuple[Any, ...]],
               plain_rows: Iterable[tuple[str, str, int]]) -> None:
    """Insert rows into an empty database, before its indexes exist. Each group's
    ``member_count`` is taken as given (``parse_fixture`` sets it), which saves recounting a
    million memberships. Groups whose rarely-set columns all hold the table's defaults are
    written without those columns. The memberships (``member_rows`` as MembershipRows,
    ``plain_rows`` as (group, user, join time) of plain members, which the staging table
    completes) go to a staging table as parsed, then into ``memberships`` with their group's
    columns copied by SQLite in one statement: binding the copies from Python cost more than
    the join."""
    groups = list(groups)
    conn.executemany(INSERT_USER, map(user_row, users))
    defaults = tuple(GROUP_COLUMN_DEFAULTS.values())
    plain = [group for group in groups if _DEFAULTED_FIELDS(group) == defaults]
    if len(plain) < len(groups):
        insert_in_batches(conn, "groups", GROUP_COLUMNS, map(group_row, (
            group for group in groups if _DEFAULTED_FIELDS(group) != defaults)))
    insert_in_batches(conn, "groups", NARROW_GROUP_COLUMNS, map(_NARROW_FIELDS, plain))
    conn.execute(CREATE_STAGED)
    insert_in_batches(conn, STAGED_MEMBERSHIPS, MEMBERSHIP_COLUMNS, member_rows)
    insert_in_batches(conn, STAGED_MEMBERSHIPS, PLAIN_MEMBER_COLUMNS, plain_rows)
    conn.execute(FILL_FROM_STAGED)
    conn.execute(f"DROP TABLE {STAGED_MEMBERSHIPS}")
    conn.execute(MARK_SEEDED)


def outdated(conn: sqlite3.Connection) -> bool:
    """True if the database holds a memberships table of an older layout: without some of
    the ``g_*`` columns (the name and create time copies came last), or clustered by (group,
    user) instead of kept in insertion order with the ``memberships_pair`` unique index."""
    found = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' "
                         "AND name = 'memberships'").fetchone()
    if found is None:
        return False
    columns = {row[1] for row in conn.execute("PRAGMA table_info(memberships)")}
    return not columns >= set(MEMBERSHIP_COPY_COLUMNS) or "WITHOUT ROWID" in found[0].upper()
