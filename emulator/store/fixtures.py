"""Fixture files: parse, validate and turn into canonical users, groups and memberships.

A fixture is one JSON object with ``users``, ``groups`` and ``messages`` (see
docs/fixtures.md).
Unknown keys are errors, and every error names the file, the entry and the field, e.g.
``fixtures/x.json: groups[3].owner: user 'zed' is not defined``.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from emulator.store.models import (APPLY_JOIN_OPTIONS, DEFAULT_MSG_FLAG, GROUP_STATUSES,
                                   GROUP_TYPES, MSG_FLAGS, Group, Membership, User)

USER_KEYS = {"id", "name", "faceURL", "ex", "createTime"}
GROUP_KEYS = {
    "id", "name", "type", "status", "activated", "owner", "creator", "admins", "members",
    "createTime", "introduction", "notification", "faceURL", "ex", "maxMembers",
    "applyJoinOption", "muteAll", "needVerification", "lookMemberInfo", "applyMemberFriend",
    "lastInfoTime", "lastMsgTime", "nextMsgSeq", "notificationUpdateTime", "notificationUserID",
    "attributes", "muteAllUntil", "whitelist",
}
MEMBER_KEYS = {"id", "joinTime", "msgFlag", "unread", "nickname", "faceURL", "ex", "muteUntil"}
MESSAGE_KEYS = {"group", "sender", "time", "type", "body"}
TOP_KEYS = {"users", "groups", "messages"}
# The vendor recorded for a fixture's messages.
FIXTURE_VENDOR = "fixture"

# A membership as the fields of Membership in order (group_id, user_id, role, join_time_ms,
# msg_flag, unread): fixtures go to SQLite as these tuples, with no object per membership.
MembershipRow = tuple[str, str, str, int, str, int]
# A member's details, in the parameter order of ``schema.SET_MEMBER_DETAILS``: nickname,
# face_url, ex, mute_until_ms, muted_at_ms, group_id, user_id.
MemberDetails = tuple[str, str, str, int, int, str, str]
# A message as the parameters of ``schema.INSERT_MESSAGE`` (body as JSON text).
MessageRow = tuple[str, int, int, str, str, str, str, str, int]


class FixtureError(ValueError):
    """A fixture that cannot be loaded; ``str()`` is ``source: path: message``."""

    def __init__(self, source: str, path: str, message: str) -> None:
        self.source = source
        self.path = path
        self.message = message
        super().__init__(f"{source}: {path}: {message}" if path else f"{source}: {message}")

    def as_json(self) -> dict[str, str]:
        """The error as the admin API returns it."""
        return {"error": str(self), "source": self.source, "path": self.path,
                "message": self.message}


@dataclass(slots=True)
class FixtureData:
    """A validated fixture in the canonical model."""

    users: list[User] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    # Every membership, group by group: the owner, then the admins, then the members.
    membership_rows: list[MembershipRow] = field(default_factory=list)
    # The details of the members that have any (most have none), set after the rows.
    member_details: list[MemberDetails] = field(default_factory=list)
    # (group_id, key, value) and (group_id, user_id) rows.
    attributes: list[tuple[str, str, str]] = field(default_factory=list)
    whitelist: list[tuple[str, str]] = field(default_factory=list)
    # The message log, in fixture order (each group's seqs from its nextMsgSeq, default 1).
    messages: list[MessageRow] = field(default_factory=list)

    @property
    def memberships(self) -> list[Membership]:
        """The memberships as objects, with their details (built on each call)."""
        details = {(row[5], row[6]): row[:5] for row in self.member_details}
        return [Membership(*row, *details.get((row[0], row[1]), ())) for row in self.membership_rows]


class _Reader:
    """Walks one fixture object, collecting canonical rows and raising FixtureError."""

    def __init__(self, source: str, now_ms: int) -> None:
        self.source = source
        self.now_ms = now_ms
        self.details: list[MemberDetails] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.whitelist: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> FixtureError:
        return FixtureError(self.source, path, message)

    def check_keys(self, obj: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in obj:
            if key not in allowed:
                where = f"{path}.{key}" if path else key
                raise self.fail(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")

    def string(self, obj: dict[str, Any], key: str, path: str, default: str | None = None,
               *, non_empty: bool = False) -> str:
        if key not in obj:
            if default is None:
                raise self.fail(f"{path}.{key}", "is required")
            return default
        value = obj[key]
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", f"must be a string, not {_kind(value)}")
        if non_empty and not value:
            raise self.fail(f"{path}.{key}", "must not be empty")
        return value

    def integer(self, obj: dict[str, Any], key: str, path: str, default: int) -> int:
        value = obj.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"{path}.{key}", f"must be an integer, not {_kind(value)}")
        if value < 0:
            raise self.fail(f"{path}.{key}", "must not be negative")
        return value

    def boolean(self, obj: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", f"must be true or false, not {_kind(value)}")
        return value

    def choice(self, obj: dict[str, Any], key: str, path: str, choices: tuple[str, ...],
               default: str | None = None) -> str:
        value = self.string(obj, key, path, default)
        if value not in choices:
            raise self.fail(f"{path}.{key}", f"'{value}' is not one of {', '.join(choices)}")
        return value

    def user(self, raw: Any, path: str) -> User:
        if not isinstance(raw, dict):
            raise self.fail(path, f"must be an object, not {_kind(raw)}")
        self.check_keys(raw, USER_KEYS, path)
        return User(
            id=self.string(raw, "id", path, non_empty=True),
            name=self.string(raw, "name", path, ""),
            face_url=self.string(raw, "faceURL", path, ""),
            ex=self.string(raw, "ex", path, ""),
            created_at=self.integer(raw, "createTime", path, self.now_ms),
        )

    def member(self, raw: Any, path: str, group_id: str, role: str,
               default_join: int) -> MembershipRow:
        if isinstance(raw, str):
            if not raw:
                raise self.fail(path, "must not be empty")
            return (group_id, raw, role, default_join, DEFAULT_MSG_FLAG, 0)
        if not isinstance(raw, dict):
            raise self.fail(path, f"must be a user id or an object, not {_kind(raw)}")
        self.check_keys(raw, MEMBER_KEYS, path)
        row = (group_id, self.string(raw, "id", path, non_empty=True), role,
               self.integer(raw, "joinTime", path, default_join),
               self.choice(raw, "msgFlag", path, MSG_FLAGS, DEFAULT_MSG_FLAG),
               self.integer(raw, "unread", path, 0))
        nickname = self.string(raw, "nickname", path, "")
        face_url = self.string(raw, "faceURL", path, "")
        ex = self.string(raw, "ex", path, "")
        mute_until = self.integer(raw, "muteUntil", path, 0)
        if nickname or face_url or ex or mute_until:
            self.details.append((nickname, face_url, ex, mute_until,
                                 self.now_ms if mute_until else 0, group_id, row[1]))
        return row

    def member_list(self, raw: dict[str, Any], key: str, path: str, group_id: str, role: str,
                    default_join: int) -> list[MembershipRow]:
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{path}.{key}", f"must be a list, not {_kind(value)}")
        return [self.member(item, f"{path}.{key}[{i}]", group_id, role, default_join)
                for i, item in enumerate(value)]

    def group(self, raw: Any, path: str) -> tuple[Group, list[MembershipRow]]:
        """The full validator of a group: the group and its memberships (owner first, then
        the admins, then the members), or the FixtureError of its first invalid field."""
        if not isinstance(raw, dict):
            raise self.fail(path, f"must be an object, not {_kind(raw)}")
        self.check_keys(raw, GROUP_KEYS, path)
        text, number, flag = self.string, self.integer, self.boolean
        group_id = text(raw, "id", path, non_empty=True)
        create_time = number(raw, "createTime", path, self.now_ms)
        group = Group(
            id=group_id,
            name=text(raw, "name", path),
            type=self.choice(raw, "type", path, GROUP_TYPES),
            owner=text(raw, "owner", path, non_empty=True),
            creator=text(raw, "creator", path, ""),
            introduction=text(raw, "introduction", path, ""),
            notification=text(raw, "notification", path, ""),
            face_url=text(raw, "faceURL", path, ""),
            ex=text(raw, "ex", path, ""),
            status=self.choice(raw, "status", path, GROUP_STATUSES, "normal"),
            activated=flag(raw, "activated", path, True),
            need_verification=number(raw, "needVerification", path, 0),
            look_member_info=number(raw, "lookMemberInfo", path, 0),
            apply_member_friend=number(raw, "applyMemberFriend", path, 0),
            apply_join_option=self.choice(raw, "applyJoinOption", path, APPLY_JOIN_OPTIONS,
                                          "NeedPermission"),
            max_members=number(raw, "maxMembers", path, 2000),
            mute_all=flag(raw, "muteAll", path, False),
            create_time_ms=create_time,
            last_info_time=number(raw, "lastInfoTime", path, create_time // 1000),
            last_msg_time=number(raw, "lastMsgTime", path, 0),
            next_msg_seq=number(raw, "nextMsgSeq", path, 1),
            notification_update_time=number(raw, "notificationUpdateTime", path, 0),
            notification_user_id=text(raw, "notificationUserID", path, ""),
            mute_all_until_ms=number(raw, "muteAllUntil", path, 0),
        )
        if "muteAllUntil" in raw and "muteAll" not in raw:
            group.mute_all = group.mute_all_until_ms > 0
        self.group_attributes(raw, path, group_id)
        self.group_whitelist(raw, path, group_id)
        if not group.activated and group.type != "work":
            raise self.fail(f"{path}.activated", "only work groups can be not activated")
        members = [(group_id, group.owner, "owner", create_time, DEFAULT_MSG_FLAG, 0)]
        members += self.member_list(raw, "admins", path, group_id, "admin", create_time)
        members += self.member_list(raw, "members", path, group_id, "member", create_time)
        return group, members

    def group_attributes(self, raw: dict[str, Any], path: str, group_id: str) -> None:
        value = raw.get("attributes", {})
        if not isinstance(value, dict):
            raise self.fail(f"{path}.attributes", f"must be an object, not {_kind(value)}")
        for key, item in value.items():
            if not isinstance(item, str):
                raise self.fail(f"{path}.attributes.{key}", f"must be a string, not {_kind(item)}")
            self.attributes.append((group_id, key, item))

    def group_whitelist(self, raw: dict[str, Any], path: str, group_id: str) -> None:
        value = raw.get("whitelist", [])
        if not isinstance(value, list):
            raise self.fail(f"{path}.whitelist", f"must be a list, not {_kind(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise self.fail(f"{path}.whitelist[{i}]", "must be a user id (a non-empty string)")
            self.whitelist.append((group_id, item))

    def message(self, raw: Any, path: str) -> tuple[str, str, int, str, Any]:
        """A message's group, sender, time, type and body."""
        if not isinstance(raw, dict):
            raise self.fail(path, f"must be an object, not {_kind(raw)}")
        self.check_keys(raw, MESSAGE_KEYS, path)
        if "body" not in raw:
            raise self.fail(f"{path}.body", "is required")
        return (self.string(raw, "group", path, non_empty=True),
                self.string(raw, "sender", path, non_empty=True),
                self.integer(raw, "time", path, self.now_ms),
                self.string(raw, "type", path, "text"), raw["body"])

    def check_members(self, group: Group, members: list[MembershipRow], path: str) -> set[str]:
        """Refuse a user named twice in a group; set its ``member_count``; the user ids."""
        user_ids = {member[1] for member in members}
        if len(user_ids) != len(members):
            seen: dict[str, str] = {}
            for index, (_, user_id, role, *_rest) in enumerate(members):
                if user_id in seen:
                    raise self.fail(_member_path(path, members, index),
                                    f"user '{user_id}' is already in the group as "
                                    f"{seen[user_id]}")
                seen[user_id] = role
        group.member_count = len(members)
        return user_ids


