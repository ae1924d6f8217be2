"""Tencent Cloud IM errors: the codes this emulator answers and their ErrorInfo texts. Every
answer, success or failure, is HTTP 200 with ``ActionStatus``, ``ErrorInfo`` and ``ErrorCode``
(rendered by ``protocol``; the real service only answers otherwise on a network failure).
"""

from __future__ import annotations

from emulator.errors import VendorError

HTTP_PARSE_ERROR = 60002
BODY_NOT_JSON = 60003
UNKNOWN_SDKAPPID = 60006
RATE_LIMITED = 60007
UNKNOWN_COMMAND = 60009
NOT_ADMIN = 60010
SDKAPPID_MISSING = 60012
ACCOUNT_NOT_STRING = 60015
USERSIG_EXPIRED = 70001
USERSIG_EMPTY = 70002
USERSIG_UNDECODABLE = 70003
USERSIG_MISMATCH = 70009
USERSIG_IDENTIFIER_MISMATCH = 70013
USERSIG_SDKAPPID_MISMATCH = 70014
ACCOUNT_BAD_PARAMETER = 70402
INTERNAL = 10002
INVALID_PARAMETER = 10004
NO_PERMISSION = 10007
GROUP_GONE = 10010
GROUP_NOT_FOUND = 10015
SENDER_MUTED = 10017
RECALL_NOT_FOUND = 10030
RESPONSE_TOO_LARGE = 10018
ACCOUNT_NOT_FOUND = 10019
GROUP_ID_USED = 10021
GROUP_FULL = 10014
MSG_TOO_LONG = 80002

MESSAGES: dict[int, str] = {
    HTTP_PARSE_ERROR: "HTTP parse error, please check the request URL and method",
    BODY_NOT_JSON: "Fail to parse the JSON body of the request, please check it",
    60004: "account or signature error in the URL",
    UNKNOWN_SDKAPPID: "SDKAppID is invalid, please check it",
    RATE_LIMITED: "REST API calls exceed the frequency limit, please try again later",
    60008: "service timeout or request format error, please check and try again",
    UNKNOWN_COMMAND: "request resource error, please check the request URL",
    NOT_ADMIN: "the request requires an App admin identifier",
    60011: "SDKAppID requests exceed the frequency limit",
    SDKAPPID_MISSING: "the request URL has no sdkappid",
    ACCOUNT_NOT_STRING: "an account field must be a string",
    USERSIG_EXPIRED: "UserSig expired, please generate a new one",
    USERSIG_EMPTY: "UserSig is empty",
    USERSIG_UNDECODABLE: "UserSig parse failed: it is not a valid UserSig or it is truncated",
    USERSIG_MISMATCH: "UserSig verification failed: it was signed with another key",
    USERSIG_IDENTIFIER_MISMATCH: "the identifier in the URL differs from the one in UserSig",
    USERSIG_SDKAPPID_MISMATCH: "the sdkappid in the URL differs from the one in UserSig",
    70107: "the requested account has not been imported",
    ACCOUNT_BAD_PARAMETER: "invalid parameter, please check the request",
    70403: "the request requires App admin permission",
    INTERNAL: "internal server error, please try again",
    10003: "invalid command word",
    INVALID_PARAMETER: "invalid parameter",
    10006: "operation frequency limited, please try again later",
    NO_PERMISSION: "insufficient permission for this operation",
    GROUP_GONE: "the group does not exist or has been dismissed",
    10011: "Fail to parse the JSON body of the request",
    10013: "the user is already a member of the group",
    GROUP_FULL: "the group is full",
    GROUP_NOT_FOUND: "group id not found",
    SENDER_MUTED: "the sender is muted and cannot send messages",
    RESPONSE_TOO_LARGE: "the response exceeds the maximum packet length (1 MB), "
                        "please request less data at a time",
    ACCOUNT_NOT_FOUND: "the requested account does not exist",
    GROUP_ID_USED: "the group id is already used, please choose another one",
    RECALL_NOT_FOUND: "the message to recall does not exist",
    MSG_TOO_LONG: "the message is too long (at most 8000 bytes)",
}


def fail(code: int, info: str | None = None, *, explain: str = "") -> VendorError:
    """A Tencent error answer; ``info`` replaces the code's stock ErrorInfo."""
    return VendorError(code, info if info is not None else error_info(code), explain=explain)


def error_info(code: int) -> str:
    """The stock ErrorInfo of a code."""
    return MESSAGES.get(code, f"error {code}")
