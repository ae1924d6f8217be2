"""GroupStore: the one SQLite database every vendor reads and writes, with no vendor knowledge.

Writes go through aiosqlite's worker thread, one at a time, each multi-row write in a single
transaction. Short indexed reads run on the event loop against the same connection, which is
safe because they only run while no write is in flight (a read that finds a write under way
waits for it), and so never see a half-written transaction.

Joined-groups answers are cached by query (bounded) and the cache is emptied by every write:
each write holds the write lock from start to commit and empties the cache before releasing it,
and a read that meets a write waits for it, so a cached answer never outlives the data it came
from.

In memory by default; with a path, a WAL-mode file that survives restarts. A file written in an
older layout (``schema.LAYOUT``) is refused with a message that points to ``--reset``
(``check_file``, ``GroupStore.open``), unless it is about to be rebuilt from the fixtures
(``open(rebuilding=True)`` drops its tables first).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from emulator.cache import BoundedCache
from emulator.store import joined, schema
from emulator.store.fixtures import FixtureData, gc_paused
from emulator.store.models import Group, JoinedPage, JoinedQuery, Membership, Snapshot, User

# How many joined-groups answers a store keeps by default.
JOINED_CACHE_SIZE = 4096
# Helper threads SQLite may use to sort while it builds an index over a large fixture.
SORT_THREADS = max(1, min(4, os.cpu_count() or 1))


class StoreError(Exception):
    """A write that the store refused; vendors map it to their own codes."""


class UserExists(StoreError):
    """One or more users are already registered."""

    def __init__(self, user_ids: Sequence[str]) -> None:
        self.user_ids = list(user_ids)
        super().__init__(f"users already exist: {', '.join(self.user_ids)}")


class GroupExists(StoreError):
    """A group with that id exists (in any status)."""

    def __init__(self, group_id: str) -> None:
        self.group_id = group_id
        super().__init__(f"group already exists: {group_id}")


class GroupNotFound(StoreError):
    """No group has that id."""

    def __init__(self, group_id: str) -> None:
        self.group_id = group_id
        super().__init__(f"group not found: {group_id}")


def outdated_message(path: Path) -> str:
    """What to tell the user about a store file in an older layout."""
    return (f"the store file {path} was written by an older im-emulator (its memberships "
            "table has an older layout); start with --reset to rebuild it from the fixtures, "
            "or use a new --db path")


def check_file(path: Path) -> None:
    """Raise StoreError if ``path`` is a store file in an older layout (a missing file is fine)."""
    if not path.exists():
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            old = schema.outdated(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the store file {path}: {exc}") from None
    if old:
        raise StoreError(outdated_message(path))


def open_template(data: FixtureData) -> sqlite3.Connection:
    """An in-memory database holding a fixture, to be copied into stores with ``restore``."""
    conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    conn.executescript(schema.SCHEMA)
    with gc_paused():
        conn.execute("BEGIN")
        schema.write_fixture(conn, data.users, data.groups, data.membership_rows)
        conn.execute("COMMIT")
    conn.execute(f"PRAGMA threads = {SORT_THREADS}")
    schema.create_schema(conn)
    return conn


class GroupStore:
    """Users, groups and memberships in one SQLite database (``path`` None: in memory).
    ``cache_size`` bounds the joined-groups answers kept (0 keeps none)."""

    def __init__(self, path: Path | None = None, cache_size: int = JOINED_CACHE_SIZE) -> None:
        self.path = path
        self._conn: aiosqlite.Connection | None = None
        self._raw: sqlite3.Connection | None = None
        self._lock = asyncio.Lock()
        self._joined_cache: BoundedCache[JoinedQuery, joined.Page] = BoundedCache(cache_size)
        self.was_new = True

    async def open(self, *, rebuilding: bool = False) -> None:
        """Open the database and create the schema; ``was_new`` tells if it held no data.
        A file in an older layout raises StoreError, unless ``rebuilding``: its tables are then
        dropped and the caller replaces the content with ``restore``."""
        target = str(self.path) if self.path else ":memory:"

        def connect() -> sqlite3.Connection:
            self._raw = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
            return self._raw

        self._conn = aiosqlite.Connection(connect, 64)
        await self._conn
        if self.path:
            await self._conn.execute("PRAGMA journal_mode=WAL")
            await self._conn.execute("PRAGMA synchronous=NORMAL")
            if schema.outdated(self.raw):
                if not rebuilding:
                    await self.close()
                    raise StoreError(outdated_message(self.path))
                await self._conn.executescript(schema.DROP_ALL)
        await self._conn.executescript(schema.CREATE)
        self.was_new = self._read_one(schema.IS_SEEDED, ()) is None

    async def close(self) -> None:
        """Close the database."""
        if self._conn is not None:
            async with self._lock:
                self._joined_cache.clear()
                await self._conn.close()
            self._conn = None
            self._raw = None

    @property
    def raw(self) -> sqlite3.Connection:
        """The underlying sqlite3 connection (for reads on the event loop)."""
        if self._raw is None:
            raise RuntimeError("the store is not open")
        return self._raw

    @property
    def conn(self) -> aiosqlite.Connection:
        """The aiosqlite connection that performs writes."""
        if self._conn is None:
            raise RuntimeError("the store is not open")
        return self._conn

    # ---- transactions -------------------------------------------------------------------

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction: committed whole, or rolled back whole on any error. The
        joined-groups cache is emptied before and after, while the write lock is held."""
        async with self._lock:
            self._joined_cache.clear()
            try:
                conn = self.conn
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    await conn.rollback()
                    raise
                await conn.commit()
            finally:
                self._joined_cache.clear()

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[sqlite3.Connection]:
        """The connection for a read on the event loop, once no write is in flight."""
        if self._lock.locked():
            async with self._lock:
                yield self.raw
        else:
            yield self.raw

    def _read_one(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.raw.execute(sql, params).fetchone()
        return row

    # ---- whole-store operations ---------------------------------------------------------

    async def restore(self, template: sqlite3.Connection) -> None:
        """Replace the whole content with a copy of a template database (``open_template``)."""
        async with self._lock:
            self._joined_cache.clear()
            try:
                await asyncio.to_thread(template.backup, self.raw)
            finally:
                self._joined_cache.clear()

    async def seed(self, data: FixtureData) -> None:
        """Add a fixture's users and groups, replacing those with the same ids (a replaced
        group's memberships are those of the fixture)."""
        group_ids = [(group.id,) for group in data.groups]
        async with self.transaction() as conn:
            await conn.executemany(schema.UPSERT_USER, map(schema.user_row, data.users))
            await conn.executemany(schema.UPSERT_GROUP, map(schema.group_row, data.groups))
            await conn.executemany("DELETE FROM memberships WHERE group_id = ?", group_ids)
            await conn.executemany(schema.INSERT_MEMBERSHIP, data.membership_rows)
            await conn.executemany(schema.RECOUNT_GROUP, group_ids)
            await conn.execute(schema.MARK_SEEDED)

    async def snapshot(self) -> Snapshot:
        """Everything in the store, ordered by id."""
        async with self._reading() as raw:
            users = [User(*row) for row in raw.execute(
                f"SELECT {', '.join(schema.USER_COLUMNS)} FROM users ORDER BY id")]
            groups = [schema.group_from_row(row) for row in raw.execute(
                f"SELECT {', '.join(schema.GROUP_COLUMNS)} FROM groups ORDER BY id")]
            members = [Membership(*row) for row in raw.execute(
                f"SELECT {', '.join(schema.MEMBERSHIP_COLUMNS)} FROM memberships "
                "ORDER BY group_id, user_id")]
        return Snapshot(users, groups, members)

    # ---- users --------------------------------------------------------------------------

    async def get_user(self, user_id: str) -> User | None:
        """One user, or None."""
        async with self._reading():
            row = self._read_one(f"SELECT {', '.join(schema.USER_COLUMNS)} FROM users WHERE id = ?",
                                 (user_id,))
        return User(*row) if row else None

    async def existing_users(self, user_ids: Iterable[str]) -> set[str]:
        """Which of these user ids are registered."""
        found: set[str] = set()
        async with self._reading() as raw:
            for marks, chunk in schema.chunked(list(dict.fromkeys(user_ids))):
                found.update(row[0] for row in raw.execute(
                    f"SELECT id FROM users WHERE id IN ({marks})", chunk))
        return found

    async def missing_users(self, user_ids: Iterable[str]) -> list[str]:
        """The user ids that are not registered, in the order given, without repeats."""
        ids = list(dict.fromkeys(user_ids))
        existing = await self.existing_users(ids)
        return [user_id for user_id in ids if user_id not in existing]

    async def add_users(self, users: Sequence[User]) -> None:
        """Register users; all or none. Raises UserExists naming those already registered."""
        ids = [user.id for user in users]
        async with self.transaction() as conn:
            taken: set[str] = set()
            for marks, chunk in schema.chunked(ids):
                rows = await conn.execute_fetchall(
                    f"SELECT id FROM users WHERE id IN ({marks})", chunk)
                taken.update(row[0] for row in rows)
            if taken:
                raise UserExists([user_id for user_id in ids if user_id in taken])
            await conn.executemany(schema.INSERT_USER, map(schema.user_row, users))

    async def upsert_users(self, users: Sequence[User]) -> None:
        """Register users, replacing the profile of those already registered."""
        async with self.transaction() as conn:
            await conn.executemany(schema.UPSERT_USER, map(schema.user_row, users))

    # ---- groups -------------------------------------------------------------------------

    async def get_group(self, group_id: str) -> Group | None:
        """One group in any status, or None."""
        async with self._reading():
            row = self._read_one(
                f"SELECT {', '.join(schema.GROUP_COLUMNS)} FROM groups WHERE id = ?", (group_id,))
        return schema.group_from_row(row) if row else None

    async def create_group(self, group: Group, members: Sequence[Membership]) -> Group:
        """Create a group with its members in one transaction; raises GroupExists. Sets the
        group's ``member_count``."""
        async with self.transaction() as conn:
            rows = await conn.execute_fetchall("SELECT 1 FROM groups WHERE id = ?", (group.id,))
            if rows:
                raise GroupExists(group.id)
            group.member_count = len(members)
            await conn.execute(schema.INSERT_GROUP, schema.group_row(group))
            await conn.executemany(schema.INSERT_MEMBERSHIP,
                                   [schema.membership_row(member) for member in members])
        return group

    async def add_members(self, group_id: str, members: Sequence[Membership]) -> list[bool]:
        """Add members in one transaction; for each, True if added, False if already a member.
        Raises GroupNotFound."""
        async with self.transaction() as conn:
            if not await conn.execute_fetchall("SELECT 1 FROM groups WHERE id = ?", (group_id,)):
                raise GroupNotFound(group_id)
            added: list[bool] = []
            for member in members:
                cursor = await conn.execute(schema.INSERT_MEMBERSHIP_IF_NEW,
                                            schema.membership_row(member))
                added.append(cursor.rowcount == 1)
            await conn.execute(schema.RECOUNT_GROUP, (group_id,))
        return added

    async def remove_members(self, group_id: str, user_ids: Sequence[str]) -> int:
        """Remove members in one transaction; returns how many were members."""
        async with self.transaction() as conn:
            removed = 0
            for user_id in user_ids:
                cursor = await conn.execute(
                    "DELETE FROM memberships WHERE group_id = ? AND user_id = ?", (group_id, user_id))
                removed += cursor.rowcount
            await conn.execute(schema.RECOUNT_GROUP, (group_id,))
        return removed

    async def update_group(self, group_id: str, **fields: Any) -> None:
        """Change some columns of a group; raises GroupNotFound (ValueError names a field
        that is not a group column, or ``id``)."""
        unknown = set(fields) - set(schema.GROUP_COLUMNS)
        if unknown or "id" in fields:
            raise ValueError(f"not a group column: {', '.join(sorted(unknown or {'id'}))}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        async with self.transaction() as conn:
            cursor = await conn.execute(f"UPDATE groups SET {assignments} WHERE id = ?",
                                        (*fields.values(), group_id))
            if cursor.rowcount == 0:
                raise GroupNotFound(group_id)

    async def delete_group(self, group_id: str) -> None:
        """Delete a group and its memberships; raises GroupNotFound."""
        async with self.transaction() as conn:
            cursor = await conn.execute("DELETE FROM groups WHERE id = ?", (group_id,))
            if cursor.rowcount == 0:
                raise GroupNotFound(group_id)
            await conn.execute("DELETE FROM memberships WHERE group_id = ?", (group_id,))

    async def members(self, group_id: str) -> list[Membership]:
        """A group's members: owner, then admins, then members, each by join time."""
        async with self._reading() as raw:
            rows = raw.execute(
                f"SELECT {', '.join(schema.MEMBERSHIP_COLUMNS)} FROM memberships WHERE group_id = ? "
                "ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, "
                "join_time_ms, user_id", (group_id,)).fetchall()
        return [Membership(*row) for row in rows]

    # ---- the joined-groups query --------------------------------------------------------

    async def joined(self, query: JoinedQuery) -> JoinedPage:
        """A user's groups: the total that match the query, and the requested slice (fresh
        objects on every call, so callers may change them). ValueError names a field of
        ``group_fields`` or ``member_fields`` that the model does not have."""
        page = self._joined_cache.get(query)
        if page is None or self._lock.locked():
            async with self._reading() as raw:
                page = joined.read_page(raw, query)
                self._joined_cache.put(query, page)
        return JoinedPage(page[0], joined.rows_of(page))