# The fast path: groups with only these keys, whose members are all plain (a non-empty user id,
# or an object of a non-empty string "id" and at most a non-negative integer "joinTime").
_PLAIN_GROUP_KEYS = frozenset({"id", "name", "type", "owner", "createTime", "status",
                               "activated", "admins", "members"})
_PLAIN_MEMBER_KEYS = frozenset({"id", "joinTime"})


def _plain_rows(value: Any, group_id: str, role: str, join: int) -> list[MembershipRow] | None:
    """The memberships of a member list if every entry is plain; else None."""
    if type(value) is not list:
        return None
    plain = _PLAIN_MEMBER_KEYS
    rows = [(group_id, item, role, join, DEFAULT_MSG_FLAG, 0) if type(item) is str and item
            else (group_id, user_id, role, joined, DEFAULT_MSG_FLAG, 0)
            if (type(item) is dict and item.keys() <= plain
                and type(user_id := item.get("id")) is str and user_id
                and type(joined := item.get("joinTime", join)) is int and joined >= 0)
            else None
            for item in value]
    return None if None in rows else rows  # type: ignore[return-value]


def _fast_group(raw: Any, now_ms: int) -> tuple[Group, list[MembershipRow]] | None:
    """What ``_Reader.group`` makes of a group of only common keys, valid values and plain
    members, without its per-field calls (a big fixture has a million members); None for
    any other group, which the full validator then reads and words the error of. The
    hypothesis test in tests/store/test_fixture_loading.py proves the two agree."""
    if type(raw) is not dict or not raw.keys() <= _PLAIN_GROUP_KEYS:
        return None
    group_id, name = raw.get("id"), raw.get("name")
    group_type, owner = raw.get("type"), raw.get("owner")
    create_time = raw.get("createTime", now_ms)
    status, activated = raw.get("status", "normal"), raw.get("activated", True)
    if not (type(group_id) is str and group_id and type(name) is str
            and type(group_type) is str and group_type in GROUP_TYPES
            and type(owner) is str and owner
            and type(create_time) is int and create_time >= 0
            and type(status) is str and status in GROUP_STATUSES
            and type(activated) is bool and (activated or group_type == "work")):
        return None
    admins = _plain_rows(raw.get("admins", []), group_id, "admin", create_time)
    members = _plain_rows(raw.get("members", []), group_id, "member", create_time)
    if admins is None or members is None:
        return None
    group = Group(id=group_id, name=name, type=group_type, owner=owner, status=status,
                  activated=activated, create_time_ms=create_time,
                  last_info_time=create_time // 1000, next_msg_seq=1)
    return group, [(group_id, owner, "owner", create_time, DEFAULT_MSG_FLAG, 0),
                   *admins, *members]


def _member_path(path: str, members: list[MembershipRow], index: int) -> str:
    """The fixture path of the index-th membership built for a group (owner first)."""
    role = members[index][2]
    if role == "owner":
        return f"{path}.owner"
    key = "admins" if role == "admin" else "members"
    position = sum(1 for m in members[:index] if m[2] == role)
    return f"{path}.{key}[{position}]"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects; otherwise it
    runs hundreds of times over a large fixture and costs more than the parsing itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_fixture(raw: Any, *, source: str, now_ms: int,
                  known_users: Callable[[Iterable[str]], set[str]] | None = None,
                  fast: bool = True) -> FixtureData:
    """Validate a fixture object and return it in the canonical model.

    ``known_users`` tells which of some user ids already exist outside this fixture (used by
    ``POST /_emulator/seed``); without it every user named must be defined in the fixture.
    ``fast`` False reads every group with the full validator, never the fast path (the
    answer and any error are the same; the tests compare the two).
    """
    with gc_paused():
        return _parse(raw, source, now_ms, known_users, fast)


def _parse(raw: Any, source: str, now_ms: int,
           known_users: Callable[[Iterable[str]], set[str]] | None, fast: bool) -> FixtureData:
    reader = _Reader(source, now_ms)
    if not isinstance(raw, dict):
        raise reader.fail("", f"a fixture must be a JSON object, not {_kind(raw)}")
    reader.check_keys(raw, TOP_KEYS, "")
    data = FixtureData()
    users_raw = raw.get("users", [])
    groups_raw = raw.get("groups", [])
    messages_raw = raw.get("messages", [])
    for key, value in (("users", users_raw), ("groups", groups_raw), ("messages", messages_raw)):
        if not isinstance(value, list):
            raise reader.fail(key, f"must be a list, not {_kind(value)}")
    user_index: dict[str, int] = {}
    for i, item in enumerate(users_raw):
        user = reader.user(item, f"users[{i}]")
        if user.id in user_index:
            raise reader.fail(f"users[{i}].id",
                              f"user '{user.id}' is already defined at users[{user_index[user.id]}]")
        user_index[user.id] = i
        data.users.append(user)
    group_index: dict[str, int] = {}
    pending: list[tuple[str, str]] = []
    for i, item in enumerate(groups_raw):
        path = f"groups[{i}]"
        found = _fast_group(item, now_ms) if fast else None
        group, members = found if found is not None else reader.group(item, path)
        user_ids = reader.check_members(group, members, path)
        if group.id in group_index:
            raise reader.fail(f"{path}.id",
                              f"group '{group.id}' is already defined at groups[{group_index[group.id]}]")
        group_index[group.id] = i
        if not user_index.keys() >= user_ids:
            for index, member in enumerate(members):
                if member[1] not in user_index:
                    pending.append((_member_path(path, members, index), member[1]))
        data.groups.append(group)
        data.membership_rows.extend(members)
    for group_id, user_id in reader.whitelist:
        if user_id not in user_index:
            i = group_index[group_id]
            position = [u for g, u in reader.whitelist if g == group_id].index(user_id)
            pending.append((f"groups[{i}].whitelist[{position}]", user_id))
    if pending:
        outside = known_users({user_id for _, user_id in pending}) if known_users else set()
        for where, user_id in pending:
            if user_id not in outside:
                raise reader.fail(where, f"user '{user_id}' is not defined")
    data.member_details = reader.details
    data.attributes = reader.attributes
    data.whitelist = list(dict.fromkeys(reader.whitelist))
    if messages_raw:
        _read_messages(reader, messages_raw, data, group_index)
    return data


def _read_messages(reader: _Reader, messages_raw: list[Any], data: FixtureData,
                   group_index: dict[str, int]) -> None:
    """Number a fixture's messages in order, each group's from its nextMsgSeq, and move the
    group's ``next_msg_seq`` and ``last_msg_time`` (seconds) past them."""
    groups = {group.id: group for group in data.groups}
    for i, item in enumerate(messages_raw):
        path = f"messages[{i}]"
        group_id, sender, time_ms, kind, body = reader.message(item, path)
        group = groups.get(group_id)
        if group is None:
            raise reader.fail(f"{path}.group", f"group '{group_id}' is not defined")
        seq = max(group.next_msg_seq, 1)
        group.next_msg_seq = seq + 1
        group.last_msg_time = max(group.last_msg_time, time_ms // 1000)
        data.messages.append((group_id, seq, time_ms, sender, FIXTURE_VENDOR, kind,
                              body_text(body), "", 0))


def body_text(body: Any) -> str:
    """A message body as the JSON text the log keeps."""
    try:
        return orjson.dumps(body).decode()
    except TypeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def load_fixture_file(path: Path, *, now_ms: int) -> FixtureData:
    """Read, parse and validate a fixture file."""
    source = str(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise FixtureError(source, "", f"cannot read the file: {exc.strerror or exc}") from None
    with gc_paused():
        try:
            raw = orjson.loads(content)
        except orjson.JSONDecodeError:
            raw = _strict_json(source, content)
        return parse_fixture(raw, source=source, now_ms=now_ms)


def _strict_json(source: str, content: bytes) -> Any:
    """What the standard json module makes of a file orjson refused: the same value where it
    accepts more (NaN, huge integers, lone surrogates), or its error message."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise FixtureError(source, "", "the file is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(source, "", f"not valid JSON: {exc.msg} at line {exc.lineno} "
                                       f"column {exc.colno}") from None
