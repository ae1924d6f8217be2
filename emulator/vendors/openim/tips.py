"""The notification tips structs of openimsdk/protocol (``sdkws/sdkws.proto``, the version in
docs/vendors/openim.md), field by field in declaration order, and ``shape``, which writes a
tips value as the server's ``jsonutil.StructToJsonString`` (plain ``encoding/json``) does.

The protocol's ``gen.sh`` strips ``,omitempty`` from every generated JSON tag (only map
fields keep it), so every field is written: zero strings and numbers included, a nil message
or slice as ``null``. Nested GroupInfo and GroupMemberFullInfo values are completed the same
way (e.g. an app admin's ``opUser``, a GroupMemberFullInfo of four set fields).
"""

from __future__ import annotations

from typing import Any

# A field's kind: "str", "int", or a message ("GroupInfo", "GroupMemberFullInfo"), or a list
# of messages ("[]GroupMemberFullInfo").
Fields = tuple[tuple[str, str], ...]

GROUP_INFO: Fields = (
    ("groupID", "str"), ("groupName", "str"), ("notification", "str"),
    ("introduction", "str"), ("faceURL", "str"), ("ownerUserID", "str"), ("createTime", "int"),
    ("memberCount", "int"), ("ex", "str"), ("status", "int"), ("creatorUserID", "str"),
    ("groupType", "int"), ("needVerification", "int"), ("lookMemberInfo", "int"),
    ("applyMemberFriend", "int"), ("notificationUpdateTime", "int"),
    ("notificationUserID", "str"))
GROUP_MEMBER_FULL_INFO: Fields = (
    ("groupID", "str"), ("userID", "str"), ("roleLevel", "int"), ("joinTime", "int"),
    ("nickname", "str"), ("faceURL", "str"), ("appMangerLevel", "int"), ("joinSource", "int"),
    ("operatorUserID", "str"), ("ex", "str"), ("muteEndTime", "int"), ("inviterUserID", "str"))
_GROUP = ("group", "GroupInfo")
_OP = ("opUser", "GroupMemberFullInfo")
_TIME = ("operationTime", "int")
_VERSION = (("groupMemberVersion", "int"), ("groupMemberVersionID", "str"))

MESSAGES: dict[str, Fields] = {"GroupInfo": GROUP_INFO,
                               "GroupMemberFullInfo": GROUP_MEMBER_FULL_INFO}
# Each stored notification's content type and its tips struct.
TIPS: dict[int, tuple[str, Fields]] = {
    1501: ("GroupCreatedTips", (_GROUP, _OP, ("memberList", "[]GroupMemberFullInfo"), _TIME,
                                ("groupOwnerUser", "GroupMemberFullInfo"), *_VERSION)),
    1504: ("MemberQuitTips", (_GROUP, ("quitUser", "GroupMemberFullInfo"), _TIME, *_VERSION)),
    1507: ("GroupOwnerTransferredTips", (
        _GROUP, _OP, ("newGroupOwner", "GroupMemberFullInfo"), ("oldGroupOwner", "str"), _TIME,
        ("oldGroupOwnerInfo", "GroupMemberFullInfo"), *_VERSION)),
    1508: ("MemberKickedTips", (_GROUP, _OP, ("kickedUserList", "[]GroupMemberFullInfo"), _TIME,
                                *_VERSION)),
    1509: ("MemberInvitedTips", (_GROUP, _OP, ("invitedUserList", "[]GroupMemberFullInfo"),
                                 _TIME, *_VERSION, ("inviterUser", "GroupMemberFullInfo"))),
    1510: ("MemberEnterTips", (_GROUP, ("entrantUser", "GroupMemberFullInfo"), _TIME,
                               *_VERSION)),
    1511: ("GroupDismissedTips", (_GROUP, _OP, _TIME)),
    1512: ("GroupMemberMutedTips", (_GROUP, _OP, _TIME, ("mutedUser", "GroupMemberFullInfo"),
                                    ("mutedSeconds", "int"), *_VERSION)),
    1513: ("GroupMemberCancelMutedTips", (_GROUP, _OP, _TIME,
                                          ("mutedUser", "GroupMemberFullInfo"), *_VERSION)),
    1514: ("GroupMutedTips", (_GROUP, _OP, _TIME, *_VERSION)),
    1515: ("GroupCancelMutedTips", (_GROUP, _OP, _TIME, *_VERSION)),
    1519: ("GroupInfoSetAnnouncementTips", (_OP, _GROUP, *_VERSION)),
    1520: ("GroupInfoSetNameTips", (_OP, _GROUP, *_VERSION)),
}


def _value(kind: str, value: Any) -> Any:
    if kind == "str":
        return "" if value is None else value
    if kind == "int":
        return 0 if value is None else value
    if value is None:
        return None
    if kind.startswith("[]"):
        return [struct(MESSAGES[kind[2:]], item) for item in value]
    return struct(MESSAGES[kind], value)


def struct(fields: Fields, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as the struct of ``fields`` marshals: every field, in order, a missing one
    its zero value. ValueError for a key the struct does not have."""
    unknown = set(values) - {name for name, _ in fields}
    if unknown:
        raise ValueError(f"not a field of the struct: {', '.join(sorted(unknown))}")
    return {name: _value(kind, values.get(name)) for name, kind in fields}


def shape(content_type: int, values: dict[str, Any]) -> dict[str, Any]:
    """The tips of a notification's content type, as the server writes them."""
    return struct(TIPS[content_type][1], values)
