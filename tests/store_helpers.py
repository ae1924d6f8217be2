"""A GroupStore opened on a fixture object, for the store tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from emulator.store import GroupStore, open_template, parse_fixture


@asynccontextmanager
async def store_of(fixture: dict[str, Any]) -> AsyncIterator[GroupStore]:
    """An in-memory store holding ``fixture``, closed afterwards."""
    store = GroupStore()
    await store.open()
    await store.restore(open_template(parse_fixture(fixture, source="t", now_ms=1000)))
    try:
        yield store
    finally:
        await store.close()
