"""The one source of time: every timestamp check, window and created-at reads a Clock.

``SystemClock`` follows the wall clock. ``ManualClock`` follows it too until it is frozen; then it
stands still until advanced or set. The server always runs on a ManualClock so that
``/_emulator/clock`` and the pytest fixtures can move time for signatures, tokens and rate limits.
"""

from __future__ import annotations

import time
from typing import Protocol


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
        return self._base.now() + self._offset

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
        """Move the clock forward (or back, with a negative value)."""
        if self._frozen:
            self._fixed += seconds
        else:
            self._offset += seconds

    def set(self, unix_seconds: float) -> None:
        """Jump to a given Unix time."""
        if self._frozen:
            self._fixed = float(unix_seconds)
        else:
            self._offset = float(unix_seconds) - self._base.now()
