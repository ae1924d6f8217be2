"""ZEGO ZIM return codes, their messages and the error constructors. Every ZEGO answer,
success or not, is HTTP 200 with ``Code``, ``Message`` and ``RequestId`` (rendered by
``protocol``); business fields follow.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import VendorError

SUCCESS = 0
SERVER_BUSY = 1
INPUT_PARAMETER_ERROR = 2
RATE_LIMITED_GLOBAL = 7
BAD_APP_ID = 100000001
TIMESTAMP_EMPTY = 100000002
TIMESTAMP_FORMAT = 100000003
SIGNATURE_EXPIRED = 100000004
SIGNATURE_ERROR = 100000005
ACTION_EMPTY = 100000006
ACTION_UNSUPPORTED = 100000007
NONCE_EMPTY = 100000008
SIGNATURE_EMPTY = 100000009
SERVER_SECRET_FAILED = 100000010
APP_CONFIG_FAILED = 100000011
SIGNATURE_VERSION_EMPTY = 100000013
SIGNATURE_VERSION_UNSUPPORTED = 100000014
GENERAL_BUSINESS_ERROR = 660000001
PARAMETER_ERROR = 660000002
USER_COUNT_LIMIT = 660000011
USER_ID_TOO_LONG = 660000012
BASE64_FAILED = 660000025
APP_RATE_LIMITED = 660300005
GROUP_RATE_LIMITED = 660300006
MESSAGE_TOO_LARGE = 660400001
USER_NOT_REGISTERED = 660500002
GROUP_NOT_FOUND = 660600001
MEMBER_LIST_RATE_LIMITED = 660600004
KICKOUT_RATE_LIMITED = 660600005
APP_GROUP_LIST_RATE_LIMITED = 660600007
KICKOUT_NOT_MEMBER = 660600008
GROUP_EXISTS = 660600011
ATTRIBUTE_COUNT_LIMIT = 660600019
ATTRIBUTE_LENGTH_ERROR = 660600020
NOT_IN_GROUP = 660600024
ROLE_IS_OWNER = 660600029
SAME_USER = 660600030
NO_PERMISSION = 660600032
ALL_TARGETS_FAILED = 660600033

MESSAGES: dict[int, str] = {
    SUCCESS: "success",
    SERVER_BUSY: "Request failed. Server busy.",
    INPUT_PARAMETER_ERROR: "Input parameter error.",
    RATE_LIMITED_GLOBAL: "The number of requests per second exceeds the system setting value.",
    BAD_APP_ID: "AppId field format error.",
    TIMESTAMP_EMPTY: "Timestamp field is empty.",
    TIMESTAMP_FORMAT: "Timestamp field format error.",
    SIGNATURE_EXPIRED: "Signature expired.",
    SIGNATURE_ERROR: "Signature error.",
    ACTION_EMPTY: "Action is empty.",
    ACTION_UNSUPPORTED: "Unsupported Action.",
    NONCE_EMPTY: "SignatureNonce field is empty.",
    SIGNATURE_EMPTY: "Signature field is empty.",
    SERVER_SECRET_FAILED: "Get ServerSecret failed.",
    APP_CONFIG_FAILED: "Get App configuration failed.",
    SIGNATURE_VERSION_EMPTY: "SignatureVersion field is empty.",
    SIGNATURE_VERSION_UNSUPPORTED: "Unsupported SignatureVersion.",
    GENERAL_BUSINESS_ERROR: "General business error.",
    PARAMETER_ERROR: "Parameter error.",
    USER_COUNT_LIMIT: "The number of users exceeds the limit.",
    USER_ID_TOO_LONG: "UserID exceeds the length limit.",
    BASE64_FAILED: "Sending the base64 encoded message failed.",
    MESSAGE_TOO_LARGE: "The message size exceeds the limit.",
    APP_RATE_LIMITED: "Frequency limit: the AppID-level limit was exceeded.",
    GROUP_RATE_LIMITED: "Frequency limit: the group-level limit was exceeded.",
    USER_NOT_REGISTERED: "The operator user is not registered.",
    GROUP_NOT_FOUND: "The group does not exist.",
    MEMBER_LIST_RATE_LIMITED: "QueryGroupMemberList calls exceed the rate limit.",
    KICKOUT_RATE_LIMITED: "KickoutGroupUser calls exceed the rate limit.",
    APP_GROUP_LIST_RATE_LIMITED: "QueryAppGroupList calls exceed the rate limit.",
    KICKOUT_NOT_MEMBER: "The user to remove is not in the group.",
    GROUP_EXISTS: "The group already exists.",
    ATTRIBUTE_COUNT_LIMIT: "The number of attributes exceeds the limit.",
    ATTRIBUTE_LENGTH_ERROR: "The length of an attribute Key or Value is wrong.",
    NOT_IN_GROUP: "The user is not in the group.",
    ROLE_IS_OWNER: "Role cannot be set to 1.",
    SAME_USER: "FromUserId cannot be the same as ToUserId.",
    NO_PERMISSION: "FromUserId has no permission.",
    ALL_TARGETS_FAILED: "The operation failed for every specified user.",
}

GENERIC_MESSAGE = "Request failed."


def zego_error(code: int, detail: str = "", *, explain: str = "") -> VendorError:
    """The VendorError for a ZEGO code; ``detail`` is added to the message after a space."""
    message = message_of(code)
    return VendorError(code, f"{message} {detail}".strip() if detail else message,
                       detail=detail, explain=explain)


def message_of(code: int) -> str:
    """The Message ZEGO answers with a code (a generic one for codes it does not list)."""
    return MESSAGES.get(code, GENERIC_MESSAGE)


def error_entry(user_id: str, code: int, message: str) -> dict[str, Any]:
    """One ``ErrorList`` item: a user the action could not handle, with its SubCode."""
    return {"UserId": user_id, "SubCode": code, "SubMessage": message}
