"""Tencent's names for the canonical model: group types, roles, and the group fields that
``ResponseFilter`` can ask for (old and new names both).

Group types: Tencent ``Public`` is ``public``; ``Private`` and its newer name ``Work`` are
``work``; ``ChatRoom`` and its newer name ``Meeting`` are ``meeting``; ``AVChatRoom`` is
``avchatroom``; ``Community`` is ``community``. The ``Type`` reported is the older name of the
get_joined_group_list filter table (``Private``, ``ChatRoom``). ``BChatRoom`` is a valid filter
that matches nothing (the store has no such type).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson

from emulator.store.models import Group, Membership

TYPE_FROM_TENCENT: dict[str, str] = {
    "Public": "public",
    "Private": "work",
    "Work": "work",
    "ChatRoom": "meeting",
    "Meeting": "meeting",
    "AVChatRoom": "avchatroom",
    "Community": "community",
}
TYPE_TO_TENCENT: dict[str, str] = {
    "public": "Public",
    "work": "Private",
    "meeting": "ChatRoom",
    "avchatroom": "AVChatRoom",
    "community": "Community",
}
FILTER_ONLY_TYPES: frozenset[str] = frozenset({"BChatRoom"})
ROLE_TO_TENCENT: dict[str, str] = {"owner": "Owner", "admin": "Admin", "member": "Member"}
ROLE_FROM_TENCENT: dict[str, str] = {"Admin": "admin", "Member": "member"}


def _muted(group: Group) -> str:
    return "On" if group.mute_all or group.status == "muted" else "Off"


BASE_FIELDS: dict[str, Callable[[Group], Any]] = {
    "Type": lambda g: TYPE_TO_TENCENT.get(g.type, g.type),
    "Name": lambda g: g.name,
    "Introduction": lambda g: g.introduction,
    "Notification": lambda g: g.notification,
    "FaceUrl": lambda g: g.face_url,
    "CreateTime": lambda g: g.create_time_ms // 1000,
    "Owner_Account": lambda g: g.owner,
    "LastInfoTime": lambda g: g.last_info_time,
    "LastMsgTime": lambda g: g.last_msg_time,
    "NextMsgSeq": lambda g: g.next_msg_seq,
    "MemberNum": lambda g: g.member_count,
    "MaxMemberNum": lambda g: g.max_members,
    "ApplyJoinOption": lambda g: g.apply_join_option,
    "ShutUpAllMember": _muted,
    "MuteAllMember": _muted,
}

BASE_FIELD_COLUMNS: dict[str, frozenset[str]] = {
    "Type": frozenset({"type"}),
    "Name": frozenset({"name"}),
    "Introduction": frozenset({"introduction"}),
    "Notification": frozenset({"notification"}),
    "FaceUrl": frozenset({"face_url"}),
    "CreateTime": frozenset({"create_time_ms"}),
    "Owner_Account": frozenset({"owner"}),
    "LastInfoTime": frozenset({"last_info_time"}),
    "LastMsgTime": frozenset({"last_msg_time"}),
    "NextMsgSeq": frozenset({"next_msg_seq"}),
    "MemberNum": frozenset({"member_count"}),
    "MaxMemberNum": frozenset({"max_members"}),
    "ApplyJoinOption": frozenset({"apply_join_option"}),
    "ShutUpAllMember": frozenset({"mute_all", "status"}),
    "MuteAllMember": frozenset({"mute_all", "status"}),
}

SELF_FIELDS: dict[str, Callable[[Membership], Any]] = {
    "Role": lambda m: ROLE_TO_TENCENT.get(m.role, "Member"),
    "JoinTime": lambda m: m.join_time_ms // 1000,
    "MsgFlag": lambda m: m.msg_flag,
    "UnreadMsgNum": lambda m: m.unread,
    "MsgSeq": lambda m: m.unread,
}
SELF_FIELD_COLUMNS: dict[str, frozenset[str]] = {
    "Role": frozenset({"role"}),
    "JoinTime": frozenset({"join_time_ms"}),
    "MsgFlag": frozenset({"msg_flag"}),
    "UnreadMsgNum": frozenset({"unread"}),
    "MsgSeq": frozenset({"unread"}),
}


def group_columns(base_fields: Iterable[str]) -> frozenset[str]:
    """The store's group fields that rendering these ``GroupBaseInfoFilter`` names reads."""
    return frozenset().union(*(BASE_FIELD_COLUMNS[name] for name in base_fields))


