"""BoundedCache: the one bounded cache of the code base, a small least-recently-used map.

A hit makes the entry the most recently used; putting a new key into a full cache evicts the
least recently used entry. ``maxsize`` 0 caches nothing (every ``get`` misses), which is how a
caller turns caching off. Values must not be None (``get`` answers None for a miss). Not
thread-safe: each cache belongs to one event loop.

Every cache whose entries its owner puts and clears uses it (the store's joined-groups answers, a
vendor's verified tokens or seen nonces); a pure function of its arguments is cached
with ``functools.lru_cache`` instead.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most ``maxsize`` entries, least recently used evicted first."""

    __slots__ = ("maxsize", "_entries")

    def __init__(self, maxsize: int) -> None:
        if maxsize < 0:
            raise ValueError(f"maxsize must not be negative, not {maxsize}")
        self.maxsize = maxsize
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, evicting the least recently used entry if full."""
        entries = self._entries
        if key in entries:
            entries.move_to_end(key)
        elif len(entries) >= self.maxsize:
            if self.maxsize == 0:
                return
            entries.popitem(last=False)
        entries[key] = value

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries
