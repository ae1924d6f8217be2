"""Group management: the SQL of each operation on groups and memberships, as plain functions
over a sqlite3 connection inside a transaction the caller holds (``GroupStore`` opens it, runs
one of these, and commits, or rolls back on any error: each operation is all-or-nothing).

Every write refuses an unknown group (GroupNotFound) and a dismissed one (GroupDismissed).
Time is the caller's ``now_ms``; a mute's expiry is only ever compared with it, never undone
by a timer. ``info_seq`` and ``last_info_time`` (seconds) move with every change of a group's
info: its profile fields, attributes, mute-all, owner and dismissal.

Member pages read ``memberships_by_group_role`` (group, role, join time, user): role order is
the owner's, then the admins', then the members' ranges of it, each in join order; join order
merges the three ranges. Either costs O(log n + page) from a cursor, whatever the group's size.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

from emulator.store import schema
from emulator.store.errors import (GroupDismissed, GroupFull, GroupNotFound, IsOwner, NotMember)
from emulator.store.models import (APPLY_JOIN_OPTIONS, INVITE_JOIN_OPTIONS, ROLES, Group,
                                   GroupLookup, GroupPage, Membership, MemberPage)

AddOutcome = Literal["added", "already_member", "unknown_user"]
RemoveOutcome = Literal["removed", "not_member"]
MuteOutcome = Literal["muted", "unmuted", "not_member"]

# The group fields ``update_group_info`` may change, with the values each accepts.
INFO_FIELDS: dict[str, tuple[type, tuple[Any, ...] | None]] = {
    "name": (str, None), "introduction": (str, None), "notification": (str, None),
    "face_url": (str, None), "ex": (str, None), "max_members": (int, None),
    "apply_join_option": (str, APPLY_JOIN_OPTIONS),
    "invite_join_option": (str, INVITE_JOIN_OPTIONS), "inviter_role": (str, ROLES),
    "invitee_must_accept": (bool, None), "need_verification": (int, None),
    "look_member_info": (int, None), "apply_member_friend": (int, None),
    "notification_user_id": (str, None), "activated": (bool, None),
}
# The membership fields ``update_member_info`` may change.
MEMBER_INFO_FIELDS: dict[str, type] = {"nickname": str, "face_url": str, "ex": str,
                                       "msg_flag": str, "unread": int}

_GROUP_SELECT = f"SELECT {', '.join(schema.GROUP_COLUMNS)} FROM groups"
_MEMBER_SELECT = f"SELECT {', '.join(schema.MEMBERSHIP_COLUMNS)} FROM memberships"
_ROLE_RANGES = ("owner", "admin", "member")


# ---- reads used by the writes ---------------------------------------------------------------

def group_of(conn: sqlite3.Connection, group_id: str) -> Group:
    """A group in any status; GroupNotFound."""
    row = conn.execute(f"{_GROUP_SELECT} WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise GroupNotFound(group_id)
    return schema.group_from_row(row)


def live_group(conn: sqlite3.Connection, group_id: str) -> Group:
    """A group that takes writes; GroupNotFound, or GroupDismissed."""
    group = group_of(conn, group_id)
    if group.status == "dismissed":
        raise GroupDismissed(group_id)
    return group


def member_of(conn: sqlite3.Connection, group_id: str, user_id: str) -> Membership | None:
    """One membership, or None."""
    row = conn.execute(f"{_MEMBER_SELECT} WHERE group_id = ? AND user_id = ?",
                       (group_id, user_id)).fetchone()
    return Membership(*row) if row else None


def _found(conn: sqlite3.Connection, sql: str, ids: Sequence[str],
           before: Sequence[Any] = ()) -> set[str]:
    """The first column of ``sql`` (an ``IN ({marks})`` read) over ``ids`` in chunks."""
    found: set[str] = set()
    for marks, chunk in schema.chunked(ids):
        found.update(row[0] for row in conn.execute(sql.format(marks=marks), (*before, *chunk)))
    return found


def _bump_info(conn: sqlite3.Connection, group_id: str, now_ms: int, extra: str = "",
               params: Sequence[Any] = ()) -> None:
    """Count one change of a group's info (with ``extra`` assignments)."""
    conn.execute(f"UPDATE groups SET {extra + ', ' if extra else ''}info_seq = info_seq + 1, "
                 "last_info_time = ? WHERE id = ?", (*params, now_ms // 1000, group_id))


# ---- members --------------------------------------------------------------------------------

def add_members(conn: sqlite3.Connection, group_id: str,
                members: Sequence[Membership]) -> dict[str, AddOutcome]:
    """Add members (each with its role, join time and details); per user, in the order given
    (a user named twice counts once, as first given): added, already a member, or not a
    registered user. GroupFull if the added ones would pass ``max_members`` (0: no limit);
    ValueError for the role "owner" (use transfer_owner) or a member of another group."""
    group = live_group(conn, group_id)
    first: dict[str, Membership] = {}
    for member in members:
        if member.group_id != group_id:
            raise ValueError(f"a membership of group {member.group_id} added to {group_id}")
        if member.role not in ("admin", "member"):
            raise ValueError(f"members are added as admin or member, not {member.role!r}")
        first.setdefault(member.user_id, member)
    ids = list(first)
    users = _found(conn, "SELECT id FROM users WHERE id IN ({marks})", ids)
    present = _found(conn, "SELECT user_id FROM memberships WHERE group_id = ? "
                           "AND user_id IN ({marks})", ids, (group_id,))
    outcome: dict[str, AddOutcome] = {}
    new: list[Membership] = []
    for user_id, member in first.items():
        if user_id in present:
            outcome[user_id] = "already_member"
        elif user_id not in users:
            outcome[user_id] = "unknown_user"
        else:
            outcome[user_id] = "added"
            new.append(member)
    if group.max_members and group.member_count + len(new) > group.max_members:
        raise GroupFull(group_id, group.max_members)
    if new:
        conn.executemany(schema.INSERT_MEMBERSHIP, map(schema.membership_row, new))
        conn.execute("UPDATE groups SET member_count = member_count + ? WHERE id = ?",
                     (len(new), group_id))
    return outcome


def remove_members(conn: sqlite3.Connection, group_id: str,
                   user_ids: Sequence[str]) -> dict[str, RemoveOutcome]:
    """Remove members; per user, in the order given: removed, or not a member. IsOwner if
    the owner is among them (nothing is removed)."""
    group = live_group(conn, group_id)
    ids = list(dict.fromkeys(user_ids))
    if group.owner in ids:
        raise IsOwner(group_id, group.owner)
    present = _found(conn, "SELECT user_id FROM memberships WHERE group_id = ? "
                           "AND user_id IN ({marks})", ids, (group_id,))
    gone = [user_id for user_id in ids if user_id in present]
    if gone:
        conn.executemany("DELETE FROM memberships WHERE group_id = ? AND user_id = ?",
                         [(group_id, user_id) for user_id in gone])
        conn.execute("UPDATE groups SET member_count = member_count - ? WHERE id = ?",
                     (len(gone), group_id))
    return {user_id: "removed" if user_id in present else "not_member" for user_id in ids}


def set_role(conn: sqlite3.Connection, group_id: str, user_id: str, role: str) -> str:
    """Make a member an admin or a plain member; the role they had. NotMember; IsOwner for
    the owner; ValueError for another role (the owner changes with transfer_owner)."""
    if role not in ("admin", "member"):
        raise ValueError(f"a role is set to admin or member, not {role!r}")
    live_group(conn, group_id)
    member = member_of(conn, group_id, user_id)
    if member is None:
        raise NotMember(group_id, user_id)
    if member.role == "owner":
        raise IsOwner(group_id, user_id)
    if member.role != role:
        conn.execute("UPDATE memberships SET role = ? WHERE group_id = ? AND user_id = ?",
                     (role, group_id, user_id))
    return member.role


def transfer_owner(conn: sqlite3.Connection, group_id: str, new_owner: str, *,
                   old_owner_leaves: bool, now_ms: int) -> Group:
    """Make a member the owner; the old owner becomes a plain member, or leaves the group
    with ``old_owner_leaves``. NotMember if ``new_owner`` is not a member; naming the owner
    changes nothing. The group as it now is."""
    group = live_group(conn, group_id)
    if new_owner == group.owner:
        return group
    if member_of(conn, group_id, new_owner) is None:
        raise NotMember(group_id, new_owner)
    conn.execute("UPDATE memberships SET role = 'owner' WHERE group_id = ? AND user_id = ?",
                 (group_id, new_owner))
    if old_owner_leaves:
        cursor = conn.execute("DELETE FROM memberships WHERE group_id = ? AND user_id = ?",
                              (group_id, group.owner))
        conn.execute("UPDATE groups SET member_count = member_count - ? WHERE id = ?",
                     (cursor.rowcount, group_id))
    else:
        conn.execute("UPDATE memberships SET role = 'member' WHERE group_id = ? AND user_id = ?",
                     (group_id, group.owner))
    _bump_info(conn, group_id, now_ms, "owner = ?", (new_owner,))
    return group_of(conn, group_id)


def update_member_info(conn: sqlite3.Connection, group_id: str, user_id: str,
                       changes: Mapping[str, Any]) -> Membership:
    """Change a member's nickname, face_url, ex, msg_flag or unread (absent: unchanged);
    the membership as it now is. NotMember; ValueError names a field it does not take."""
    _check(changes, {name: (kind, None) for name, kind in MEMBER_INFO_FIELDS.items()},
           "member info")
    live_group(conn, group_id)
    if member_of(conn, group_id, user_id) is None:
        raise NotMember(group_id, user_id)
    if changes:
        conn.execute(f"UPDATE memberships SET {', '.join(f'{k} = ?' for k in changes)} "
                     "WHERE group_id = ? AND user_id = ?", (*changes.values(), group_id, user_id))
    member = member_of(conn, group_id, user_id)
    assert member is not None
    return member


def _check(changes: Mapping[str, Any], fields: Mapping[str, tuple[type, tuple[Any, ...] | None]],
           what: str) -> None:
    for name, value in changes.items():
        if name not in fields:
            raise ValueError(f"not a {what} field: {name}")
        kind, choices = fields[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)) or (
                kind is not int and not isinstance(value, kind)):
            raise ValueError(f"{name} must be {kind.__name__}, not {value!r}")
        if choices is not None and value not in choices:
            raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def update_group_info(conn: sqlite3.Connection, group_id: str, changes: Mapping[str, Any], *,
                      now_ms: int) -> Group:
    """Change some of a group's info fields (``INFO_FIELDS``; absent: unchanged). If any value
    differs, ``info_seq`` goes up by one and ``last_info_time`` to now (a changed
    notification also sets ``notification_update_time`` to now, ms). ValueError names a field
    or value it does not take. The group as it now is."""
    _check(changes, INFO_FIELDS, "group info")
    group = live_group(conn, group_id)
    changed = {name: value for name, value in changes.items() if getattr(group, name) != value}
    if not changed:
        return group
    if "notification" in changed:
        changed["notification_update_time"] = now_ms
    _bump_info(conn, group_id, now_ms, ", ".join(f"{name} = ?" for name in changed),
               list(changed.values()))
    return group_of(conn, group_id)


def set_attributes(conn: sqlite3.Connection, group_id: str, values: Mapping[str, str], *,
                   now_ms: int) -> dict[str, str]:
    """Set attributes (key -> value, replacing a key's value); all of them after."""
    live_group(conn, group_id)
    for key, value in values.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ValueError(f"attributes are strings: {key!r} -> {value!r}")
    if values:
        conn.executemany(schema.INSERT_ATTRIBUTE,
                         [(group_id, key, value) for key, value in values.items()])
        _bump_info(conn, group_id, now_ms)
    return attributes_of(conn, [group_id]).get(group_id, {})


def delete_attributes(conn: sqlite3.Connection, group_id: str, keys: Iterable[str] | None, *,
                      now_ms: int) -> list[str]:
    """Delete these attribute keys (None: every one); the keys that were there, in order."""
    live_group(conn, group_id)
    had = attributes_of(conn, [group_id]).get(group_id, {})
    gone = list(had) if keys is None else [key for key in dict.fromkeys(keys) if key in had]
    if gone:
        conn.executemany("DELETE FROM group_attributes WHERE group_id = ? AND key = ?",
                         [(group_id, key) for key in gone])
        _bump_info(conn, group_id, now_ms)
    return gone


def attributes_of(conn: sqlite3.Connection, group_ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """The attributes of some groups (those that have any), each by key order."""
    found: dict[str, dict[str, str]] = {}
    for marks, chunk in schema.chunked(list(group_ids)):
        for group_id, key, value in conn.execute(
                f"SELECT group_id, key, value FROM group_attributes WHERE group_id IN ({marks}) "
                "ORDER BY group_id, key", chunk):
            found.setdefault(group_id, {})[key] = value
    return found


def mute_members(conn: sqlite3.Connection, group_id: str, user_ids: Sequence[str],
                 until_ms: int, *, now_ms: int) -> dict[str, MuteOutcome]:
    """Mute members until ``until_ms`` (a time at or before now unmutes); per user: muted,
    unmuted, or not a member."""
    live_group(conn, group_id)
    ids = list(dict.fromkeys(user_ids))
    present = _found(conn, "SELECT user_id FROM memberships WHERE group_id = ? "
                           "AND user_id IN ({marks})", ids, (group_id,))
    muting = until_ms > now_ms
    conn.executemany("UPDATE memberships SET mute_until_ms = ?, muted_at_ms = ? "
                     "WHERE group_id = ? AND user_id = ?",
                     [(until_ms if muting else 0, now_ms if muting else 0, group_id, user_id)
                      for user_id in ids if user_id in present])
    verb: MuteOutcome = "muted" if muting else "unmuted"
    return {user_id: verb if user_id in present else "not_member" for user_id in ids}


def muted_members(conn: sqlite3.Connection, group_id: str, now_ms: int) -> list[Membership]:
    """The members muted at ``now_ms`` (on their own), by mute end then user id."""
    group_of(conn, group_id)
    return [Membership(*row) for row in conn.execute(
        f"{_MEMBER_SELECT} WHERE group_id = ? AND mute_until_ms > ? "
        "ORDER BY mute_until_ms, user_id", (group_id, now_ms))]


def mute_all(conn: sqlite3.Connection, group_id: str, muted: bool, *, until_ms: int = 0,
             roles: Iterable[str] = ("member",), now_ms: int) -> Group:
    """Mute every member of ``roles`` until ``until_ms`` (0: until lifted), or lift the
    mute-all (``muted`` False). ValueError for an unknown role, or an end at or before now."""
    covered = sorted(set(roles), key=ROLES.index) if muted else []
    unknown = set(covered) - set(ROLES)
    if unknown:
        raise ValueError(f"not a role: {', '.join(sorted(unknown))}")
    if muted and until_ms and until_ms <= now_ms:
        raise ValueError("a mute-all must end after now (or be 0: until lifted)")
    group = live_group(conn, group_id)
    _bump_info(conn, group.id, now_ms, "mute_all = ?, mute_all_until_ms = ?, mute_all_roles = ?",
               (int(muted), until_ms if muted else 0,
                ",".join(covered) if muted else group.mute_all_roles))
    return group_of(conn, group_id)


def set_whitelist(conn: sqlite3.Connection, group_id: str, add: Sequence[str] = (),
                  remove: Sequence[str] = ()) -> list[str]:
    """Add users to and remove users from the mute-all whitelist (added first); the whole
    whitelist after, by user id. Users need not be members, nor registered."""
    live_group(conn, group_id)
    conn.executemany(schema.INSERT_WHITELISTED, [(group_id, user_id) for user_id in add])
    conn.executemany("DELETE FROM mute_whitelist WHERE group_id = ? AND user_id = ?",
                     [(group_id, user_id) for user_id in remove])
    return whitelist_of(conn, group_id)


def whitelist_of(conn: sqlite3.Connection, group_id: str) -> list[str]:
    """A group's mute-all whitelist, by user id."""
    return [row[0] for row in conn.execute(
        "SELECT user_id FROM mute_whitelist WHERE group_id = ? ORDER BY user_id", (group_id,))]


def dismiss(conn: sqlite3.Connection, group_id: str, *, keep_members: bool, now_ms: int) -> Group:
    """Dismiss a group: status "dismissed", ``dismissed_at_ms`` now; its member rows are
    kept (listed with ``include_dismissed``) or deleted (``member_count`` then 0)."""
    live_group(conn, group_id)
    if not keep_members:
        conn.execute("DELETE FROM memberships WHERE group_id = ?", (group_id,))
        conn.execute("UPDATE groups SET member_count = 0 WHERE id = ?", (group_id,))
    _bump_info(conn, group_id, now_ms,
               "status = 'dismissed', status_label = '', dismissed_at_ms = ?", (now_ms,))
    return group_of(conn, group_id)


# ---- reads ------------------------------------------------------------------------------------

def get_groups(conn: sqlite3.Connection, group_ids: Sequence[str]) -> GroupLookup:
    """Groups by id, in any status, in the order asked (repeats once); the missing ids."""
    ids = list(dict.fromkeys(group_ids))
    rows: dict[str, Group] = {}
    for marks, chunk in schema.chunked(ids):
        for row in conn.execute(f"{_GROUP_SELECT} WHERE id IN ({marks})", chunk):
            rows[row[0]] = schema.group_from_row(row)
    return GroupLookup([rows[i] for i in ids if i in rows], [i for i in ids if i not in rows])


def roles_in(conn: sqlite3.Connection, user_id: str,
             group_ids: Sequence[str]) -> dict[str, str | None]:
    """A user's role in each group (None: not a member, or no such group), in the order asked."""
    ids = list(dict.fromkeys(group_ids))
    roles: dict[str, str] = {}
    for marks, chunk in schema.chunked(ids):
        roles.update(conn.execute(
            f"SELECT group_id, role FROM memberships WHERE user_id = ? AND group_id IN ({marks})",
            (user_id, *chunk)).fetchall())
    return {group_id: roles.get(group_id) for group_id in ids}


def _cursor(member: Membership) -> str:
    return f"{member.role}:{member.join_time_ms}:{member.user_id}"


def _parse_cursor(cursor: str) -> tuple[str, int, str]:
    try:
        role, join, user_id = cursor.split(":", 2)
        if role not in ROLES:
            raise ValueError
        return role, int(join), user_id
    except ValueError:
        raise ValueError(f"not a member-page cursor: {cursor!r}") from None


# The membership fields a member page always reads: they identify and order its rows.
_PAGE_KEY_FIELDS = frozenset({"user_id", "role", "join_time_ms"})
_MEMBERSHIP_DEFAULTS: tuple[Any, ...] = tuple(
    f.default for f in dataclasses.fields(Membership))


@functools.lru_cache(maxsize=32)
def _member_reader(fields: frozenset[str] | None) -> tuple[str, Callable[..., Membership]]:
    """The columns a member page selects for ``fields`` (None: every field), and how one of
    its rows, with the page's group id, becomes a Membership (a field not read keeps its
    default). ValueError names an unknown field."""
    if fields is None:
        return ", ".join(schema.MEMBERSHIP_COLUMNS[1:]), Membership
    unknown = fields - set(schema.MEMBERSHIP_COLUMNS)
    if unknown:
        raise ValueError(f"not a membership field: {', '.join(sorted(unknown))}")
    columns = [name for name in schema.MEMBERSHIP_COLUMNS[1:]
               if name in _PAGE_KEY_FIELDS or name in fields]
    # A row is (group id, *columns, *defaults): each field's value is at one position of it.
    positions = [0 if name == "group_id" else
                 1 + columns.index(name) if name in columns else 1 + len(columns) + index
                 for index, name in enumerate(schema.MEMBERSHIP_COLUMNS)]
    pick = operator.itemgetter(*positions)

    def build(group_id: str, *row: Any) -> Membership:
        return Membership(*pick((group_id, *row, *_MEMBERSHIP_DEFAULTS)))
    return ", ".join(columns), build


def member_page(conn: sqlite3.Connection, group_id: str, *, order: str = "role",
                after: str | None = None, offset: int = 0, limit: int = 100,
                roles: Iterable[str] | None = None,
                fields: Iterable[str] | None = None) -> MemberPage:
    """A page of a group's members (GroupNotFound; a dismissed group's kept rows are read).

    ``order`` "role": the owner, the admins, then the members, each by join time then user
    id; "join": by join time then user id, whatever the role. ``after`` is the ``next`` of
    the previous page (O(log n + page)); ``offset`` skips rows first (O(offset): prefer the
    cursor). ``roles`` limits the roles listed; ``total`` counts the members under it.
    ``fields`` names the Membership fields the caller reads (None: every one): only those
    columns are read (and the user, role and join time, which order the page); the others
    keep their defaults."""
    group = group_of(conn, group_id)
    select, build = _member_reader(None if fields is None else frozenset(fields))
    if order not in ("role", "join"):
        raise ValueError(f"order is role or join, not {order!r}")
    wanted = [role for role in _ROLE_RANGES if roles is None or role in set(roles)]
    if roles is None:
        total = group.member_count
    else:
        total = sum(conn.execute("SELECT COUNT(*) FROM memberships WHERE group_id = ? "
                                 "AND role = ?", (group_id, role)).fetchone()[0]
                    for role in wanted)
    limit = max(limit, 0)
    offset = max(offset, 0)
    start = _parse_cursor(after) if after else None
    if order == "role" and limit and (start is None or not offset):
        return _role_page(conn, group_id, wanted, total, offset, limit, select, build, start)
    take = limit + offset + 1
    parts: list[str] = []
    params: list[Any] = []
    for role in wanted:
        where = "group_id = ? AND role = ?"
        part_params: list[Any] = [group_id, role]
        if start is not None:
            if order == "role":
                rank, start_rank = _ROLE_RANGES.index(role), _ROLE_RANGES.index(start[0])
                if rank < start_rank:
                    continue
                if rank == start_rank:
                    where += " AND (join_time_ms, user_id) > (?, ?)"
                    part_params += [start[1], start[2]]
            else:
                where += " AND (join_time_ms, user_id) > (?, ?)"
                part_params += [start[1], start[2]]
        parts.append(f"SELECT * FROM (SELECT {select}, "
                     f"{_ROLE_RANGES.index(role)} AS rank FROM memberships "
                     f"INDEXED BY memberships_by_group_role WHERE {where} "
                     f"ORDER BY join_time_ms, user_id LIMIT ?)")
        params += [*part_params, take]
    if not parts or limit == 0:
        return MemberPage(total, [], None)
    key = "rank, join_time_ms, user_id" if order == "role" else "join_time_ms, user_id, rank"
    rows = conn.execute(f"SELECT * FROM ({' UNION ALL '.join(parts)}) ORDER BY {key} "
                        "LIMIT ? OFFSET ?", (*params, limit + 1, offset)).fetchall()
    members = [build(group_id, *row[:-1]) for row in rows[:limit]]
    return MemberPage(total, members, _cursor(members[-1]) if len(rows) > limit else None)


def _key_at(conn: sqlite3.Connection, group_id: str, role: str,
            offset: int) -> tuple[int, str] | None:
    """The (join time, user) of the member ``offset`` rows into a role's range of a group
    (None past its end), found by skipping entries of the (group, role, join time, user)
    index alone.

    The skip starts at the group's first entry with no end bound, so SQLite compares no key
    per skipped entry (about 8 ns an entry instead of 30 with ``group_id = ? AND role = ?``):
    it skips the entries of the roles that sort before this one in the index (counted first;
    the index orders roles as bytes, "admin" < "member" < "owner") and then ``offset`` more,
    and the entry it lands on must still be this group's and role's."""
    before = conn.execute("SELECT COUNT(*) FROM memberships INDEXED BY "
                          "memberships_by_group_role WHERE group_id = ? AND role < ?",
                          (group_id, role)).fetchone()[0]
    found = conn.execute("SELECT group_id, role, join_time_ms, user_id FROM memberships "
                         "INDEXED BY memberships_by_group_role WHERE group_id >= ? "
                         "ORDER BY group_id, role, join_time_ms, user_id LIMIT 1 OFFSET ?",
                         (group_id, before + offset)).fetchone()
    if found is None or (found[0], found[1]) != (group_id, role):
        return None
    return found[2], found[3]


def _role_page(conn: sqlite3.Connection, group_id: str, wanted: list[str], total: int,
               offset: int, limit: int, select: str, build: Callable[..., Membership],
               start: tuple[str, int, str] | None = None) -> MemberPage:
    """A role-order page that starts after the cursor ``start`` (its role, join time and
    user) or ``offset`` rows in (0: the first page), read one role after the other straight
    off the (group, role, join time, user) index, so no rows are merged or sorted. From a
    cursor, the roles before the cursor's are passed over and its own is read from past its
    key. From an offset, the roles before it are counted and skipped whole (the last role
    needs no count), the page's first key is found by skipping index entries alone
    (``_key_at``), then the page is read from that key. A deep page costs an index-only skip
    instead of a sort of every row before it; a first page, or one from a cursor, about two
    thirds of a merge of the three ranges."""
    need = limit + 1
    rows: list[Membership] = []
    for position, role in enumerate(wanted):
        if start is not None and _ROLE_RANGES.index(role) < _ROLE_RANGES.index(start[0]):
            continue
        if offset and position < len(wanted) - 1:
            count = conn.execute("SELECT COUNT(*) FROM memberships INDEXED BY "
                                 "memberships_by_group_role WHERE group_id = ? AND role = ?",
                                 (group_id, role)).fetchone()[0]
            if offset >= count:
                offset -= count
                continue
        where, params = "group_id = ? AND role = ?", [group_id, role]
        if start is not None and role == start[0]:
            where += " AND (join_time_ms, user_id) > (?, ?)"
            params += [start[1], start[2]]
        elif offset:
            first = _key_at(conn, group_id, role, offset)
            if first is None:
                break
            where += " AND (join_time_ms, user_id) >= (?, ?)"
            params += list(first)
            offset = 0
        found = conn.execute(
            f"SELECT {select} FROM memberships "
            f"INDEXED BY memberships_by_group_role WHERE {where} "
            "ORDER BY join_time_ms, user_id LIMIT ?", (*params, need)).fetchall()
        rows += [build(group_id, *row) for row in found]
        need -= len(found)
        if need <= 0:
            break
    members = rows[:limit]
    return MemberPage(total, members, _cursor(members[-1]) if len(rows) > limit else None)


def group_page(conn: sqlite3.Connection, *, after: int = 0, limit: int = 1000,
               types: Iterable[str] | None = None, include_dismissed: bool = True) -> GroupPage:
    """A page of every group in the app, oldest created first (by ``serial``, the store's
    creation counter). ``after`` is the ``next`` of the previous page (0: the first page);
    groups created between pages come after those already there, so a walk lists every group
    that existed when it began exactly once. ``next`` is 0 after the last page; ``total``
    counts the groups under the filters whatever the page."""
    clauses, params = ["1"], []
    if types is not None:
        kinds = sorted(set(types))
        clauses.append(f"type IN ({', '.join('?' for _ in kinds)})" if kinds else "0")
        params += kinds
    if not include_dismissed:
        clauses.append("status != 'dismissed'")
    where = " AND ".join(clauses)
    total = conn.execute(f"SELECT COUNT(*) FROM groups WHERE {where}", params).fetchone()[0]
    limit = max(limit, 0)
    rows = conn.execute(f"SELECT {', '.join(schema.GROUP_COLUMNS)}, serial FROM groups "
                        f"INDEXED BY groups_by_serial WHERE serial > ? AND {where} "
                        "ORDER BY serial LIMIT ?", (after, *params, limit + 1)).fetchall()
    groups = [schema.group_from_row(row[:-1]) for row in rows[:limit]]
    return GroupPage(total, groups, rows[limit - 1][-1] if len(rows) > limit and limit else 0)
