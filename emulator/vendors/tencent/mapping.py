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
