"""The canonical model: users, groups and memberships, with no vendor's names or enums.

Each vendor package maps these to its own field names, enums and time units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

GroupType = Literal["work", "public", "meeting", "avchatroom", "community"]
GroupStatus = Literal["normal", "muted", "dismissed"]
Role = Literal["owner", "admin", "member"]

GROUP_TYPES: tuple[str, ...] = ("work", "public", "meeting", "avchatroom", "community")
GROUP_STATUSES: tuple[str, ...] = ("normal", "muted", "dismissed")
ROLES: tuple[str, ...] = ("owner", "admin", "member")
APPLY_JOIN_OPTIONS: tuple[str, ...] = ("FreeAccess", "NeedPermission", "DisableApply")
MSG_FLAGS: tuple[str, ...] = ("AcceptAndNotify", "AcceptNotNotify", "Discard")
DEFAULT_MSG_FLAG = "AcceptAndNotify"


@dataclass(slots=True)
class User:
    """A registered user."""

    id: str
    name: str = ""
    face_url: str = ""
    ex: str = ""
    created_at: int = 0


@dataclass(slots=True)
class Group:
    """A group and its profile. ``member_count`` is kept by the store."""

    id: str
    name: str
    type: str
    owner: str
    creator: str = ""
    introduction: str = ""
    notification: str = ""
    face_url: str = ""
    ex: str = ""
    status: str = "normal"
    activated: bool = True
    need_verification: int = 0
    look_member_info: int = 0
    apply_member_friend: int = 0
    apply_join_option: str = "NeedPermission"
    max_members: int = 2000
    mute_all: bool = False
    create_time_ms: int = 0
    last_info_time: int = 0
    last_msg_time: int = 0
    next_msg_seq: int = 0
    notification_update_time: int = 0
    notification_user_id: str = ""
    member_count: int = 0


@dataclass(slots=True)
class Membership:
    """One user's membership of one group."""

    group_id: str
    user_id: str
    role: str = "member"
    join_time_ms: int = 0
    msg_flag: str = DEFAULT_MSG_FLAG
    unread: int = 0


@dataclass(slots=True)
class JoinedGroup:
    """A row of a user's joined-groups page: the group with the user's own membership."""

    group: Group
    membership: Membership


@dataclass(frozen=True, slots=True)
class JoinedQuery:
    """Which of a user's groups to list, in which order, and which slice.

    ``order`` is ``"join"`` (join time, then group id) or ``"name"`` (name, then create time,
    then group id; byte order). ``types`` limits the group types (None: all).
    ``include_inactive`` False leaves out groups that are not activated.

    ``group_fields`` and ``member_fields`` name the ``Group`` and ``Membership`` fields the
    caller reads (None: every field); the store reads only those columns. The ids (the
    group's id, the membership's group and user) and the join time are always read; a field
    not named keeps its dataclass default (an empty string for the group's name, type and
    owner, which have none), so a caller must name every field it renders.
    """

    user_id: str
    include_dismissed: bool = False
    include_inactive: bool = True
    types: frozenset[str] | None = None
    order: Literal["join", "name"] = "join"
    offset: int = 0
    limit: int | None = None
    group_fields: frozenset[str] | None = None
    member_fields: frozenset[str] | None = None


@dataclass(slots=True)
class JoinedPage:
    """A page of a user's groups and the total that matches the query whatever the slice."""

    total: int
    rows: list[JoinedGroup] = field(default_factory=list)


@dataclass(slots=True)
class Snapshot:
    """Everything in the store, as plain lists."""

    users: list[User]
    groups: list[Group]
    memberships: list[Membership]
