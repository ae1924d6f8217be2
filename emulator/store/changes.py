"""Reading the change log the store's triggers write (``schema.VERSION_TRIGGERS``): what
changed in a scope's key after a version, for clients that sync incrementally.

Each (scope, key, element) row holds the element's latest change, so the changes after a
version are the rows above it, oldest first. A key's rows more than ``CHANGE_LOG_SPAN``
versions behind its newest change are dropped as it moves on; a version further behind than
that is no longer covered (None: the caller syncs in full).
"""

from __future__ import annotations

import sqlite3

from emulator.store.models import Change
from emulator.store.schema import CHANGE_LOG_SPAN

SCOPES: frozenset[str] = frozenset({"group_members", "member_order", "user_groups"})


def since(conn: sqlite3.Connection, scope: str, key: str, after: int) -> list[Change] | None:
    """The changes of ``key`` in ``scope`` above version ``after``, oldest first, or None
    when the log may have dropped some of them. ValueError for an unknown scope."""
    if scope not in SCOPES:
        raise ValueError(f"not a change-log scope: {scope}")
    newest = conn.execute("SELECT MAX(version) FROM change_log WHERE scope = ? AND key = ?",
                          (scope, key)).fetchone()[0]
    if newest is not None and after < newest - CHANGE_LOG_SPAN:
        return None
    rows = conn.execute("SELECT element, version, state FROM change_log "
                        "WHERE scope = ? AND key = ? AND version > ? ORDER BY version, element",
                        (scope, key, after))
    return [Change(*row) for row in rows]
