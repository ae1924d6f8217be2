"""One rate limiter for every vendor: fixed one-second windows per key.

A key is any tuple (the pipeline uses (vendor, app, endpoint); a vendor may add its own, such
as a per-group limit). Windows are read from the Clock, so a frozen clock keeps every request in
the same second and tests never sleep. A limit of 0 or None is no limit; one switch turns every
limit off. Each vendor renders its own over-limit answer.
"""

from __future__ import annotations

from collections.abc import Hashable

from emulator.clock import Clock


class RateLimiter:
    """Counts requests per key and per clock second."""

    def __init__(self, clock: Clock, *, enabled: bool = True) -> None:
        self._clock = clock
        self.enabled = enabled
        self._window = -1
        self._counts: dict[Hashable, int] = {}

    def allow(self, key: Hashable, limit: int | None) -> bool:
        """Count one request under ``key``; False when it exceeds ``limit`` in its window."""
        if not self.enabled or not limit:
            return True
        window = int(self._clock.now() // 1)
        if window != self._window:
            self._window = window
            self._counts.clear()
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        return count <= limit

    def retry_after(self) -> float:
        """Seconds until the current window ends."""
        now = self._clock.now()
        return float(int(now // 1) + 1) - now

    def clear(self) -> None:
        """Forget every count."""
        self._counts.clear()
        self._window = -1
