"""The one source of time: every timestamp check, window and created-at reads a Clock.

``SystemClock`` follows the wall clock. ``ManualClock`` follows it too until it is frozen; then it
stands still until advanced or set. The server always runs on a ManualClock so that
``/_emulator/clock`` and the pytest fixtures can move time for signatures, tokens and rate limits.

A ManualClock only ever reads a time from ``EARLIEST`` to ``LATEST``: the Unix epoch to the
last second a signed 32-bit count of seconds holds (2038-01-19T03:14:07Z), which every vendor's
time fields can represent (seconds or milliseconds, signed or not). ``set`` and ``advance``
refuse a value that would leave that range, or that is not a finite number, with
``ClockRangeError`` and leave the clock as it was.
"""

from __future__ import annotations

import math
import time
from typing import Protocol

EARLIEST = 0.0
LATEST = float(2**31 - 1)


class ClockRangeError(ValueError):
    """A clock value that is not a finite number, or a time outside EARLIEST..LATEST."""


class Clock(Protocol):
    """Anything that tells the current Unix time in seconds."""

    def now(self) -> float:
        """The current Unix time, in seconds."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> float:
        """The current Unix time, in seconds."""
        return time.time()


class ManualClock:
    """A clock that follows another until frozen, and can be advanced or set either way."""

    def __init__(self, start: float | None = None, *, base: Clock | None = None) -> None:
        self._base: Clock = base or SystemClock()
        self._frozen = start is not None
        self._fixed = float(start) if start is not None else 0.0
        self._offset = 0.0

    @property
    def frozen(self) -> bool:
        """True while the clock stands still."""
        return self._frozen

    def now(self) -> float:
        """The current Unix time, in seconds."""
        if self._frozen:
            return self._fixed
        return min(max(self._base.now() + self._offset, EARLIEST), LATEST)

    def now_ms(self) -> int:
        """The current Unix time, in whole milliseconds."""
        return int(self.now() * 1000)

    def freeze(self) -> None:
        """Stop the clock at the current time."""
        if not self._frozen:
            self._fixed = self.now()
            self._frozen = True

    def unfreeze(self) -> None:
        """Let the clock run again from where it stands."""
        if self._frozen:
            self._offset = self._fixed - self._base.now()
            self._frozen = False

    def reset(self) -> None:
        """Follow the base clock again, with no offset."""
        self._frozen = False
        self._offset = 0.0

    def advance(self, seconds: float) -> None:
        """Move the clock forward (or back, with a negative value); ClockRangeError (and no
        change) when the result would be outside EARLIEST..LATEST."""
        seconds = _finite(seconds, "advance")
        target = self.now() + seconds
        if not EARLIEST <= target <= LATEST:
            raise ClockRangeError(
                f"advance {seconds:g} would move the clock to {target:.0f}, outside "
                f"{EARLIEST:.0f}..{LATEST:.0f} (1970-01-01 to 2038-01-19)")
        if self._frozen:
            self._fixed += seconds
        else:
            self._offset += seconds

    def set(self, unix_seconds: float) -> None:
        """Jump to a given Unix time; ClockRangeError (and no change) outside
        EARLIEST..LATEST."""
        value = _finite(unix_seconds, "set")
        if not EARLIEST <= value <= LATEST:
            raise ClockRangeError(
                f"set takes Unix seconds from {EARLIEST:.0f} to {LATEST:.0f} "
                f"(1970-01-01 to 2038-01-19), not {value:g}")
        if self._frozen:
            self._fixed = value
        else:
            self._offset = value - self._base.now()


def _finite(value: float, command: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ClockRangeError(f"{command} takes a number of seconds") from None
    if not math.isfinite(number):
        raise ClockRangeError(f"{command} takes a finite number of seconds, not {number}")
    return number
