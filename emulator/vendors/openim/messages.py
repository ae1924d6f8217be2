"""The request messages of the OpenIM endpoints served here, as Go's JSON decoder sees them,
each with its ``Check()`` rule (the gateway runs it right after decoding; a failure is 1001
ArgsError with the rule's text as errDlt). A request message is its Command's ``schema``.
"""

from __future__ import annotations

from typing import Any

from emulator.vendors.openim.binding import Field, Message
from emulator.vendors.openim.validation import field_error

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
    Field("sendMessage", "optional_bool")), check_create_group)


# ---- the group-management requests (protocol group/group.go Check() rules) -----------------

PARAM_MAX_LENGTH = 1000


def _bad_pagination(req: dict[str, Any]) -> str | None:
    if req["pagination"] is None:
        return "pagination is empty"
    if req["pagination"]["pageNumber"] < 1:
        return "pageNumber is invalid"
    return None


def check_invite(req: dict[str, Any]) -> str | None:
    """``InviteUserToGroupReq.Check``."""
    if req["groupID"] == "":
        return "groupID is empty"
    if req["invitedUserIDs"] is None:
        return "invitedUserIDs is empty"
    if len(req["invitedUserIDs"]) > PARAM_MAX_LENGTH:
        return "too many InvitedUserIDs, need to be less than 1000"
    return None


def check_kick(req: dict[str, Any]) -> str | None:
    """``KickGroupMemberReq.Check``."""
    if req["groupID"] == "":
        return "groupID is empty"
    if req["kickedUserIDs"] is None:
        return "kickUserIDs is empty"
    if len(req["kickedUserIDs"]) > PARAM_MAX_LENGTH:
        return "too many KickedUserIDs, need to be less than 1000"
    return None


def check_member_list(req: dict[str, Any]) -> str | None:
    """``GetGroupMemberListReq.Check``: groupID, pagination, pageNumber, filter 0..5."""
    if req["groupID"] == "":
        return "groupID is empty"
    problem = _bad_pagination(req)
    if problem is not None:
        return problem
    if not 0 <= req["filter"] <= 5:
        return "filter is invalid"
    return None


def check_members_info(req: dict[str, Any]) -> str | None:
    """``GetGroupMembersInfoReq.Check``."""
    if req["groupID"] == "":
        return "groupID is empty"
    if req["userIDs"] is None:
        return "userIDs is empty"
    return None


def check_set_member_info(req: dict[str, Any]) -> str | None:
    """``SetGroupMemberInfoReq.Check`` (a body without the ``members`` wrapper has none)."""
    if req["members"] is None:
        return "members is empty"
    if len(req["members"]) > PARAM_MAX_LENGTH:
        return "too many Members, need to be less than 1000"
    return None


def check_set_group_info(req: dict[str, Any]) -> str | None:
    """``SetGroupInfoReq.Check``."""
    info = req["groupInfoForSet"]
    if info is None:
        return "GroupInfoForSets is empty"
    if info["groupID"] == "":
        return "GroupID is empty"
    return None


def check_transfer(req: dict[str, Any]) -> str | None:
    """``TransferGroupOwnerReq.Check``."""
    for key in ("groupID", "oldOwnerUserID", "newOwnerUserID"):
        if req[key] == "":
            return f"{key} is empty"
    return None


def check_join(req: dict[str, Any]) -> str | None:
    """``JoinGroupReq.Check``: groupID, joinSource 1..4, inviterUserID for source 2."""
    if req["groupID"] == "":
        return "groupID is empty"
    if not 1 <= req["joinSource"] <= 4:
        return "joinSource is invalid"
    if req["joinSource"] == 2 and req["inviterUserID"] == "":
        return "inviterUserID is empty"
    return None


def check_mute_member(req: dict[str, Any]) -> str | None:
    """``MuteGroupMemberReq.Check``."""
    if req["groupID"] == "":
        return "groupID is empty"
    if req["userID"] == "":
        return "userID is empty"
    if req["mutedSeconds"] <= 0:
        return "mutedSeconds is empty"
    return None


def check_cancel_mute_member(req: dict[str, Any]) -> str | None:
    """``CancelMuteGroupMemberReq.Check``."""
    if req["groupID"] == "":
        return "groupID is empty"
    if req["userID"] == "":
        return "userID is empty"
    return None


