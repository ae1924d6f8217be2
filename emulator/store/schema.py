"""The SQLite schema of the group store, its row layouts and the statements that write rows.

Memberships are kept in insertion order, unique per (group, user) through the
``memberships_pair`` index, and indexed by user, ordered by join time, so one user's page
costs O(log n + page) whatever the size of the store.

Each membership also carries a copy of its group's status, type, activation, name and create
time (the ``g_*`` columns, internal to the store), and the user index covers them: counting a
user's groups under the joined-groups filters, and sorting them by name, read that index alone
and never look a group up. One place keeps the copies true: two triggers (``TRIGGERS``), one
filling a new membership's copies from its group, one copying a group's changed columns to its
memberships. A fixture's bulk load (``write_fixture``) runs before the triggers and indexes
exist and fills the copies with one INSERT ... SELECT join.

Change counters (``VERSION_TRIGGERS``): each group's ``member_version`` and each user's row
of ``join_versions`` go up in the transaction of every change they cover, so a client that
syncs incrementally can tell whether anything changed since it last looked. The same triggers
write the change log (``change_log``, read by ``emulator.store.changes``): which element each
change touched, at the counter's new value, so such a client can also be told what changed.
Join requests
(``join_requests``, one per group and user) are written by ``emulator.store.requests``;
members' follows and remark names (``member_follows``, ``remark_names``) by
``emulator.store.follows``.

``LAYOUT`` is written to ``PRAGMA user_version``; a file holding a memberships table under
another number is of an older layout (``outdated``).
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from emulator.store.models import Group, Membership, User

# The layout of the tables below; raise it whenever a change makes older files unreadable.
LAYOUT = 6

USER_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(User))
GROUP_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Group))
MEMBERSHIP_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Membership))
# The membership columns a fixture's rows hold (``fixtures.MembershipRow``); the member
# details (nickname, face, ex, mute) of the few members that have some are set afterwards
# (``MEMBER_DETAIL_COLUMNS``, ``SET_MEMBER_DETAILS``).
MEMBERSHIP_BASE_COLUMNS: tuple[str, ...] = MEMBERSHIP_COLUMNS[:6]
MEMBER_DETAIL_COLUMNS: tuple[str, ...] = MEMBERSHIP_COLUMNS[6:11]
MESSAGE_COLUMNS: tuple[str, ...] = (
    "group_id", "seq", "time_ms", "sender", "vendor", "type", "body", "client_id", "recalled")
# The group columns each membership carries a copy of (as ``g_<name>``).
GROUP_COPIED_COLUMNS: tuple[str, ...] = (
    "status", "type", "activated", "name", "create_time_ms")

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
    member_count INTEGER NOT NULL,
    info_seq INTEGER NOT NULL DEFAULT 0,
    mute_all_until_ms INTEGER NOT NULL DEFAULT 0,
    mute_all_roles TEXT NOT NULL DEFAULT 'member',
    inviter_role TEXT NOT NULL DEFAULT 'member',
    invite_join_option TEXT NOT NULL DEFAULT 'FreeAccess',
    invitee_must_accept INTEGER NOT NULL DEFAULT 0,
    dismissed_at_ms INTEGER NOT NULL DEFAULT 0,
    status_label TEXT NOT NULL DEFAULT '',
    member_version INTEGER NOT NULL DEFAULT 0,
    serial INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memberships (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL,
    msg_flag TEXT NOT NULL,
    unread INTEGER NOT NULL,
    nickname TEXT NOT NULL DEFAULT '',
    face_url TEXT NOT NULL DEFAULT '',
    ex TEXT NOT NULL DEFAULT '',
    mute_until_ms INTEGER NOT NULL DEFAULT 0,
    muted_at_ms INTEGER NOT NULL DEFAULT 0,
    inviter TEXT NOT NULL DEFAULT '',
    operator TEXT NOT NULL DEFAULT '',
    join_source TEXT NOT NULL DEFAULT '',
    g_status TEXT NOT NULL DEFAULT '',
    g_type TEXT NOT NULL DEFAULT '',
    g_activated INTEGER NOT NULL DEFAULT 0,
    g_name TEXT NOT NULL DEFAULT '',
    g_create_time_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS group_attributes (
    group_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (group_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mute_whitelist (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    group_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    sender TEXT NOT NULL,
    vendor TEXT NOT NULL,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    client_id TEXT NOT NULL,
    recalled INTEGER NOT NULL,
    kind TEXT NOT NULL DEFAULT 'message'
);
CREATE TABLE IF NOT EXISTS join_versions (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS change_log (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    element TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (scope, key, element)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS join_requests (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    inviter TEXT NOT NULL,
    message TEXT NOT NULL,
    source TEXT NOT NULL,
    ex TEXT NOT NULL,
    requested_at_ms INTEGER NOT NULL,
    result TEXT NOT NULL,
    handler TEXT NOT NULL,
    handle_message TEXT NOT NULL,
    handled_at_ms INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS member_follows (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    followed_id TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id, followed_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS member_follows_by_followed ON member_follows (group_id, followed_id);
CREATE TABLE IF NOT EXISTS remark_names (
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id, kind)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS memberships_pair ON memberships (group_id, user_id);
CREATE INDEX IF NOT EXISTS memberships_by_group_role
    ON memberships (group_id, role, join_time_ms, user_id);
CREATE INDEX IF NOT EXISTS groups_by_serial ON groups (serial);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_group ON messages (group_id, seq);
CREATE INDEX IF NOT EXISTS messages_by_time ON messages (group_id, time_ms);
CREATE INDEX IF NOT EXISTS messages_by_client ON messages (group_id, client_id)
    WHERE client_id != '';
CREATE INDEX IF NOT EXISTS change_log_by_version ON change_log (scope, key, version);
CREATE INDEX IF NOT EXISTS join_requests_by_user ON join_requests (user_id, requested_at_ms);
CREATE INDEX IF NOT EXISTS memberships_by_user
    ON memberships (user_id, join_time_ms, group_id, g_status, g_type, g_activated, g_name,
                    g_create_time_ms);
"""

