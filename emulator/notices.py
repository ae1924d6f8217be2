"""Logging a repeated event once per interval, with a count of those left out, so a storm of
the same failure (stalled connections timing out, clients hanging up, "Too many open files")
costs a few log lines, not one per attempt."""

from __future__ import annotations

import logging

LOG_INTERVAL = 10.0


class OncePer:
    """Logs a repeated event once per ``interval`` seconds of the event loop's clock, with the
    count of those left out since."""

    def __init__(self, logger: logging.Logger, interval: float = LOG_INTERVAL) -> None:
        self.logger = logger
        self.interval = interval
        self._last: dict[str, float] = {}
        self._left_out: dict[str, int] = {}

    def log(self, key: str, level: int, message: str, now: float) -> bool:
        """Log ``message`` unless ``key`` was logged less than ``interval`` ago; True if it was
        logged."""
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._left_out[key] = self._left_out.get(key, 0) + 1
            return False
        left_out = self._left_out.pop(key, 0)
        self._last[key] = now
        if left_out:
            message += f" (and {left_out} more like it in the last {self.interval:g} s)"
        self.logger.log(level, message)
        return True
