"""The canonical model: users, groups and memberships, with no vendor's names or enums.

Each vendor package maps these to its own field names, enums and time units.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

GroupType = Literal["work", "public", "meeting", "avchatroom", "community"]
GroupStatus = Literal["normal", "muted", "dismissed"]
Role = Literal["owner", "admin", "member"]

GROUP_TYPES: tuple[str, ...] = ("work", "public", "meeting", "avchatroom", "community")
GROUP_STATUSES: tuple[str, ...] = ("normal", "muted", "dismissed")
ROLES: tuple[str, ...] = ("owner", "admin", "member")
APPLY_JOIN_OPTIONS: tuple[str, ...] = ("FreeAccess", "NeedPermission", "DisableApply")
MSG_FLAGS: tuple[str, ...] = ("AcceptAndNotify", "AcceptNotNotify", "Discard")
DEFAULT_MSG_FLAG = "AcceptAndNotify"
# Whether a member's invitation needs an approval, or is refused (a vendor's invite join option).
INVITE_JOIN_OPTIONS: tuple[str, ...] = ("FreeAccess", "NeedPermission", "DisableInvite")
# The roles a mute-all covers by default: members; the owner and the admins may still speak.
DEFAULT_MUTE_ALL_ROLES = "member"


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
    # Bumped by every change of the group's info (update_group_info, attributes, mute-all,
    # owner transfer, dismissal), beside ``last_info_time`` (seconds).
    info_seq: int = 0
    # A mute-all (``mute_all``) lasts until this time; 0 = until lifted. Read against the clock
    # (``mute_all_active``), never expired by a timer.
    mute_all_until_ms: int = 0
    # The roles a mute-all covers, comma-separated in role order (e.g. "admin,member").
    mute_all_roles: str = DEFAULT_MUTE_ALL_ROLES
    # Who may invite and how an invitation is admitted: the lowest role that may invite
    # ("member" = anyone, "admin" = owner and admins, "owner"), the approval an invitation needs
    # (INVITE_JOIN_OPTIONS), and whether the invited user must accept. Joining by request is
    # ``apply_join_option``.
    inviter_role: str = "member"
    invite_join_option: str = "FreeAccess"
    invitee_must_accept: bool = False
    dismissed_at_ms: int = 0
    # A caller's own finer status beside ``status`` (e.g. a vendor status the store has no
    # name for), kept as given and never read by the store; cleared whenever ``status`` is
    # written, so it only ever refines the status it was given with.
    status_label: str = ""
    # How many times the group's members or info changed (each membership added, removed or
    # changed, each info change): a change counter for clients that sync incrementally.
    # Kept by the store's triggers; 0 for a group as a fixture loaded it.
    member_version: int = 0

    def mute_all_active(self, now_ms: int) -> bool:
        """True while a mute-all is in force at ``now_ms``."""
        return self.mute_all and (self.mute_all_until_ms == 0 or now_ms < self.mute_all_until_ms)

    @property
    def muted_roles(self) -> frozenset[str]:
        """The roles a mute-all covers."""
        return frozenset(role for role in self.mute_all_roles.split(",") if role)


@dataclass(slots=True)
class Membership:
    """One user's membership of one group."""

    group_id: str
    user_id: str
    role: str = "member"
    join_time_ms: int = 0
    msg_flag: str = DEFAULT_MSG_FLAG
    unread: int = 0
    nickname: str = ""
    face_url: str = ""
    ex: str = ""
    # Muted until this time (ms); 0 = not muted. Read against the clock (``muted``).
    mute_until_ms: int = 0
    muted_at_ms: int = 0
    # Who invited the member, who added them (the user whose call did), and how they joined
    # (a caller's free label, e.g. "invitation" or "search"; "" when not told). Never read by
    # the store.
    inviter: str = ""
    operator: str = ""
    join_source: str = ""

    def muted(self, now_ms: int) -> bool:
        """True while this member's own mute is in force at ``now_ms``."""
        return self.mute_until_ms > now_ms


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
    """Everything in the store, as plain lists (the message log aside)."""

    users: list[User]
    groups: list[Group]
    memberships: list[Membership]
    # Each group's attributes and mute-all whitelist, by group id (groups that have some).
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    whitelists: dict[str, list[str]] = field(default_factory=dict)
    # Every join request, by group then user.
    join_requests: list[JoinRequest] = field(default_factory=list)

    def group_rows(self) -> list[dict[str, Any]]:
        """The groups as ``/_emulator/state`` lists them: each group's fields with its
        ``attributes`` (an object) and ``whitelist`` (user ids)."""
        rows = []
        for group in self.groups:
            row = dataclasses.asdict(group)
            row["attributes"] = self.attributes.get(group.id, {})
            row["whitelist"] = self.whitelists.get(group.id, [])
            rows.append(row)
        return rows

    def as_json(self) -> dict[str, list[dict[str, Any]]]:
        """The snapshot as ``/_emulator/state`` answers it."""
        return {"users": [dataclasses.asdict(user) for user in self.users],
                "groups": self.group_rows(),
                "memberships": [dataclasses.asdict(member) for member in self.memberships],
                "join_requests": [dataclasses.asdict(request) for request in self.join_requests]}