# The change counters (``Group.member_version``, ``join_versions``), moved in the transaction
# of each change: a membership added or removed counts for its group and its user; a change
# of a member's role or details, or of the group's info or status, for the group.
_BUMP_GROUP = "UPDATE groups SET member_version = member_version + 1 WHERE id = {row}.group_id;"
_BUMP_USER = ("INSERT INTO join_versions (user_id, version) VALUES ({row}.user_id, 1) "
              "ON CONFLICT (user_id) DO UPDATE SET version = version + 1;")
MEMBER_CHANGES: tuple[str, ...] = ("role", "nickname", "face_url", "ex", "mute_until_ms",
                                   "inviter", "operator", "join_source")

# The change log: one row per (scope, key, element), the element's latest change (``insert``,
# ``delete`` or ``update``) at the counter's value after it. Scopes: ``group_members`` (key a
# group id; the element a member's user id, or "" for the group's own info or status),
# ``member_order`` (key a group id, element "": a change of a member's role, which reorders
# the members) and ``user_groups`` (key a user id, the element a group id). Rows more than
# ``CHANGE_LOG_SPAN`` versions behind the key's newest change are dropped, which bounds the
# log per key; a group's rows go with the group.
CHANGE_LOG_SPAN = 1000
# Where each scope's counter is kept: its table, its column and the column of the key.
_GROUP_COUNTER = ("groups", "member_version", "id")
_USER_COUNTER = ("join_versions", "version", "user_id")


def _log(scope: str, key: str, element: str, state: str, counter: tuple[str, str, str],
         when: str = "true") -> str:
    """The statements that log one change (if ``when`` holds) under the counter's current
    value, then drop that key's rows more than ``CHANGE_LOG_SPAN`` versions behind."""
    table, column, key_column = counter
    return f"""
    INSERT INTO change_log (scope, key, element, version, state)
        SELECT '{scope}', {key}, {element}, {column}, '{state}' FROM {table}
        WHERE {key_column} = {key} AND {when}
        ON CONFLICT (scope, key, element)
        DO UPDATE SET version = excluded.version, state = excluded.state;
    DELETE FROM change_log WHERE scope = '{scope}' AND key = {key} AND version <= (
        SELECT {column} FROM {table} WHERE {key_column} = {key}) - {CHANGE_LOG_SPAN};"""


