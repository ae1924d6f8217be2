"""Samples and the result table: every figure is a median with its spread, and a ratio against a
baseline measured in the same run.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Summary:
    """The median of some samples and their spread (min..max, and as a share of the median)."""

    median: float
    low: float
    high: float
    count: int

    @property
    def spread_pct(self) -> float:
        """(max - min) / median, in percent."""
        return 0.0 if self.median == 0 else (self.high - self.low) / self.median * 100


def summarize(samples: Sequence[float]) -> Summary:
    """The summary of at least one sample."""
    if not samples:
        raise ValueError("no samples")
    return Summary(statistics.median(samples), min(samples), max(samples), len(samples))


@dataclass
class Row:
    """One line of the result table."""

    section: str
    what: str
    value: str
    spread: str
    baseline: str
    target: str
    verdict: str = ""


@dataclass
class Table:
    """Rows collected by every benchmark, printed once at the end."""

    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> None:
        """Append a row."""
        self.rows.append(row)

    def markdown(self) -> str:
        """The table in Markdown."""
        head = ("| | measurement | median | spread (min..max, n) | vs baseline | target | |",
                "|---|---|---|---|---|---|---|")
        lines = [f"| {r.section} | {r.what} | {r.value} | {r.spread} | {r.baseline} | {r.target} "
                 f"| {r.verdict} |" for r in self.rows]
        return "\n".join([*head, *lines])


def verdict(ok: bool | None) -> str:
    """A pass/fail mark (blank when there is no target)."""
    if ok is None:
        return ""
    return "PASS" if ok else "MISS"


def spread_text(summary: Summary, unit: str, digits: int = 2) -> str:
    """``low..high unit, n=count (±x %)``."""
    return (f"{summary.low:.{digits}f}..{summary.high:.{digits}f} {unit}, n={summary.count} "
            f"({summary.spread_pct:.0f} %)")
