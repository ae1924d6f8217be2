"""Hosted groups' paging: the ``pageToken`` of the member, group and joined-group queries.

A token is base64 of the JSON key ``[time, id]`` of the last row of a page, and the next page
starts after that key; so rows added or removed between pages neither repeat nor hide the
others. A token this API did not give gets 1002.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from emulator.vendors.rongcloud.errors import param_invalid
from emulator.vendors.rongcloud.hosted import compact_json


def _token(key: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(compact_json(list(key)).encode()).decode()


def _untoken(token: str, name: str = "pageToken") -> list[Any]:
    try:
        key = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, RecursionError):
        raise param_invalid(name, "is not a token this API gave") from None
    if not isinstance(key, list) or len(key) != 2 or type(key[0]) is not int \
            or not isinstance(key[1], str):
        raise param_invalid(name, "is not a token this API gave")
    return key


def page_after(rows: list[Any], key_of: Any, token: str, size: int, descending: bool
               ) -> tuple[list[Any], str]:
    """A page of ``rows`` (sorted by ``key_of``, newest first when descending) after the row
    the token names; the next token ('' on the last page). Keyed, so rows added or removed
    between pages neither repeat nor hide the others."""
    rows = sorted(rows, key=key_of, reverse=descending)
    if token:
        after = tuple(_untoken(token))
        rows = [row for row in rows
                if (key_of(row) < after if descending else key_of(row) > after)]
    page = rows[:size]
    return page, _token(key_of(page[-1])) if len(rows) > size else ""
