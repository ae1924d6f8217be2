"""BoundedCache: answers what was put, evicts the least recently used entry when full, and
keeps nothing at size 0."""

from __future__ import annotations

import pytest

from emulator.cache import BoundedCache


def test_get_answers_what_was_put_and_none_otherwise() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    assert cache.get("a") == 1 and cache.get("b") is None
    assert "a" in cache and "b" not in cache and len(cache) == 1
    cache.put("a", 2)
    assert cache.get("a") == 2 and len(cache) == 1


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: BoundedCache[str, int] = BoundedCache(3)
    for key, value in (("a", 1), ("b", 2), ("c", 3)):
        cache.put(key, value)
    assert cache.get("a") == 1
    cache.put("d", 4)
    assert cache.get("b") is None
    assert [cache.get(key) for key in "acd"] == [1, 3, 4]
    cache.put("c", 30)
    cache.put("e", 5)
    assert cache.get("a") is None and len(cache) == 3 == cache.maxsize


def test_clear_and_size_zero() -> None:
    cache: BoundedCache[int, int] = BoundedCache(10)
    for i in range(20):
        cache.put(i, i)
    assert len(cache) == 10 and cache.get(9) is None and cache.get(19) == 19
    cache.clear()
    assert len(cache) == 0 and cache.get(19) is None
    off: BoundedCache[int, int] = BoundedCache(0)
    off.put(1, 1)
    assert len(off) == 0 and off.get(1) is None
    with pytest.raises(ValueError):
        BoundedCache(-1)