def member_columns(self_fields: Iterable[str]) -> frozenset[str]:
    """The store's membership fields that rendering these ``SelfInfoFilter`` names reads."""
    return frozenset().union(*(SELF_FIELD_COLUMNS[name] for name in self_fields))


# App-defined data (``AppDefinedData``, ``AppMemberDefinedData``): Tencent's list of
# ``{"Key", "Value"}`` pairs, kept in the canonical ``ex`` string as a JSON object (key ->
# value). An ``ex`` another vendor wrote that is not such an object reads as no data.
def defined_data(ex: str) -> dict[str, str]:
    """The key -> value pairs an ``ex`` string holds (empty when it holds none)."""
    if not ex.startswith("{"):
        return {}
    try:
        value = orjson.loads(ex)
    except orjson.JSONDecodeError:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def defined_ex(data: dict[str, str]) -> str:
    """The ``ex`` string of key -> value pairs."""
    return orjson.dumps(data).decode() if data else ""


def defined_list(data: dict[str, str], keys: Iterable[str] | None = None) -> list[dict[str, str]]:
    """Tencent's ``[{"Key", "Value"}]`` list, limited to ``keys`` when given."""
    wanted = None if keys is None else set(keys)
    return [{"Key": key, "Value": value} for key, value in data.items()
            if wanted is None or key in wanted]


# The fields of a group member, in the documented order; ``MuteUntil`` is the newer name of
# ``ShutUpUntil`` and is answered only when a MemberInfoFilter asks for it by that name.
MEMBER_FIELDS: tuple[str, ...] = ("Role", "JoinTime", "MsgSeq", "MsgFlag", "LastSendMsgTime",
                                  "ShutUpUntil", "NameCard")
MEMBER_FIELD_ALIASES: dict[str, str] = {"MuteUntil": "ShutUpUntil"}
# What rendering a member reads from the store (besides the account), per field.
MEMBER_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "Role": ("role",), "JoinTime": ("join_time_ms",), "MsgSeq": ("unread",),
    "MsgFlag": ("msg_flag",), "LastSendMsgTime": (), "ShutUpUntil": ("mute_until_ms",),
    "NameCard": ("nickname",)}


class MemberRows:
    """Renders ``MemberList`` items for one request: ``Member_Account``, the fields asked in
    documented order (every one when ``fields`` is None; unknown names are ignored), then
    ``AppMemberDefinedData`` when ``app_keys`` is given and the member has some of them.
    ``MsgSeq`` is the seq of the last message the member read (the newest minus their unread
    count); ``ShutUpUntil`` their own mute's end (seconds), 0 when not muted.

    What a filter selects is decided here, once; ``row`` then builds each member's dict in
    one expression (a page of 100 rows is rendered in about 40 us)."""

    def __init__(self, group: Group, now_ms: int, fields: Iterable[str] | None,
                 app_keys: Iterable[str] | None) -> None:
        self.last_seq = group.next_msg_seq - 1
        self.now_ms = now_ms
        if fields is None:
            self.names: tuple[str, ...] | None = None
        else:
            asked = set(fields)
            self.names = tuple(name for name in (*MEMBER_FIELDS, *MEMBER_FIELD_ALIASES)
                               if name in asked)
        self.app_keys = None if app_keys is None else tuple(app_keys)

    @property
    def columns(self) -> frozenset[str]:
        """The membership fields these rows read (for a store read of only those)."""
        names = MEMBER_FIELDS if self.names is None else self.names
        columns = {column for name in names
                   for column in MEMBER_FIELD_COLUMNS[MEMBER_FIELD_ALIASES.get(name, name)]}
        if self.app_keys is not None:
            columns.add("ex")
        return frozenset(columns)

    def row(self, member: Membership) -> dict[str, Any]:
        """One member's item."""
        mute_until = member.mute_until_ms // 1000 if member.mute_until_ms > self.now_ms else 0
        full: dict[str, Any] = {
            "Member_Account": member.user_id,
            "Role": ROLE_TO_TENCENT.get(member.role, "Member"),
            "JoinTime": member.join_time_ms // 1000,
            "MsgSeq": max(0, self.last_seq - member.unread),
            "MsgFlag": member.msg_flag,
            "LastSendMsgTime": 0,
            "ShutUpUntil": mute_until,
            "NameCard": member.nickname,
        }
        if self.names is not None:
            full["MuteUntil"] = mute_until
            full = {"Member_Account": member.user_id,
                    **{name: full[name] for name in self.names}}
        if self.app_keys is not None:
            data = defined_list(defined_data(member.ex), self.app_keys)
            if data:
                full["AppMemberDefinedData"] = data
        return full