def check_group_id(req: dict[str, Any]) -> str | None:
    """The Check() of the requests that only need a groupID."""
    return "groupID is empty" if req["groupID"] == "" else None


def check_groups_info(req: dict[str, Any]) -> str | None:
    """``GetGroupsInfoReq.Check``: only a missing (nil) list."""
    return "GroupIDs is empty" if req["groupIDs"] is None else None


GROUP_INFO_FOR_SET = Message("sdkws", "GroupInfoForSet", (
    Field("groupID", "string"), Field("groupName", "string"), Field("notification", "string"),
    Field("introduction", "string"), Field("faceURL", "string"), Field("ex", "string_value"),
    Field("needVerification", "int32_value"), Field("lookMemberInfo", "int32_value"),
    Field("applyMemberFriend", "int32_value")))

SET_GROUP_MEMBER_INFO = Message("group", "SetGroupMemberInfo", (
    Field("groupID", "string"), Field("userID", "string"), Field("nickname", "string_value"),
    Field("faceURL", "string_value"), Field("roleLevel", "int32_value"),
    Field("ex", "string_value")))

INVITE_USER_TO_GROUP = Message("group", "InviteUserToGroupReq", (
    Field("groupID", "string"), Field("reason", "string"), Field("invitedUserIDs", "strings"),
    Field("sendMessage", "optional_bool")), check_invite)

GET_GROUPS_INFO = Message("group", "GetGroupsInfoReq", (
    Field("groupIDs", "strings"),), check_groups_info)

KICK_GROUP = Message("group", "KickGroupMemberReq", (
    Field("groupID", "string"), Field("kickedUserIDs", "strings"), Field("reason", "string"),
    Field("sendMessage", "optional_bool")), check_kick)

DISMISS_GROUP = Message("group", "DismissGroupReq", (
    Field("groupID", "string"), Field("deleteMember", "bool"),
    Field("sendMessage", "optional_bool")), check_group_id)

GET_GROUP_MEMBER_LIST = Message("group", "GetGroupMemberListReq", (
    Field("pagination", "message", REQUEST_PAGINATION), Field("groupID", "string"),
    Field("filter", "int32"), Field("keyword", "string")), check_member_list)

GET_GROUP_MEMBERS_INFO = Message("group", "GetGroupMembersInfoReq", (
    Field("groupID", "string"), Field("userIDs", "strings")), check_members_info)

SET_GROUP_MEMBER_INFO_REQ = Message("group", "SetGroupMemberInfoReq", (
    Field("members", "messages", SET_GROUP_MEMBER_INFO),), check_set_member_info)

SET_GROUP_INFO = Message("group", "SetGroupInfoReq", (
    Field("groupInfoForSet", "message", GROUP_INFO_FOR_SET),), check_set_group_info)

SET_GROUP_INFO_EX = Message("group", "SetGroupInfoExReq", (
    Field("groupID", "string"), Field("groupName", "string_value"),
    Field("notification", "string_value"), Field("introduction", "string_value"),
    Field("faceURL", "string_value"), Field("ex", "string_value"),
    Field("needVerification", "int32_value"), Field("lookMemberInfo", "int32_value"),
    Field("applyMemberFriend", "int32_value")))

TRANSFER_GROUP = Message("group", "TransferGroupOwnerReq", (
    Field("groupID", "string"), Field("oldOwnerUserID", "string"),
    Field("newOwnerUserID", "string")), check_transfer)

QUIT_GROUP = Message("group", "QuitGroupReq", (
    Field("groupID", "string"), Field("userID", "string")), check_group_id)

JOIN_GROUP = Message("group", "JoinGroupReq", (
    Field("groupID", "string"), Field("reqMessage", "string"), Field("joinSource", "int32"),
    Field("inviterUserID", "string"), Field("ex", "string")), check_join)

MUTE_GROUP_MEMBER = Message("group", "MuteGroupMemberReq", (
    Field("groupID", "string"), Field("userID", "string"), Field("mutedSeconds", "uint32")),
    check_mute_member)

CANCEL_MUTE_GROUP_MEMBER = Message("group", "CancelMuteGroupMemberReq", (
    Field("groupID", "string"), Field("userID", "string")), check_cancel_mute_member)

