"""The request journal: a bounded ring of every vendor request, newest last."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One vendor request as it was answered."""

    seq: int
    time: float
    vendor: str
    method: str
    path: str
    endpoint: str
    app: str
    user: str
    status: int
    code: int | None
    duration_ms: float
    reason: str

    def as_json(self) -> dict[str, Any]:
        """The entry as the admin API shows it."""
        return asdict(self)


class Journal:
    """Keeps the last ``size`` entries."""

    def __init__(self, size: int) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._seq = 0

    @property
    def size(self) -> int:
        """How many entries are kept at most."""
        return self._entries.maxlen or 0

    def next_seq(self) -> int:
        """A new sequence number for an entry about to be recorded."""
        self._seq += 1
        return self._seq

    def record(self, entry: JournalEntry) -> None:
        """Add an entry, dropping the oldest past the bound."""
        self._entries.append(entry)

    def entries(self) -> Iterable[JournalEntry]:
        """The kept entries, oldest first."""
        return tuple(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