VERSION_TRIGGERS = f"""
CREATE TRIGGER IF NOT EXISTS memberships_added AFTER INSERT ON memberships
BEGIN
    {_BUMP_GROUP.format(row="NEW")}
    {_BUMP_USER.format(row="NEW")}
    {_log("group_members", "NEW.group_id", "NEW.user_id", "insert", _GROUP_COUNTER)}
    {_log("user_groups", "NEW.user_id", "NEW.group_id", "insert", _USER_COUNTER)}
END;
CREATE TRIGGER IF NOT EXISTS memberships_removed AFTER DELETE ON memberships
BEGIN
    {_BUMP_GROUP.format(row="OLD")}
    {_BUMP_USER.format(row="OLD")}
    {_log("group_members", "OLD.group_id", "OLD.user_id", "delete", _GROUP_COUNTER)}
    {_log("user_groups", "OLD.user_id", "OLD.group_id", "delete", _USER_COUNTER)}
END;
CREATE TRIGGER IF NOT EXISTS memberships_changed AFTER UPDATE OF {', '.join(MEMBER_CHANGES)}
ON memberships
WHEN {' OR '.join(f'OLD.{name} IS NOT NEW.{name}' for name in MEMBER_CHANGES)}
BEGIN
    {_BUMP_GROUP.format(row="NEW")}
    {_log("group_members", "NEW.group_id", "NEW.user_id", "update", _GROUP_COUNTER)}
    {_log("member_order", "NEW.group_id", "''", "update", _GROUP_COUNTER,
          "OLD.role IS NOT NEW.role")}
END;
CREATE TRIGGER IF NOT EXISTS groups_info_changed AFTER UPDATE OF info_seq, status, status_label
ON groups
WHEN OLD.info_seq IS NOT NEW.info_seq OR OLD.status IS NOT NEW.status
    OR OLD.status_label IS NOT NEW.status_label
BEGIN
    UPDATE groups SET member_version = member_version + 1 WHERE id = NEW.id;
    {_log("group_members", "NEW.id", "''", "update", _GROUP_COUNTER)}
END;
CREATE TRIGGER IF NOT EXISTS groups_removed_from_log AFTER DELETE ON groups
BEGIN
    DELETE FROM change_log WHERE scope IN ('group_members', 'member_order') AND key = OLD.id;
END;
"""

_COPIES = ", ".join(f"g_{name}" for name in GROUP_COPIED_COLUMNS)
TRIGGERS = f"""
CREATE TRIGGER IF NOT EXISTS memberships_copy_group AFTER INSERT ON memberships
BEGIN
    UPDATE memberships SET ({_COPIES}) = (
        SELECT {', '.join(GROUP_COPIED_COLUMNS)} FROM groups WHERE id = NEW.group_id)
    WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER IF NOT EXISTS groups_copy_to_memberships
AFTER UPDATE OF {', '.join(GROUP_COPIED_COLUMNS)} ON groups
WHEN {' OR '.join(f'OLD.{name} IS NOT NEW.{name}' for name in GROUP_COPIED_COLUMNS)}
BEGIN
    UPDATE memberships SET {', '.join(f'g_{name} = NEW.{name}' for name in GROUP_COPIED_COLUMNS)}
    WHERE group_id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS groups_serial AFTER INSERT ON groups WHEN NEW.serial = 0
BEGIN
    UPDATE groups SET serial = (SELECT COALESCE(MAX(serial), 0) + 1 FROM groups)
    WHERE id = NEW.id;
END;
{VERSION_TRIGGERS}"""

DROP_ALL = """
DROP TABLE IF EXISTS remark_names;
DROP TABLE IF EXISTS member_follows;
DROP TABLE IF EXISTS join_requests;
DROP TABLE IF EXISTS join_versions;
DROP TABLE IF EXISTS change_log;
DROP TABLE IF EXISTS messages;
DROP TABLE IF EXISTS mute_whitelist;
DROP TABLE IF EXISTS group_attributes;
DROP TABLE IF EXISTS memberships;
DROP TABLE IF EXISTS groups;
DROP TABLE IF EXISTS users;
DROP TABLE IF EXISTS meta;
"""