MUTE_GROUP = Message("group", "MuteGroupReq", (Field("groupID", "string"),), check_group_id)

CANCEL_MUTE_GROUP = Message("group", "CancelMuteGroupReq", (Field("groupID", "string"),),
                            check_group_id)

GET_GROUP_MEMBER_USER_IDS = Message("group", "GetGroupMemberUserIDsReq", (
    Field("groupID", "string"),), lambda req: "GroupID is empty" if req["groupID"] == "" else None)


# ---- the /msg requests -----------------------------------------------------------------------

OFFLINE_PUSH_INFO = Message("sdkws", "OfflinePushInfo", (
    Field("title", "string"), Field("desc", "string"), Field("ex", "string"),
    Field("iOSPushSound", "string"), Field("iOSBadgeCount", "bool"),
    Field("signalInfo", "string")))


class GinMessage(Message):
    """A body the handler reads with gin's ``c.BindJSON`` (encoding/json's Decoder, then the
    ``binding`` tags' validator) instead of the a2r path: a failure is 1001 ArgsError with the
    error's text as errDlt, on HTTP 400 (gin writes the status before the handler's answer)."""


SINGLE_CHAT, WRITE_GROUP_CHAT, READ_GROUP_CHAT, NOTIFICATION_CHAT = 1, 2, 3, 4
GROUP_ID_TAG = "required_if=SessionType 2|required_if=SessionType 3"


def _send_msg_problems(req: dict[str, Any], struct: str) -> list[str]:
    """The ``binding`` tags of the embedded ``apistruct.SendMsg``, in struct order."""
    session = req["sessionType"]
    problems = []
    if req["sendID"] == "":
        problems.append(field_error(f"{struct}.SendMsg.SendID", "required"))
    if session in (WRITE_GROUP_CHAT, READ_GROUP_CHAT) and req["groupID"] == "":
        problems.append(field_error(f"{struct}.SendMsg.GroupID", GROUP_ID_TAG))
    if req["content"] is None:
        problems.append(field_error(f"{struct}.SendMsg.Content", "required"))
    if req["contentType"] == 0:
        problems.append(field_error(f"{struct}.SendMsg.ContentType", "required"))
    if session == 0:
        problems.append(field_error(f"{struct}.SendMsg.SessionType", "required"))
    return problems


def check_send_msg(req: dict[str, Any]) -> str | None:
    """The ``binding`` tags of ``apistruct.SendMsgReq``, in struct order; ``required_if`` is
    the gateway's own ``RequiredIf`` (recvID for session types 1 and 4, groupID for 2 and 3,
    whatever the tag's parameters say)."""
    problems = []
    if req["sessionType"] in (SINGLE_CHAT, NOTIFICATION_CHAT) and req["recvID"] == "":
        problems.append(field_error("SendMsgReq.RecvID", "required_if"))
    problems += _send_msg_problems(req, "SendMsgReq")
    return "\n".join(problems) or None


def check_batch_send_msg(req: dict[str, Any]) -> str | None:
    """The ``binding`` tags of ``apistruct.BatchSendMsgReq``: the embedded SendMsg's, then
    ``recvIDs`` required (a null list fails, an empty one passes)."""
    problems = _send_msg_problems(req, "BatchSendMsgReq")
    if req["recvIDs"] is None:
        problems.append(field_error("BatchSendMsgReq.RecvIDs", "required"))
    return "\n".join(problems) or None


# apistruct.SendMsgReq: RecvID, then the embedded SendMsg (Go's encoding/json sees one flat
# struct; its type errors name SendMsgReq).
SEND_MSG = GinMessage("apistruct", "SendMsgReq", (
    Field("recvID", "string"), Field("sendID", "string"), Field("groupID", "string"),
    Field("senderNickname", "string"), Field("senderFaceURL", "string"),
    Field("senderPlatformID", "int32"), Field("content", "object"),
    Field("contentType", "int32"), Field("sessionType", "int32"),
    Field("isOnlineOnly", "bool"), Field("notOfflinePush", "bool"), Field("sendTime", "int64"),
    Field("offlinePushInfo", "message", OFFLINE_PUSH_INFO), Field("ex", "string")),
    check_send_msg)

