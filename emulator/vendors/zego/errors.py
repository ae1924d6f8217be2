"""ZEGO ZIM return codes, their messages, and the JSON envelope every ZEGO answer uses.

Every ZEGO answer, success or not, is HTTP 200 with ``Code``, ``Message`` and ``RequestId``
(unique per request); business fields follow.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.responses import Response

from emulator.errors import VendorError
from emulator.responses import json_response

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
USER_ID_TOO_LONG = 660000012
APP_RATE_LIMITED = 660300005
GROUP_RATE_LIMITED = 660300006
USER_NOT_REGISTERED = 660500002
GROUP_NOT_FOUND = 660600001
GROUP_EXISTS = 660600002

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
    USER_ID_TOO_LONG: "UserID exceeds the length limit.",
    APP_RATE_LIMITED: "Frequency limit: the AppID-level limit was exceeded.",
    GROUP_RATE_LIMITED: "Frequency limit: the group-level limit was exceeded.",
    USER_NOT_REGISTERED: "The operator user is not registered.",
    GROUP_NOT_FOUND: "The group does not exist.",
    GROUP_EXISTS: "The group already exists.",
}

GENERIC_MESSAGE = "Request failed."


def request_id() -> str:
    """A new RequestId, unique per request."""
    return uuid.uuid4().hex


def envelope(code: int = SUCCESS, message: str | None = None, **fields: Any) -> Response:
    """A ZEGO answer: HTTP 200, ``Code``, ``Message``, ``RequestId`` then the business fields."""
    body: dict[str, Any] = {"Code": code,
                            "Message": MESSAGES.get(code, GENERIC_MESSAGE) if message is None
                            else message,
                            "RequestId": request_id()}
    body.update(fields)
    return json_response(body)


def zego_error(code: int, detail: str = "", *, explain: str = "") -> VendorError:
    """The VendorError for a ZEGO code; ``detail`` is added to the message after a colon."""
    message = MESSAGES.get(code, GENERIC_MESSAGE)
    return VendorError(code, f"{message} {detail}".strip() if detail else message,
                       detail=detail, explain=explain)


def render(error: VendorError) -> Response:
    """A VendorError in ZEGO's envelope (always HTTP 200)."""
    return envelope(error.code, error.message or MESSAGES.get(error.code, GENERIC_MESSAGE))


def internal_error() -> VendorError:
    """ZEGO's answer to an unexpected failure: Code 1, server busy."""
    return zego_error(SERVER_BUSY)


def rate_limited(retry_after: float) -> VendorError:
    """ZEGO's answer to a request over the AppId-level limit of its Action."""
    return zego_error(APP_RATE_LIMITED)


def error_for_code(code: int) -> VendorError:
    """The error ZEGO answers for a code (a generic message for unknown codes)."""
    return zego_error(code)
