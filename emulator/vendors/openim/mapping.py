"""How the canonical store model reads as OpenIM's ``sdkws.GroupInfo`` and back.

groupType: work 2 (working group, the only type OpenIM v3 creates); avchatroom and community 1
(super group); public and meeting 0 (normal group). status: normal 0, muted 3, dismissed 2; on
create, 1 (ban-chat) and 3 are stored as muted, 2 as dismissed, anything else as normal, and a
status the store's status does not read back as is kept in the group's ``status_label`` (which
the store clears whenever the status changes). A member's joinSource is the store's
``join_source`` label: admin 1, invitation 2, search 3, QR code 4 ("" reads 0).
needVerification 2 (join directly) is the store's apply_join_option FreeAccess; 0 and 1 are
NeedPermission.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import VendorError
from emulator.store.models import Group, Membership, User
from emulator.vendors.openim.errors import DISMISSED_ALREADY, RECORD_NOT_FOUND, oim_error

WORKING_GROUP = 2
GROUP_TYPES: dict[str, int] = {"work": 2, "avchatroom": 1, "community": 1, "public": 0,
                               "meeting": 0}
STATUSES: dict[str, int] = {"normal": 0, "muted": 3, "dismissed": 2}
STORED_STATUS: dict[int, str] = {0: "normal", 1: "muted", 2: "dismissed", 3: "muted"}
GROUP_INFO_FIELDS: frozenset[str] = frozenset({"status_label",
    "name", "notification", "introduction", "face_url", "owner", "create_time_ms",
    "member_count", "ex", "status", "creator", "type", "need_verification", "look_member_info",
    "apply_member_friend", "notification_update_time", "notification_user_id"})
JOIN_DIRECTLY = 2
ROLE_LEVELS: dict[str, int] = {"owner": 100, "admin": 60, "member": 20}


def status_of(group: Group) -> int:
    """The group's OpenIM status: its label when it has one, else its store status's."""
    if group.status_label.lstrip("-").isdecimal():
        return int(group.status_label)
    return STATUSES.get(group.status, 0)


def status_label(status: int) -> str:
    """What the store keeps beside the status a requested OpenIM status is kept as: the
    number, unless the store status already reads back as it."""
    return "" if STATUSES.get(stored_status(status)) == status else str(status)


def group_info(group: Group) -> dict[str, Any]:
    """A stored group as OpenIM's GroupInfo, every field present, in OpenIM's key order (it
    reads the id and ``GROUP_INFO_FIELDS``)."""
    return {
        "groupID": group.id,
        "groupName": group.name,
        "notification": group.notification,
        "introduction": group.introduction,
        "faceURL": group.face_url,
        "ownerUserID": group.owner,
        "createTime": group.create_time_ms,
        "memberCount": group.member_count,
        "ex": group.ex,
        "status": status_of(group),
        "creatorUserID": group.creator,
        "groupType": GROUP_TYPES.get(group.type, WORKING_GROUP),
        "needVerification": group.need_verification,
        "lookMemberInfo": group.look_member_info,
        "applyMemberFriend": group.apply_member_friend,
        "notificationUpdateTime": group.notification_update_time,
        "notificationUserID": group.notification_user_id,
    }


def stored_status(status: int) -> str:
    """The store status a requested OpenIM status is kept as."""
    return STORED_STATUS.get(status, "normal")


def apply_join_option(need_verification: int) -> str:
    """The store's apply_join_option for an OpenIM needVerification value."""
    return "FreeAccess" if need_verification == JOIN_DIRECTLY else "NeedPermission"


def role_level(role: str) -> int:
    """The OpenIM roleLevel of a store role."""
    return ROLE_LEVELS.get(role, ROLE_LEVELS["member"])


# joinSource (constant.JoinByAdmin ... JoinByQRCode) and the store's join_source labels.
JOIN_SOURCES: dict[int, str] = {1: "admin", 2: "invitation", 3: "search", 4: "qrcode"}
JOIN_SOURCE_LABELS: dict[str, int] = {label: code for code, label in JOIN_SOURCES.items()}
JOIN_BY_INVITATION = 2


def join_source_label(code: int) -> str:
    """The store label of an OpenIM joinSource (0: "", another number: its digits)."""
    return JOIN_SOURCES.get(code, str(code) if code else "")


def join_source_code(label: str) -> int:
    """The OpenIM joinSource of a store label ("" and unknown labels: 0)."""
    if label in JOIN_SOURCE_LABELS:
        return JOIN_SOURCE_LABELS[label]
    return int(label) if label.lstrip("-").isdecimal() else 0


def member_info(member: Membership, user: User | None = None) -> dict[str, Any]:
    """A membership as ``sdkws.GroupMemberFullInfo``, its 12 keys in OpenIM's order; an empty
    nickname or faceURL is the user's own (``PopulateGroupMember``)."""
    nickname = member.nickname or (user.name if user else "")
    face_url = member.face_url or (user.face_url if user else "")
    return {
        "groupID": member.group_id,
        "userID": member.user_id,
        "roleLevel": role_level(member.role),
        "joinTime": member.join_time_ms,
        "nickname": nickname,
        "faceURL": face_url,
        "appMangerLevel": 0,
        "joinSource": join_source_code(member.join_source),
        "operatorUserID": member.operator,
        "ex": member.ex,
        "muteEndTime": member.mute_until_ms,
        "inviterUserID": member.inviter,
    }


def record_not_found(detail: str = "record not found") -> VendorError:
    """1004: what a Mongo lookup that finds nothing answers."""
    return oim_error(RECORD_NOT_FOUND, detail)


def dismissed_already(detail: str = "") -> VendorError:
    """1204 DismissedAlreadyError."""
    return oim_error(DISMISSED_ALREADY, detail)
