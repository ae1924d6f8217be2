"""RongCloud's error codes and constructors: each code's HTTP status and message from the
vendor's status-code table (1002 → 400, 1004 → 401, 1008 → 429, 1000 → 500, ...). The envelope
``{"code": N, "errorMessage": "..."}`` is rendered by the protocol.
"""

from __future__ import annotations

from emulator.errors import VendorError

MEDIA_TYPE = "application/json; charset=utf-8"

INTERNAL = 1000
KEY_MISMATCH = 1001
BAD_PARAM = 1002
NO_POST_DATA = 1003
BAD_SIGNATURE = 1004
TOO_LONG = 1005
RATE_LIMITED = 1008
COUNT_EXCEEDED = 1502
BODY_TOO_LARGE = 1508
NOT_FOUND = 404

CODES: dict[int, tuple[int, str]] = {
    1000: (500, "Internal server error, please try again later."),
    1001: (401, "App Key and App Secret do not match."),
    1002: (400, "Parameter error."),
    1003: (400, "No POST data."),
    1004: (401, "Signature error, please check the App Key and App Secret."),
    1005: (400, "Parameter length exceeded."),
    1006: (401, "The app is locked or deleted."),
    1007: (401, "This method is restricted."),
    1008: (429, "Too many requests."),
    1009: (430, "The service is not enabled."),
    1015: (400, "The data to delete does not exist."),
    1016: (403, "Too many kept-alive chatrooms."),
    1050: (504, "Internal service timeout."),
    1501: (400, "Wrong parameter type."),
    1502: (400, "Count exceeded."),
    1508: (400, "The HTTP body is too large, it must be under 100 KB."),
    2007: (403, "The development environment allows at most 100 registered users."),
    404: (404, "Not Found"),
}


def rc_error(code: int, message: str = "", *, http_status: int | None = None,
             explain: str = "") -> VendorError:
    """A RongCloud error; message and HTTP status default to the table's."""
    status, default = CODES.get(code, (500, "Unknown error."))
    return VendorError(code, message or default, http_status=http_status or status,
                       explain=explain)


def param_required(name: str) -> VendorError:
    """1002 for a missing or empty form field, worded as RongCloud's SDKs word it."""
    return rc_error(BAD_PARAM, f"Paramer '{name}' is required")


def param_invalid(name: str, why: str) -> VendorError:
    """1002 for a field that is present but not acceptable."""
    return rc_error(BAD_PARAM, f"Paramer '{name}' is invalid: {why}")


def too_long(name: str, max_chars: int) -> VendorError:
    """1005 for a field longer than its limit."""
    return rc_error(TOO_LONG, f"Length of paramer '{name}' must be at most {max_chars}.")


def internal_error() -> VendorError:
    """RongCloud's answer to an unexpected exception."""
    return rc_error(INTERNAL)


def rate_limited_for(limit: int) -> VendorError:
    """1008 / HTTP 429, naming the per-second limit as RongCloud's message does."""
    return rc_error(RATE_LIMITED, f"Too many requests: the limit is {limit} per second.")


def error_for_code(code: int) -> VendorError:
    """The error RongCloud answers for a code (fault injection); unknown codes: HTTP 500."""
    return rc_error(code)
