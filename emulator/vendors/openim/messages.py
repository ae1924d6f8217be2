"""The request messages of the OpenIM endpoints served here, as Go's JSON decoder sees them,
each with its ``Check()`` rule (the gateway runs it right after decoding; a failure is 1001
ArgsError with the rule's text as errDlt). A request message is its Command's ``schema``.
"""

from __future__ import annotations

from typing import Any

from emulator.vendors.openim.binding import Field, Message

MAX_CREATE_MEMBERS = 1000

REQUEST_PAGINATION = Message("sdkws", "RequestPagination", (
    Field("pageNumber", "int32"), Field("showNumber", "int32")))

GROUP_INFO = Message("sdkws", "GroupInfo", (
    Field("groupID", "string"), Field("groupName", "string"), Field("notification", "string"),
    Field("introduction", "string"), Field("faceURL", "string"), Field("ownerUserID", "string"),
    Field("createTime", "int64"), Field("memberCount", "uint32"), Field("ex", "string"),
    Field("status", "int32"), Field("creatorUserID", "string"), Field("groupType", "int32"),
    Field("needVerification", "int32"), Field("lookMemberInfo", "int32"),
    Field("applyMemberFriend", "int32"), Field("notificationUpdateTime", "int64"),
    Field("notificationUserID", "string")))

USER_INFO = Message("sdkws", "UserInfo", (
    Field("userID", "string"), Field("nickname", "string"), Field("faceURL", "string"),
    Field("ex", "string"), Field("createTime", "int64"), Field("appMangerLevel", "int32"),
    Field("globalRecvMsgOpt", "int32")))


def check_get_admin_token(req: dict[str, Any]) -> str | None:
    """``GetAdminTokenReq.Check``."""
    return "userID is empty" if req["userID"] == "" else None


def _legal_user_id(user_id: str) -> bool:
    return all(ch.isalpha() or ch.isdecimal() or ch == "_" for ch in user_id)


def check_user_register(req: dict[str, Any]) -> str | None:
    """``UserRegisterReq.Check``: users present, each non-null with a legal id, then names."""
    users = req["users"]
    if users is None:
        return "users are empty"
    for user in users:
        if user is None:
            return "user is empty"
        if not _legal_user_id(user["userID"]):
            return "userID is legal"
    for user in users:
        if user["nickname"] == "":
            return "user name is empty"
    return None


def check_get_joined_group_list(req: dict[str, Any]) -> str | None:
    """``GetJoinedGroupListReq.Check``: pagination, pageNumber, then fromUserID."""
    pagination = req["pagination"]
    if pagination is None:
        return "pagination is empty"
    if pagination["pageNumber"] < 1:
        return "pageNumber is invalid"
    if req["fromUserID"] == "":
        return "fromUserID is empty"
    return None


def check_create_group(req: dict[str, Any]) -> str | None:
    """``CreateGroupReq.Check``: groupInfo, its groupType, the owner, then the member count."""
    info = req["groupInfo"]
    if info is None:
        return "groupInfo is empty"
    if not 0 <= info["groupType"] <= 2:
        return "GroupType is invalid"
    if req["ownerUserID"] == "":
        return "ownerUserID is empty"
    if len(req["memberUserIDs"] or ()) > MAX_CREATE_MEMBERS:
        return "too many MemberUserIDs, need to be less than 1000"
    return None


GET_ADMIN_TOKEN = Message("auth", "GetAdminTokenReq", (
    Field("secret", "string"), Field("userID", "string")), check_get_admin_token)

# GetUserTokenReq's Check() never returns its errors; ParseTokenReq has none.
GET_USER_TOKEN = Message("auth", "GetUserTokenReq", (
    Field("platformID", "int32"), Field("userID", "string")))

PARSE_TOKEN = Message("auth", "ParseTokenReq", (Field("token", "string"),))

USER_REGISTER = Message("user", "UserRegisterReq", (
    Field("users", "messages", USER_INFO),), check_user_register)

GET_JOINED_GROUP_LIST = Message("group", "GetJoinedGroupListReq", (
    Field("fromUserID", "string"), Field("pagination", "message", REQUEST_PAGINATION)),
    check_get_joined_group_list)

CREATE_GROUP = Message("group", "CreateGroupReq", (
    Field("memberUserIDs", "strings"), Field("groupInfo", "message", GROUP_INFO),
    Field("adminUserIDs", "strings"), Field("ownerUserID", "string"),
    Field("sendMessage", "bool")), check_create_group)
