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
import secrets
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from emulator.cache import BoundedCache
from emulator.store import changes, follows, joined, manage, messages, requests, schema
from emulator.store.errors import GroupExists, GroupNotFound, StoreError, UserExists
from emulator.store.fixtures import FixtureData, gc_paused
from emulator.store.models import (Change, Group, GroupLookup, GroupPage, JoinedPage, JoinedQuery,
                                   JoinRequest, JoinRequestPage, MemberPage, Membership, Message,
                                   Snapshot, User)

# How many joined-groups answers a store keeps by default.
JOINED_CACHE_SIZE = 4096
# The message log's default bounds: per group, and in all.
MESSAGES_PER_GROUP = 10_000
MESSAGES_TOTAL = 200_000
# Helper threads SQLite may use to sort while it builds an index over a large fixture.
SORT_THREADS = max(1, min(4, os.cpu_count() or 1))


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
        schema.write_fixture(conn, data.users, data.groups, data.membership_rows,
                             data.member_details, data.attributes, data.whitelist, data.messages)
        conn.execute("COMMIT")
    conn.execute(f"PRAGMA threads = {SORT_THREADS}")
    schema.create_schema(conn)
    return conn


class GroupStore:
    """Users, groups, memberships and the group message log in one SQLite database (``path``
    None: in memory). ``cache_size`` bounds the joined-groups answers kept (0 keeps none);
    ``messages_per_group`` and ``messages_total`` bound the log (0: unbounded; the oldest
    messages are evicted first)."""

    def __init__(self, path: Path | None = None, cache_size: int = JOINED_CACHE_SIZE, *,
                 messages_per_group: int = MESSAGES_PER_GROUP,
                 messages_total: int = MESSAGES_TOTAL) -> None:
        self.path = path
        self.messages_per_group = messages_per_group
        self.messages_total = messages_total
        # The log's size, counted on first need after a restore (kept by every write after).
        self._message_count: int | None = None
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
        if self._read_one(schema.GET_GENERATION, ()) is None:
            await self._conn.execute(schema.SET_GENERATION, (secrets.token_hex(8),))
            await self._conn.commit()

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

    def renew_lock(self) -> None:
        """Make the write lock anew for another event loop (an ``asyncio.Lock`` binds to the
        loop it is first contended on); nothing while a write holds it."""
        if not self._lock.locked():
            self._lock = asyncio.Lock()

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
                self.raw.execute(schema.SET_GENERATION, (secrets.token_hex(8),))
            finally:
                self._joined_cache.clear()
                self._message_count = None

    async def seed(self, data: FixtureData) -> None:
        """Add a fixture's users and groups, replacing those with the same ids (a replaced
        group's memberships are those of the fixture)."""
        group_ids = [(group.id,) for group in data.groups]
        async with self.transaction() as conn:
            await conn.executemany(schema.UPSERT_USER, map(schema.user_row, data.users))
            await conn.executemany(schema.UPSERT_GROUP, map(schema.group_row, data.groups))
            await conn.executemany("DELETE FROM memberships WHERE group_id = ?", group_ids)
            await conn.executemany(schema.INSERT_MEMBERSHIP_BASE, data.membership_rows)
            await conn.executemany(schema.RECOUNT_GROUP, group_ids)
            for table in ("group_attributes", "mute_whitelist", "messages", "join_requests",
                          *follows.TABLES):
                await conn.executemany(f"DELETE FROM {table} WHERE group_id = ?", group_ids)
            await conn.executemany(schema.SET_MEMBER_DETAILS, data.member_details)
            await conn.executemany(schema.INSERT_ATTRIBUTE, data.attributes)
            await conn.executemany(schema.INSERT_WHITELISTED, data.whitelist)
            await conn.executemany(schema.INSERT_MESSAGE, data.messages)
            await conn.execute(schema.MARK_SEEDED)
            self._message_count = None

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
            attributes: dict[str, dict[str, str]] = {}
            for group_id, key, value in raw.execute(
                    "SELECT group_id, key, value FROM group_attributes ORDER BY group_id, key"):
                attributes.setdefault(group_id, {})[key] = value
            whitelists: dict[str, list[str]] = {}
            for group_id, user_id in raw.execute(
                    "SELECT group_id, user_id FROM mute_whitelist ORDER BY group_id, user_id"):
                whitelists.setdefault(group_id, []).append(user_id)
            join_requests = requests.every(raw)
        return Snapshot(users, groups, members, attributes, whitelists, join_requests)

    async def generation(self) -> str:
        """The store's generation: a token that changes whenever the whole content is
        replaced (a reset), so change counters can be told from those before it."""
        async with self._reading():
            row = self._read_one(schema.GET_GENERATION, ())
        return str(row[0]) if row else ""

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

    async def user_ids(self) -> list[str]:
        """Every registered user id, the oldest registered first (then by id)."""
        async with self._reading() as raw:
            return [row[0] for row in raw.execute(
                "SELECT id FROM users ORDER BY created_at, id")]

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
                for sql in follows.FORGET_MEMBER:
                    await conn.execute(sql, (group_id, user_id))
            await conn.execute(schema.RECOUNT_GROUP, (group_id,))
        return removed

    async def update_group(self, group_id: str, **fields: Any) -> None:
        """Change some columns of a group; raises GroupNotFound (ValueError names a field
        that is not a group column, or ``id``)."""
        unknown = set(fields) - set(schema.GROUP_COLUMNS)
        if unknown or "id" in fields:
            raise ValueError(f"not a group column: {', '.join(sorted(unknown or {'id'}))}")
        if "status" in fields:
            fields.setdefault("status_label", "")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        async with self.transaction() as conn:
            cursor = await conn.execute(f"UPDATE groups SET {assignments} WHERE id = ?",
                                        (*fields.values(), group_id))
            if cursor.rowcount == 0:
                raise GroupNotFound(group_id)

    async def delete_group(self, group_id: str) -> None:
        """Delete a group with its memberships, attributes, whitelist and messages; raises
        GroupNotFound."""
        async with self.transaction() as conn:
            cursor = await conn.execute("DELETE FROM groups WHERE id = ?", (group_id,))
            if cursor.rowcount == 0:
                raise GroupNotFound(group_id)
            for table in ("memberships", "group_attributes", "mute_whitelist", "messages",
                          "join_requests", *follows.TABLES):
                await conn.execute(f"DELETE FROM {table} WHERE group_id = ?", (group_id,))
            self._message_count = None

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

    # ---- group management (emulator.store.manage) ---------------------------------------
    #
    # Each is one transaction, all-or-nothing, run on the event loop's connection under the
    # write lock (short indexed writes: the hop to aiosqlite's thread would cost more than
    # the write), and empties the joined-groups cache as every write does.

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[sqlite3.Connection]:
        """One write transaction on the event loop's connection: committed whole, or rolled
        back whole on any error; the cache is emptied before and after, under the lock."""
        async with self._lock:
            self._joined_cache.clear()
            raw = self.raw
            raw.execute("BEGIN IMMEDIATE")
            try:
                yield raw
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            else:
                raw.execute("COMMIT")
            finally:
                self._joined_cache.clear()

    async def add_group_members(self, group_id: str, members: Sequence[Membership]
                                ) -> dict[str, manage.AddOutcome]:
        """Add members (admin or member, each with its join time and details); per user id,
        in the order given: "added", "already_member" or "unknown_user" (not registered).
        GroupNotFound, GroupDismissed; GroupFull if the added would pass ``max_members``
        (0: none); ValueError for the role "owner" (see transfer_owner)."""
        async with self._writing() as conn:
            return manage.add_members(conn, group_id, members)

    async def remove_group_members(self, group_id: str, user_ids: Sequence[str], *,
                                   keep_followed: bool = False
                                   ) -> dict[str, manage.RemoveOutcome]:
        """Remove members; per user id: "removed" or "not_member". IsOwner if the owner is
        named (nothing removed); GroupNotFound, GroupDismissed. Their follows and remark
        names go with them, and the follows of them unless ``keep_followed``."""
        async with self._writing() as conn:
            outcome = manage.remove_members(conn, group_id, user_ids)
            follows.forget_members(conn, group_id, [user for user, what in outcome.items()
                                                    if what == "removed"],
                                   keep_followed=keep_followed)
            return outcome

    async def set_role(self, group_id: str, user_id: str, role: str) -> str:
        """Make a member "admin" or "member"; the role they had. NotMember; IsOwner for the
        owner; ValueError for another role."""
        async with self._writing() as conn:
            return manage.set_role(conn, group_id, user_id, role)

    async def transfer_owner(self, group_id: str, new_owner: str, *, now_ms: int,
                             old_owner_leaves: bool = False,
                             keep_followed: bool = False) -> Group:
        """Make a member the owner; the old owner becomes a member, or leaves the group
        (with its follows and remark name, and the follows of it unless ``keep_followed``).
        NotMember if ``new_owner`` is not a member. Bumps ``info_seq``. The group after."""
        async with self._writing() as conn:
            old_owner = manage.group_of(conn, group_id).owner
            group = manage.transfer_owner(conn, group_id, new_owner,
                                          old_owner_leaves=old_owner_leaves, now_ms=now_ms)
            if old_owner_leaves and group.owner != old_owner:
                follows.forget_members(conn, group_id, [old_owner], keep_followed=keep_followed)
            return group

    async def update_group_info(self, group_id: str, *, now_ms: int, **changes: Any) -> Group:
        """Change some info fields (``manage.INFO_FIELDS``: name, introduction, notification,
        face_url, ex, max_members, apply_join_option, invite_join_option, inviter_role,
        invitee_must_accept, need_verification, look_member_info, apply_member_friend,
        notification_user_id, activated); absent ones are unchanged. Any change bumps
        ``info_seq`` and sets ``last_info_time``. The group after."""
        async with self._writing() as conn:
            return manage.update_group_info(conn, group_id, changes, now_ms=now_ms)

    async def update_member_info(self, group_id: str, user_id: str, **changes: Any) -> Membership:
        """Change a member's nickname, face_url, ex, msg_flag or unread. NotMember."""
        async with self._writing() as conn:
            return manage.update_member_info(conn, group_id, user_id, changes)

    async def clear_unread(self, group_id: str) -> int:
        """Set every member's unread count in a live group to 0; how many had one.
        GroupNotFound, GroupDismissed."""
        async with self._writing() as conn:
            manage.live_group(conn, group_id)
            return int(conn.execute("UPDATE memberships SET unread = 0 WHERE group_id = ? "
                                    "AND unread != 0", (group_id,)).rowcount)

    async def set_attributes(self, group_id: str, values: Mapping[str, str], *,
                             now_ms: int) -> dict[str, str]:
        """Set group attributes (key -> value); every attribute after. Bumps ``info_seq``."""
        async with self._writing() as conn:
            return manage.set_attributes(conn, group_id, values, now_ms=now_ms)

    async def delete_attributes(self, group_id: str, keys: Iterable[str] | None, *,
                                now_ms: int) -> list[str]:
        """Delete attribute keys (None: all); the keys that existed. Bumps ``info_seq`` if any."""
        async with self._writing() as conn:
            return manage.delete_attributes(conn, group_id, keys, now_ms=now_ms)

    async def attributes(self, group_id: str) -> dict[str, str]:
        """A group's attributes, by key."""
        async with self._reading() as raw:
            return manage.attributes_of(raw, [group_id]).get(group_id, {})

    async def mute_members(self, group_id: str, user_ids: Sequence[str], until_ms: int, *,
                           now_ms: int) -> dict[str, manage.MuteOutcome]:
        """Mute members until ``until_ms`` (at or before now: unmute); per user: "muted",
        "unmuted" or "not_member". ``Membership.muted(now_ms)`` tells if one is muted."""
        async with self._writing() as conn:
            return manage.mute_members(conn, group_id, user_ids, until_ms, now_ms=now_ms)

    async def unmute_members(self, group_id: str, user_ids: Sequence[str], *,
                             now_ms: int) -> dict[str, manage.MuteOutcome]:
        """Lift members' mutes; per user: "unmuted" or "not_member"."""
        return await self.mute_members(group_id, user_ids, 0, now_ms=now_ms)

    async def muted_members(self, group_id: str, *, now_ms: int) -> list[Membership]:
        """The members muted on their own at ``now_ms``, soonest unmuted first."""
        async with self._reading() as raw:
            return manage.muted_members(raw, group_id, now_ms)

    async def mute_all(self, group_id: str, muted: bool = True, *, now_ms: int,
                       until_ms: int = 0, roles: Iterable[str] = ("member",)) -> Group:
        """Mute every member of ``roles`` until ``until_ms`` (0: until lifted), or lift the
        mute-all (``muted`` False). ``Group.mute_all_active(now_ms)`` and
        ``models.muted(group, member, now_ms, whitelisted)`` read it. Bumps ``info_seq``."""
        async with self._writing() as conn:
            return manage.mute_all(conn, group_id, muted, until_ms=until_ms, roles=roles,
                                   now_ms=now_ms)

    async def set_whitelist(self, group_id: str, add: Sequence[str] = (),
                            remove: Sequence[str] = ()) -> list[str]:
        """Change the mute-all whitelist; the whole whitelist after, by user id."""
        async with self._writing() as conn:
            return manage.set_whitelist(conn, group_id, add, remove)

    async def whitelist(self, group_id: str) -> list[str]:
        """A group's mute-all whitelist, by user id."""
        async with self._reading() as raw:
            return manage.whitelist_of(raw, group_id)

    async def dismiss_group(self, group_id: str, *, now_ms: int,
                            keep_members: bool = True) -> Group:
        """Dismiss a group (status "dismissed", ``dismissed_at_ms``), keeping its member rows
        or deleting them; it takes no writes after (GroupDismissed). The group after."""
        async with self._writing() as conn:
            group = manage.dismiss(conn, group_id, keep_members=keep_members, now_ms=now_ms)
            follows.forget_group(conn, group_id)
            return group

    # ---- follows and remark names (emulator.store.follows) -------------------------------

    async def follow_members(self, group_id: str, user_id: str, followed: Sequence[str], *,
                             now_ms: int) -> list[str]:
        """A member follows other members; the ids newly followed. NotMember (nothing
        changes), GroupNotFound, GroupDismissed."""
        async with self._writing() as conn:
            return follows.follow(conn, group_id, user_id, followed, now_ms=now_ms)

    async def unfollow_members(self, group_id: str, user_id: str,
                               followed: Sequence[str]) -> list[str]:
        """A member stops following users; the ids that were followed. NotMember."""
        async with self._writing() as conn:
            return follows.unfollow(conn, group_id, user_id, followed)

    async def followed_members(self, group_id: str, user_id: str) -> list[tuple[str, int]]:
        """(followed user, follow time) of a member's follows, oldest first."""
        async with self._reading() as raw:
            return follows.followed_by(raw, group_id, user_id)

    async def set_remark_name(self, group_id: str, user_id: str, name: str, *,
                              now_ms: int, kind: str = "remark") -> None:
        """Set a member's name for a group: ``remark`` (their own name for it) or ``push``
        (the name its pushes show for them). NotMember, GroupNotFound, GroupDismissed."""
        async with self._writing() as conn:
            follows.set_remark(conn, group_id, user_id, name, now_ms=now_ms, kind=kind)

    async def delete_remark_name(self, group_id: str, user_id: str, *,
                                 kind: str = "remark") -> bool:
        """Delete a member's name of a kind for a group; whether it had one. NotMember."""
        async with self._writing() as conn:
            return follows.delete_remark(conn, group_id, user_id, kind=kind)

    async def remark_names(self, user_id: str, group_ids: Sequence[str], *,
                           kind: str = "remark") -> dict[str, str]:
        """A user's names of a kind for some groups, by group id."""
        async with self._reading() as raw:
            return follows.remarks_of(raw, user_id, group_ids, kind=kind)

    async def get_groups(self, group_ids: Sequence[str]) -> GroupLookup:
        """Groups by id in any status, in the order asked, and the ids not found."""
        async with self._reading() as raw:
            return manage.get_groups(raw, group_ids)

    async def member(self, group_id: str, user_id: str) -> Membership | None:
        """One membership, or None."""
        async with self._reading() as raw:
            return manage.member_of(raw, group_id, user_id)

    async def member_page(self, group_id: str, *, order: str = "role", after: str | None = None,
                          offset: int = 0, limit: int = 100,
                          roles: Iterable[str] | None = None,
                          fields: Iterable[str] | None = None) -> MemberPage:
        """A page of a group's members, in "role" order (owner, admins, members; each by join
        time, then user id) or "join" order; ``after`` the previous page's ``next``
        (O(log n + page)), ``offset`` skips rows (O(offset)); ``roles`` filters (and
        ``total`` counts under it); ``fields`` names the Membership fields the caller reads
        (None: all; the others keep their defaults). GroupNotFound; ValueError for an
        unknown field or a bad cursor."""
        async with self._reading() as raw:
            return manage.member_page(raw, group_id, order=order, after=after, offset=offset,
                                      limit=limit, roles=roles, fields=fields)

    async def group_page(self, *, after: int = 0, limit: int = 1000,
                         types: Iterable[str] | None = None,
                         include_dismissed: bool = True) -> GroupPage:
        """A page of every group in the app in creation order; ``after`` the previous page's
        ``next`` (0 first; ``next`` 0 = done). Groups created between pages come later, so
        no group is listed twice or skipped."""
        async with self._reading() as raw:
            return manage.group_page(raw, after=after, limit=limit, types=types,
                                     include_dismissed=include_dismissed)

    async def roles_in(self, user_id: str, group_ids: Sequence[str]) -> dict[str, str | None]:
        """A user's role in each group (None: not a member, or no such group)."""
        async with self._reading() as raw:
            return manage.roles_in(raw, user_id, group_ids)

    # ---- the group message log (emulator.store.messages) --------------------------------

    def _count_messages(self, conn: sqlite3.Connection) -> int:
        if self._message_count is None:
            self._message_count = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        return self._message_count

    async def append_message(self, group_id: str, *, sender: str, vendor: str, type: str,
                             body: Any, now_ms: int, client_id: str = "",
                             dedup_ms: int = 0, kind: str = "message") -> tuple[Message, bool]:
        """Append a message to a live group's log: seq = the group's ``next_msg_seq`` (at
        least 1), which goes up by one, and ``last_msg_time`` (s) follows. With ``client_id``
        and ``dedup_ms``, a message of the same sender and client id less than ``dedup_ms``
        old is answered instead (the bool is False: nothing written). Evicts past the caps.
        ``kind`` "system" posts a notice of a change (also to a dismissed group).
        GroupNotFound, GroupDismissed."""
        async with self._writing() as conn:
            count = self._count_messages(conn)
            message, new, count = messages.append(
                conn, group_id, sender=sender, vendor=vendor, type=type, body=body,
                now_ms=now_ms, client_id=client_id, dedup_ms=dedup_ms,
                per_group=self.messages_per_group, total=self.messages_total, count=count,
                kind=kind)
        self._message_count = count
        return message, new

    async def recall_message(self, group_id: str, seq: int) -> Message:
        """Mark a message recalled; MessageNotFound (never sent, or evicted)."""
        async with self._writing() as conn:
            return messages.recall(conn, group_id, seq)

    async def recall_by_sender(self, group_id: str, sender: str, *,
                               within_last: int) -> list[int]:
        """Mark recalled a sender's messages among the group's newest ``within_last`` log
        entries; the seqs newly marked. GroupNotFound, GroupDismissed."""
        async with self._writing() as conn:
            return messages.recall_by_sender(conn, group_id, sender, within_last=within_last)

    async def history(self, group_id: str, *, before_seq: int | None = None,
                      limit: int = 20, include_system: bool = False) -> list[Message]:
        """A group's messages newest first, below ``before_seq`` (None: from the newest);
        system notices only with ``include_system``."""
        async with self._reading() as raw:
            return messages.history(raw, group_id, before_seq=before_seq, limit=limit,
                                    include_system=include_system)

    async def messages_by_seq(self, group_id: str, first: int, last: int, *,
                              include_system: bool = False) -> list[Message]:
        """A group's messages with ``first`` <= seq <= ``last``, oldest first (system
        notices only with ``include_system``)."""
        async with self._reading() as raw:
            return messages.by_seq(raw, group_id, first, last, include_system=include_system)

    async def messages_by_time(self, group_id: str, start_ms: int, end_ms: int, *,
                               limit: int | None = None,
                               newest_first: bool = False,
                               include_system: bool = False) -> list[Message]:
        """A group's messages sent from ``start_ms`` to ``end_ms`` (both included)."""
        async with self._reading() as raw:
            return messages.by_time(raw, group_id, start_ms, end_ms, limit=limit,
                                    newest_first=newest_first, include_system=include_system)

    async def message_log(self, *, group: str | None = None, sender: str | None = None,
                          vendor: str | None = None,
                          since_seq: int | None = None) -> list[Message]:
        """The whole log in append order, filtered (``since_seq``: seqs above it)."""
        async with self._reading() as raw:
            return messages.log(raw, group=group, sender=sender, vendor=vendor,
                                since_seq=since_seq)

    async def clear_messages(self) -> int:
        """Empty the log (each group keeps its ``next_msg_seq``); how many were deleted."""
        async with self._writing() as conn:
            deleted = conn.execute("DELETE FROM messages").rowcount
        self._message_count = 0
        return int(deleted)

    # ---- join requests and change counters (emulator.store.requests) -------------------

    async def record_join_requests(self, join_requests: Sequence[JoinRequest]) -> None:
        """Record pending join requests, each replacing its (group, user)'s earlier one, in
        one transaction. GroupNotFound."""
        async with self._writing() as conn:
            requests.record(conn, join_requests)

    async def join_request(self, group_id: str, user_id: str) -> JoinRequest | None:
        """The user's request to join the group, or None."""
        async with self._reading() as raw:
            return requests.take(raw, group_id, user_id)

    async def handle_join_request(self, group_id: str, user_id: str, *, result: str,
                                  handler: str, message: str = "", now_ms: int,
                                  member: Membership | None = None) -> JoinRequest:
        """Accept or refuse a join request, adding ``member`` in the same transaction if
        given. JoinRequestNotFound; the errors of ``add_group_members``. The request after."""
        async with self._writing() as conn:
            return requests.handle(conn, group_id, user_id, result=result, handler=handler,
                                   message=message, now_ms=now_ms, member=member)

    async def join_request_page(self, *, group_ids: Sequence[str] | None = None,
                                user_id: str | None = None,
                                results: Iterable[str] | None = None, offset: int = 0,
                                limit: int | None = None,
                                after_ms: int | None = None) -> JoinRequestPage:
        """Join requests newest first under filters (each None: any; ``after_ms``: made
        after that time), and their total."""
        async with self._reading() as raw:
            return requests.page(raw, group_ids=group_ids, user_id=user_id, results=results,
                                 offset=offset, limit=limit, after_ms=after_ms)

    async def join_requests_of(self, group_id: str, user_ids: Sequence[str]) -> list[JoinRequest]:
        """A group's requests from these users, oldest first."""
        async with self._reading() as raw:
            return requests.of_users(raw, group_id, user_ids)

    async def joined_version(self, user_id: str) -> int:
        """How many times the user joined or left a group since the content was loaded (the
        counter of their joined groups; a group's is ``Group.member_version``)."""
        async with self._reading():
            row = self._read_one("SELECT version FROM join_versions WHERE user_id = ?",
                                 (user_id,))
        return int(row[0]) if row else 0

    async def changes_since(self, scope: str, key: str, after: int) -> list[Change] | None:
        """The change log of a key after a version of its counter, oldest first, or None when
        the log no longer covers that version (``emulator.store.changes``). Scopes:
        ``group_members`` (a group's members by user id, and "" for its info or status;
        versions of ``Group.member_version``), ``member_order`` (a group's role changes, "")
        and ``user_groups`` (a user's joined groups by group id; versions of
        ``joined_version``)."""
        async with self._reading() as raw:
            return changes.since(raw, scope, key, after)
