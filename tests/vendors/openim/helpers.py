"""What the OpenIM tests share besides the client fixture: the default credentials, the clock's
start, OpenIM's error envelope, a JWT signer for hand-made tokens and the usual bodies."""

from __future__ import annotations

import warnings
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

SECRET = "openIM123"
ADMIN = "imAdmin"
NOW = 1_800_000_000
JOINED = "/group/get_joined_group_list"


def envelope(code: int, msg: str, dlt: str = "") -> dict[str, Any]:
    """OpenIM's envelope without data."""
    return {"errCode": code, "errMsg": msg, "errDlt": dlt}


def sign(claims: dict[str, Any], key: str = SECRET, alg: str = "HS256") -> str:
    """A JWT made by hand (``alg="none"`` for an unsigned one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(claims, None if alg == "none" else key.encode(), algorithm=alg)


def claims(user: str = ADMIN, **extra: Any) -> dict[str, Any]:
    """The claims of an admin token valid for an hour from NOW, with changes."""
    return {"UserID": user, "PlatformID": 10, "exp": NOW + 3600, "iat": NOW - 5, **extra}


def joined_body(user: str = "alice", page: int = 1, show: int = 10) -> dict[str, Any]:
    """A get_joined_group_list body."""
    return {"fromUserID": user, "pagination": {"pageNumber": page, "showNumber": show}}