def _insert(table: str, columns: Sequence[str], verb: str = "INSERT") -> str:
    marks = ", ".join("?" for _ in columns)
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({marks})"


INSERT_USER = _insert("users", USER_COLUMNS)
UPSERT_USER = _insert("users", USER_COLUMNS, "INSERT OR REPLACE")
INSERT_GROUP = _insert("groups", GROUP_COLUMNS)
# An upsert that updates the row in place, so the copy trigger sees the changed columns.
# Its change counter goes on counting (the triggers move it), so a replaced group's never
# goes back to a value a client has already seen.
UPSERT_GROUP = (INSERT_GROUP + " ON CONFLICT (id) DO UPDATE SET "
                + ", ".join(f"{name} = excluded.{name}" for name in GROUP_COLUMNS[1:]
                            if name != "member_version"))
INSERT_MEMBERSHIP = _insert("memberships", MEMBERSHIP_COLUMNS)
INSERT_MEMBERSHIP_IF_NEW = _insert("memberships", MEMBERSHIP_COLUMNS, "INSERT OR IGNORE")
INSERT_MEMBERSHIP_BASE = _insert("memberships", MEMBERSHIP_BASE_COLUMNS)
# Parameters: the MEMBER_DETAIL_COLUMNS values, then the group id and the user id.
SET_MEMBER_DETAILS = (f"UPDATE memberships SET "
                      + ", ".join(f"{name} = ?" for name in MEMBER_DETAIL_COLUMNS)
                      + " WHERE group_id = ? AND user_id = ?")
INSERT_ATTRIBUTE = "INSERT OR REPLACE INTO group_attributes (group_id, key, value) VALUES (?, ?, ?)"
INSERT_WHITELISTED = "INSERT OR IGNORE INTO mute_whitelist (group_id, user_id) VALUES (?, ?)"
INSERT_MESSAGE = _insert("messages", MESSAGE_COLUMNS)
RECOUNT_GROUP = ("UPDATE groups SET member_count = "
                 "(SELECT COUNT(*) FROM memberships WHERE group_id = groups.id) WHERE id = ?")
MARK_SEEDED = "INSERT OR REPLACE INTO meta (key, value) VALUES ('seeded', '1')"
# The store's generation: a random token written whenever the whole content is replaced
# (``GroupStore.restore``) or first created, so change counters that restart with the content
# can be told apart from the ones before.
SET_GENERATION = "INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)"
GET_GENERATION = "SELECT value FROM meta WHERE key = 'generation'"
IS_SEEDED = "SELECT value FROM meta WHERE key = 'seeded'"

CHUNK = 500
T = TypeVar("T")


def chunked(values: Sequence[T], size: int = CHUNK) -> Iterator[tuple[str, Sequence[T]]]:
    """``values`` in slices of at most ``size``, each with its ``?, ?, ...`` placeholders,
    for ``IN (...)`` reads that stay under SQLite's limit on bound parameters."""
    for start in range(0, len(values), size):
        chunk = values[start:start + size]
        yield ", ".join("?" * len(chunk)), chunk


_USER_FIELDS = operator.attrgetter(*USER_COLUMNS)
_GROUP_FIELDS = operator.attrgetter(*GROUP_COLUMNS)
_MEMBERSHIP_FIELDS = operator.attrgetter(*MEMBERSHIP_COLUMNS)


def user_row(user: User) -> tuple[Any, ...]:
    """A user as a row of the users table."""
    row: tuple[Any, ...] = _USER_FIELDS(user)
    return row


def group_row(group: Group) -> tuple[Any, ...]:
    """A group as a row of the groups table."""
    row: tuple[Any, ...] = _GROUP_FIELDS(group)
    return row


def membership_row(member: Membership) -> tuple[Any, ...]:
    """A membership as a row of ``MEMBERSHIP_COLUMNS`` (its group's copies are the trigger's)."""
    row: tuple[Any, ...] = _MEMBERSHIP_FIELDS(member)
    return row