def muted(group: Group, member: Membership, now_ms: int, whitelisted: bool = False) -> bool:
    """Whether ``member`` may not speak in ``group`` at ``now_ms``: muted on their own, or
    covered by a mute-all in force (by role) and not on its whitelist."""
    if member.muted(now_ms):
        return True
    return (not whitelisted and member.role in group.muted_roles
            and group.mute_all_active(now_ms))


@dataclass(slots=True)
class Message:
    """One message of a group's log. ``seq`` counts from 1 in each group with no gaps;
    ``body`` is the JSON value the vendor was sent; ``client_id`` the sender's random or
    client message id (for the vendors' dedup rules), "" when none."""

    group_id: str
    seq: int
    time_ms: int
    sender: str
    vendor: str
    type: str
    body: Any
    client_id: str = ""
    recalled: bool = False
    # "message" (sent by a user or an app) or "system" (a notice the server posted about a
    # change, e.g. a member joined); history reads leave system notices out unless asked.
    kind: str = "message"

    def as_json(self) -> dict[str, Any]:
        """The message as ``GET /_emulator/messages`` answers it."""
        return {"group": self.group_id, "seq": self.seq, "time": self.time_ms,
                "sender": self.sender, "vendor": self.vendor, "type": self.type,
                "body": self.body, "recalled": self.recalled, "kind": self.kind}


@dataclass(slots=True)
class JoinRequest:
    """A user's pending or handled request to join a group (asked for, or made for them by
    an invitation that needs approval). One per (group, user): a new request replaces the
    old. ``source`` and ``ex`` are a caller's free values; ``result`` is "pending",
    "accepted" or "refused"; the handler fields are set when it is handled."""

    group_id: str
    user_id: str
    inviter: str = ""
    message: str = ""
    source: str = ""
    ex: str = ""
    requested_at_ms: int = 0
    result: str = "pending"
    handler: str = ""
    handle_message: str = ""
    handled_at_ms: int = 0


@dataclass(slots=True)
class JoinRequestPage:
    """A page of join requests, newest first, and the total under the filters."""

    total: int
    rows: list[JoinRequest]


@dataclass(slots=True)
class GroupLookup:
    """``get_groups``: the groups found, in the order asked, and the ids not found."""

    groups: list[Group]
    missing: list[str]


@dataclass(slots=True)
class MemberPage:
    """A page of a group's members: the total under the page's role filter, the rows, and
    the cursor of the next page (None when this is the last)."""

    total: int
    rows: list[Membership]
    next: str | None = None


@dataclass(slots=True)
class GroupPage:
    """A page of every group in the app: the total under the filter, the groups, and the
    cursor of the next page (0 when this is the last)."""

    total: int
    groups: list[Group]
    next: int = 0


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the change log (``GroupStore.changes_since``): the element a change
    touched (a member's user id, a group id, or "" for a group itself), the version of its
    latest change, and what that change was: ``insert``, ``delete`` or ``update``."""

    element: str
    version: int
    state: str
