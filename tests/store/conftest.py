"""The store tests' shared fixtures: ``store_of(fixture)``, an in-memory GroupStore holding a
fixture object, closed afterwards, and ``store``, one holding ``SMALL`` (a module may define
its own ``store`` over another fixture)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import pytest

from emulator.store import GroupStore, open_template, parse_fixture
from tests.store.fixtures import SMALL

StoreOf = Callable[..., AbstractAsyncContextManager[GroupStore]]


@pytest.fixture
def store_of() -> StoreOf:
    """``async with store_of(fixture, cache_size=...) as store``: a store holding ``fixture``."""

    @asynccontextmanager
    async def opened(fixture: dict[str, Any], **options: Any) -> AsyncIterator[GroupStore]:
        store = GroupStore(**options)
        await store.open()
        await store.restore(open_template(parse_fixture(fixture, source="t", now_ms=1000)))
        try:
            yield store
        finally:
            await store.close()

    return opened


@pytest.fixture
async def store(store_of: StoreOf) -> AsyncIterator[GroupStore]:
    """A store holding the SMALL fixture."""
    async with store_of(SMALL) as opened:
        yield opened
