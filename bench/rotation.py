"""Requests that defeat the store's joined-groups cache: the same signed request with its body
rotated over many users, in order, and a count that proves the rotation misses the cache.

The cache (``GroupStore``) evicts the oldest answer first and a hit does not refresh it, so a
rotation over more distinct queries than its bound never finds the next one still cached.
Every vendor's signature leaves the body out (ZEGO and Tencent sign in the query string,
RongCloud in headers, OpenIM sends a token header), so one signature serves every body.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench.data import SMALL, fixture
from bench.loadgen import FixedRequest, RotatingRequest
from emulator.clock import ManualClock
from emulator.services import fixture_template
from emulator.store import GroupStore, JoinedQuery
from emulator.store import groupstore

SENTINEL = "benchRotatingUser"


def users(count: int) -> list[str]:
    """The fixture's user ids ``u0`` .. ``u{count-1}``, in order."""
    return [f"u{index}" for index in range(count)]


def rotating(request: FixedRequest, user_ids: Sequence[str]) -> RotatingRequest:
    """A request built for ``SENTINEL``, with one body per user (in order)."""
    marker = SENTINEL.encode("ascii")
    if request.body.count(marker) != 1:
        raise ValueError(f"{request.path}: the body does not name the sentinel user once")
    bodies = tuple(request.body.replace(marker, user.encode("utf-8")) for user in user_ids)
    return RotatingRequest(request.method, request.path, request.headers, bodies)


class _CountingStore(GroupStore):
    """A store that counts the joined-groups queries it really runs (cache misses)."""

    def __init__(self) -> None:
        super().__init__()
        self.misses = 0

    def _read_page(self, query: JoinedQuery) -> Any:
        self.misses += 1
        return super()._read_page(query)


@dataclass(frozen=True)
class CacheCount:
    """How many of a rotation's reads missed the cache."""

    reads: int
    misses: int
    bound: int


async def count_misses(user_count: int, passes: int, bound: int) -> CacheCount:
    """Replay ``passes`` rotations over ``user_count`` users (a page of 10 each) through a
    real GroupStore whose cache holds ``bound`` answers, and count the misses."""
    saved = groupstore.JOINED_CACHE_SIZE
    groupstore.JOINED_CACHE_SIZE = bound
    store = _CountingStore()
    await store.open()
    try:
        await store.restore(fixture_template(fixture(SMALL), ManualClock()))
        reads = 0
        for _ in range(passes):
            for user in users(user_count):
                await store.joined(JoinedQuery(user, limit=10))
                reads += 1
        return CacheCount(reads, store.misses, bound)
    finally:
        groupstore.JOINED_CACHE_SIZE = saved
        await store.close()