# apistruct.BatchSendMsgReq: the embedded SendMsg, then IsSendAll and RecvIDs.
BATCH_SEND_MSG = GinMessage("apistruct", "BatchSendMsgReq", (
    Field("sendID", "string"), Field("groupID", "string"),
    Field("senderNickname", "string"), Field("senderFaceURL", "string"),
    Field("senderPlatformID", "int32"), Field("content", "object"),
    Field("contentType", "int32"), Field("sessionType", "int32"),
    Field("isOnlineOnly", "bool"), Field("notOfflinePush", "bool"), Field("sendTime", "int64"),
    Field("offlinePushInfo", "message", OFFLINE_PUSH_INFO), Field("ex", "string"),
    Field("isSendAll", "bool"), Field("recvIDs", "strings")), check_batch_send_msg)

class KeyedGinMessage(GinMessage):
    """A gin-bound body whose handler first reads the webhook ``key`` of the query string
    (``send_simple_msg``): the key's errors come before the binding's."""


SEND_SINGLE_MSG = KeyedGinMessage("apistruct", "SendSingleMsgReq", (
    Field("sendID", "string"), Field("content", "string"),
    Field("offlinePushInfo", "message", OFFLINE_PUSH_INFO), Field("ex", "string")),
    lambda req: field_error("SendSingleMsgReq.Content", "required")
    if req["content"] == "" else None)

KEY_MSG_DATA = Message("apistruct", "KeyMsgData", (
    Field("sendID", "string"), Field("recvID", "string"), Field("groupID", "string")))

SEQ_RANGE = Message("sdkws", "SeqRange", (
    Field("conversationID", "string"), Field("begin", "int64"), Field("end", "int64"),
    Field("num", "int64")))

PULL_MSG_BY_SEQ = Message("sdkws", "PullMessageBySeqsReq", (
    Field("userID", "string"), Field("seqRanges", "messages", SEQ_RANGE),
    Field("order", "sdkws.PullOrder")))

NEWEST_SEQ = Message("sdkws", "GetMaxSeqReq", (Field("userID", "string"),))

GET_GROUPS = Message("group", "GetGroupsReq", (
    Field("pagination", "message", REQUEST_PAGINATION), Field("groupName", "string"),
    Field("groupID", "string")), _bad_pagination)


# ---- the client-SDK sync requests (group/group.proto) ---------------------------------------

GET_FULL_JOIN_GROUP_IDS = Message("group", "GetFullJoinGroupIDsReq", (
    Field("idHash", "uint64"), Field("userID", "string")),
    lambda req: "userID is empty" if req["userID"] == "" else None)

GET_FULL_GROUP_MEMBER_USER_IDS = Message("group", "GetFullGroupMemberUserIDsReq", (
    Field("idHash", "uint64"), Field("groupID", "string")),
    lambda req: "groupID is empty" if req["groupID"] == "" else None)

GET_INCREMENTAL_JOIN_GROUP = Message("group", "GetIncrementalJoinGroupReq", (
    Field("userID", "string"), Field("versionID", "string"), Field("version", "uint64")))

INCREMENTAL_GROUP_MEMBER = Message("group", "GetIncrementalGroupMemberReq", (
    Field("groupID", "string"), Field("versionID", "string"), Field("version", "uint64")))

GET_INCREMENTAL_GROUP_MEMBER_BATCH = Message("group", "BatchGetIncrementalGroupMemberReq", (
    Field("userID", "string"), Field("reqList", "messages", INCREMENTAL_GROUP_MEMBER)))


# ---- the join-request requests (group/group.proto, group/group.go Check()) -----------------

def check_recv_applications(req: dict[str, Any]) -> str | None:
    """``GetGroupApplicationListReq.Check``: pagination, pageNumber, then fromUserID."""
    return check_get_joined_group_list(req)


def check_user_applications(req: dict[str, Any]) -> str | None:
    """``GetUserReqApplicationListReq.Check``: userID, pagination, then pageNumber."""
    if req["userID"] == "":
        return "UserID is empty"
    if req["pagination"] is None:
        return "pagination is empty"
    if req["pagination"]["pageNumber"] < 1:
        return "pageNumber is invalid"
    return None


def check_application_response(req: dict[str, Any]) -> str | None:
    """``GroupApplicationResponseReq.Check``: groupID, fromUserID, handleResult -1..1."""
    if req["groupID"] == "":
        return "groupID is empty"
    if req["fromUserID"] == "":
        return "fromUserID is empty"
    if not -1 <= req["handleResult"] <= 1:
        return "handleResult is invalid"
    return None


