"""One rate limiter for every vendor: fixed one-second windows keyed (vendor, app, endpoint).

Windows are read from the Clock, so a frozen clock keeps every request in the same second and
tests never sleep. A vendor whose limit is 0 or None is not limited; one switch turns every limit
off. Each vendor renders its own over-limit answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from emulator.clock import Clock

Key = tuple[str, str, str]


class RateLimiter:
    """Counts requests per (vendor, app, endpoint) and per clock second."""

    def __init__(self, clock: Clock, limits: Mapping[str, int | None], *, enabled: bool = True) -> None:
        self._clock = clock
        self._limits = dict(limits)
        self.enabled = enabled
        self._window = -1
        self._counts: dict[Key, int] = {}

    def limit(self, vendor: str) -> int | None:
        """The per-second limit for a vendor, or None when it is not limited."""
        if not self.enabled:
            return None
        return self._limits.get(vendor) or None

    def set_limit(self, vendor: str, limit: int | None) -> None:
        """Change one vendor's limit (0 or None: unlimited)."""
        self._limits[vendor] = limit

    def allow(self, vendor: str, app: str, endpoint: str) -> bool:
        """Count one request; False when it exceeds its window's limit."""
        limit = self.limit(vendor)
        if limit is None:
            return True
        window = int(self._clock.now() // 1)
        if window != self._window:
            self._window = window
            self._counts.clear()
        key = (vendor, app, endpoint)
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
