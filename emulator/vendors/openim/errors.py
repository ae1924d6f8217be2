"""OpenIM's error codes, their errMsg texts and the errors this emulator answers. Errors are
rendered (``protocol``) as ``{"errCode", "errMsg", "errDlt"}`` on HTTP 200, except the optional
rate limiter's HTTP 429.

Two kinds of error are answered outside gin's middlewares, so they are wrapped differently
(``protocol.OpenIMProtocol.finish``): the rate limiter's 429 (``LimiterError``: it runs before the
CORS handler, so no CORS headers) and the errors the emulator itself makes, for a fault rule or an
emulator bug (``EmulatorError``: CORS headers, never gzipped).
"""

from __future__ import annotations

import math

from emulator.errors import VendorError

SUCCESS = 0
SERVER_INTERNAL = 500
ARGS = 1001
NO_PERMISSION = 1002
RECORD_NOT_FOUND = 1004
USER_ID_NOT_FOUND = 1101
REGISTERED_ALREADY = 1102
GROUP_ID_EXISTED = 1202
NOT_IN_GROUP_YET = 1203
DISMISSED_ALREADY = 1204
TOKEN_EXPIRED = 1501
TOKEN_MALFORMED = 1503
TOKEN_NOT_VALID_YET = 1504
TOKEN_UNKNOWN = 1505
TOKEN_KICKED = 1506
TOKEN_NOT_EXIST = 1507
DATA_ERROR = 90007
TOO_MANY_REQUESTS = 429

MESSAGES: dict[int, str] = {
    500: "ServerInternalError",
    1000: "UnknownCode",
    1001: "ArgsError",
    1002: "NoPermissionError",
    1003: "DuplicateKeyError",
    1004: "RecordNotFoundError",
    1050: "SecretNotChangedError",
    1101: "UserIDNotFoundError",
    1102: "RegisteredAlreadyError",
    1201: "GroupIDNotFoundError",
    1202: "GroupIDExisted",
    1203: "NotInGroupYetError",
    1204: "DismissedAlreadyError",
    1205: "",
    1206: "GroupRequestHandled",
    1301: "CanNotAddYourselfError",
    1302: "BlockedByPeer",
    1303: "NotPeersFriend",
    1304: "RelationshipAlreadyError",
    1305: "FriendRequestHandled",
    1401: "MessageHasReadDisable",
    1402: "MutedInGroup",
    1403: "MutedGroup",
    1404: "MsgAlreadyRevoke",
    1501: "TokenExpiredError",
    1502: "TokenInvalidError",
    1503: "TokenMalformedError",
    1504: "TokenNotValidYetError",
    1505: "TokenUnknownError",
    1506: "TokenKickedError",
    1507: "TokenNotExistError",
    1520: "OrgUserNoPermissionError",
    1601: "ConnOverMaxNumLimit",
    1602: "args err, need token, sendID, platformID",
    1603: "push msg err",
    1604: "ios background push err",
    1701: "FileUploadedExpiredError",
    80000: "CallbackError",
    90002: "DatabaseError",
    90004: "NetworkError",
    90007: "DataError",
    TOO_MANY_REQUESTS: "too many requests, please try again later",
}


class LimiterError(VendorError):
    """The rate limiter's answer: it runs before the CORS handler (no CORS headers)."""


class EmulatorError(VendorError):
    """An error the emulator answers itself (a fault rule's error, an internal error): with the
    CORS headers, never gzipped."""


def oim_error(code: int, detail: str = "", *, message: str | None = None,
              explain: str = "") -> VendorError:
    """An OpenIM business error (HTTP 200) with its standard errMsg unless one is given."""
    text = MESSAGES.get(code, "UnknownCode") if message is None else message
    return VendorError(code, text, detail=detail, explain=explain)


def internal_error() -> VendorError:
    """What an unexpected failure answers: a non-code error becomes 500 ServerInternalError."""
    return EmulatorError(SERVER_INTERNAL, MESSAGES[SERVER_INTERNAL], detail="internal error")


def rate_limited(retry_after: float, limit: int = 0,
                 kind: type[VendorError] = LimiterError) -> VendorError:
    """The BBR limiter's rejection: HTTP 429 with its headers and errCode 429."""
    return kind(TOO_MANY_REQUESTS, MESSAGES[TOO_MANY_REQUESTS], http_status=429, headers={
        "X-RateLimit-Policy": "BBR",
        "Retry-After": str(max(1, math.ceil(retry_after))),
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
    })


def error_for_code(code: int) -> VendorError:
    """The error a fault rule answers for a code; 429 looks like the limiter's answer."""
    if code == TOO_MANY_REQUESTS:
        return rate_limited(1.0, kind=EmulatorError)
    return EmulatorError(code, MESSAGES.get(code, "UnknownCode"))
