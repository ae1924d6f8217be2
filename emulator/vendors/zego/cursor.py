"""The opaque ``Next``/``NextRsp`` cursor of QueryGroupsInfoOfUser.

A cursor carries the offset of the next page and a short check value bound to the query (AppId
and FromUserId) and keyed by the ServerSecret, so a cursor from another user's query, a tampered
one or a made-up one is refused. ``"0"`` means there is no more data; ``""`` (or ``"0"`` / ``0``
sent back) asks for the first page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

END = "0"
_CHECK_BYTES = 6


class BadCursor(ValueError):
    """A Next value that this query did not produce."""


def _check(secret: str, app_id: int, user_id: str, offset: int) -> bytes:
    message = f"{app_id}\x00{user_id}\x00{offset}".encode("utf-8", "surrogatepass")
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()[:_CHECK_BYTES]


def encode(secret: str, app_id: int, user_id: str, offset: int) -> str:
    """The cursor of the page that starts at ``offset``."""
    raw = offset.to_bytes(4, "big") + _check(secret, app_id, user_id, offset)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(secret: str, app_id: int, user_id: str, cursor: str) -> int:
    """The offset a cursor stands for; raises BadCursor when it is not this query's."""
    if cursor in ("", END):
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (binascii.Error, ValueError):
        raise BadCursor(cursor) from None
    if len(raw) != 4 + _CHECK_BYTES or not cursor.isascii():
        raise BadCursor(cursor)
    offset = int.from_bytes(raw[:4], "big")
    if not hmac.compare_digest(raw[4:], _check(secret, app_id, user_id, offset)):
        raise BadCursor(cursor)
    return offset
