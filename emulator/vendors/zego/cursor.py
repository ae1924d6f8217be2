"""The ``Next``/``NextRsp`` cursor of QueryGroupsInfoOfUser: a numeric string, as the docs'
samples show ("3"). ``NextRsp`` is the offset of the next page in the user's list, ``"0"`` when
there is no more data; ``Next`` ``""`` or ``"0"`` asks for the first page, and any other
decimal string is read as the offset to start at (a client that keeps or builds one as the docs
show works). Anything else is not a cursor.
"""

from __future__ import annotations

END = "0"
# Offsets past this are past the end of any list.
OFFSET_MAX = 2**31 - 1
_DIGITS_MAX = 19


class BadCursor(ValueError):
    """A Next value that is not a numeric string."""


def encode(offset: int) -> str:
    """The cursor of the page that starts at ``offset``."""
    return str(offset)


def decode(cursor: str) -> int:
    """The offset a cursor stands for (at most OFFSET_MAX); raises BadCursor when it is not a
    decimal string."""
    if cursor in ("", END):
        return 0
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > _DIGITS_MAX:
        raise BadCursor(cursor)
    return min(int(cursor), OFFSET_MAX)