def check_group_users_applications(req: dict[str, Any]) -> str | None:
    """``GetGroupUsersReqApplicationListReq.Check``: groupID, userIDs (null), their count."""
    if req["groupID"] == "":
        return "GroupID is empty"
    if req["userIDs"] is None:
        return "UserID is empty"
    if len(req["userIDs"]) > MAX_CREATE_MEMBERS:
        return "too many UserIDs, need to be less than 1000"
    return None


GET_RECV_GROUP_APPLICATIONS = Message("group", "GetGroupApplicationListReq", (
    Field("pagination", "message", REQUEST_PAGINATION), Field("fromUserID", "string"),
    Field("groupIDs", "strings"), Field("handleResults", "int32s")), check_recv_applications)

GET_USER_REQ_APPLICATIONS = Message("group", "GetUserReqApplicationListReq", (
    Field("pagination", "message", REQUEST_PAGINATION), Field("userID", "string"),
    Field("groupIDs", "strings"), Field("handleResults", "int32s")), check_user_applications)

GROUP_APPLICATION_RESPONSE = Message("group", "GroupApplicationResponseReq", (
    Field("groupID", "string"), Field("fromUserID", "string"), Field("handledMsg", "string"),
    Field("handleResult", "int32")), check_application_response)

GET_SPECIFIED_USER_GROUP_REQUEST_INFO = Message("group", "GetSpecifiedUserGroupRequestInfoReq", (
    Field("groupID", "string"), Field("userID", "string")))

GET_GROUP_USERS_REQ_APPLICATIONS = Message("group", "GetGroupUsersReqApplicationListReq", (
    Field("groupID", "string"), Field("userIDs", "strings")), check_group_users_applications)


# ---- the summaries and the admin reads (group/group.go, auth/auth.go, msg/msg.go Check()) ----

def check_abstract_info(req: dict[str, Any]) -> str | None:
    """``GetGroupAbstractInfoReq.Check``: the list present (null fails) and at most 1000."""
    if req["groupIDs"] is None:
        return "GroupID is empty"
    if len(req["groupIDs"]) > PARAM_MAX_LENGTH:
        return "too many GroupIDs, need to be less than 1000"
    return None


def check_force_logout(req: dict[str, Any]) -> str | None:
    """``ForceLogoutReq.Check``: a userID, and a platformID from 1 (iOS) to 10 (admin)."""
    if req["userID"] == "":
        return "userID is empty"
    if not 1 <= req["platformID"] <= 10:
        return "platformID is invalidate"
    return None


GET_GROUP_APPLICATION_UNHANDLED_COUNT = Message(
    "group", "GetGroupApplicationUnhandledCountReq", (
        Field("userID", "string"), Field("time", "int64")))

GET_GROUP_ABSTRACT_INFO = Message("group", "GetGroupAbstractInfoReq", (
    Field("groupIDs", "strings"),), check_abstract_info)

FORCE_LOGOUT = Message("auth", "ForceLogoutReq", (
    Field("platformID", "int32"), Field("userID", "string")), check_force_logout)

SEARCH_MESSAGE = Message("msg", "SearchMessageReq", (
    Field("sendID", "string"), Field("recvID", "string"), Field("contentType", "int32"),
    Field("sendTime", "string"), Field("sessionType", "int32"),
    Field("pagination", "message", REQUEST_PAGINATION)))

GET_CONVERSATIONS_HAS_READ_AND_MAX_SEQ = Message(
    "msg", "GetConversationsHasReadAndMaxSeqReq", (
        Field("userID", "string"), Field("conversationIDs", "strings"),
        Field("returnPinned", "bool")),
    lambda req: "userID is empty" if req["userID"] == "" else None)


def check_group_create_count(req: dict[str, Any]) -> str | None:
    """``GroupCreateCountReq.Check``: a start and an end above 0."""
    if req["start"] <= 0:
        return "start is invalid"
    if req["end"] <= 0:
        return "end is invalid"
    return None


GROUP_CREATE_COUNT = Message("group", "GroupCreateCountReq", (
    Field("start", "int64"), Field("end", "int64")), check_group_create_count)