# The group columns that are flags (stored as 0 or 1, read as bool), by position.
GROUP_FLAGS: tuple[int, ...] = tuple(
    GROUP_COLUMNS.index(name) for name in ("activated", "mute_all", "invitee_must_accept"))


def group_values(row: Sequence[Any]) -> tuple[Any, ...]:
    """A row of every groups-table column, in order, with its flags made bool."""
    values = list(row)
    for index in GROUP_FLAGS:
        values[index] = bool(values[index])
    return tuple(values)


def group_from_row(row: Sequence[Any]) -> Group:
    """A row of every groups-table column, in order, as a Group (its flags made bool)."""
    return Group(*group_values(row))


# Creates whatever of the tables, indexes and triggers is missing, and marks the layout.
CREATE = SCHEMA + INDEXES + TRIGGERS + f"PRAGMA user_version = {LAYOUT};"


def create_schema(conn: sqlite3.Connection) -> None:
    """Run ``CREATE``."""
    conn.executescript(CREATE)


def outdated(conn: sqlite3.Connection) -> bool:
    """True if the database holds a memberships table of another layout than ``LAYOUT``."""
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                         "AND name = 'memberships'").fetchone()
    return found is not None and conn.execute("PRAGMA user_version").fetchone()[0] != LAYOUT


ROWS_PER_STATEMENT = 100
_STAGED = "temp.fixture_memberships"


def insert_in_batches(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                      rows: Iterable[Sequence[Any]]) -> None:
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


def write_fixture(conn: sqlite3.Connection, users: Iterable[User], groups: Iterable[Group],
                  membership_rows: Iterable[Sequence[Any]],
                  member_details: Iterable[Sequence[Any]] = (),
                  attributes: Iterable[Sequence[Any]] = (), whitelist: Iterable[Sequence[Any]] = (),
                  messages: Iterable[Sequence[Any]] = ()) -> None:
    """Write a fixture into an empty database whose tables exist but whose indexes and triggers
    do not yet (``create_schema`` adds them afterwards, faster than keeping them up to date row
    by row). Each group's ``member_count`` is taken as given (``parse_fixture`` sets it).
    The memberships (rows of ``MEMBERSHIP_COLUMNS``) go to a staging table, then into
    ``memberships`` with their group's columns copied by one INSERT ... SELECT join: binding
    the copies from Python costs more than the join. The rest (``write_details``) follows."""
    conn.executemany(INSERT_USER, map(user_row, users))
    # Each group's serial (the every-groups page's cursor) is its place in the fixture.
    insert_in_batches(conn, "groups", (*GROUP_COLUMNS, "serial"),
                      ((*group_row(group), serial) for serial, group in enumerate(groups, 1)))
    conn.execute(f"CREATE TABLE {_STAGED} ({', '.join(MEMBERSHIP_BASE_COLUMNS)})")
    insert_in_batches(conn, _STAGED, MEMBERSHIP_BASE_COLUMNS, membership_rows)
    conn.execute(f"INSERT INTO memberships ({', '.join(MEMBERSHIP_BASE_COLUMNS)}, {_COPIES}) "
                 f"SELECT s.*, {', '.join(f'g.{name}' for name in GROUP_COPIED_COLUMNS)} "
                 f"FROM {_STAGED} s JOIN groups g ON g.id = s.group_id")
    conn.execute(f"DROP TABLE {_STAGED}")
    write_details(conn, member_details, attributes, whitelist, messages)
    conn.execute(MARK_SEEDED)


def write_details(conn: sqlite3.Connection, member_details: Iterable[Sequence[Any]] = (),
                  attributes: Iterable[Sequence[Any]] = (), whitelist: Iterable[Sequence[Any]] = (),
                  messages: Iterable[Sequence[Any]] = ()) -> None:
    """Write a fixture's member details (``SET_MEMBER_DETAILS`` rows, after its memberships),
    group attributes, whitelist entries and messages (``INSERT_MESSAGE`` rows)."""
    conn.executemany(SET_MEMBER_DETAILS, member_details)
    conn.executemany(INSERT_ATTRIBUTE, attributes)
    conn.executemany(INSERT_WHITELISTED, whitelist)
    conn.executemany(INSERT_MESSAGE, messages)
