"""Figures and the result table: timing helpers (batches of calls, each giving a per-call
median), summaries (median and spread), table rows with their ratio against a baseline measured
in the same run, and the description of the machine the table was measured on.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

LIBRARIES = ("starlette", "uvicorn", "aiosqlite", "orjson", "httpx", "h11", "httptools", "uvloop")


class Missing(RuntimeError):
    """A tool a section needs is not installed; the message names the Debian package."""


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


def spread_text(summary: Summary, unit: str, digits: int = 2) -> str:
    """``low..high unit, n=count (x %)``."""
    return (f"{summary.low:.{digits}f}..{summary.high:.{digits}f} {unit}, n={summary.count} "
            f"({summary.spread_pct:.0f} %)")


async def per_call_ms(call: Callable[[], Awaitable[object]], *, batches: int, per_batch: int,
                      warmup: int = 20) -> list[float]:
    """Milliseconds per call: each batch's per-call median."""
    for _ in range(warmup):
        await call()
    medians: list[float] = []
    for _ in range(batches):
        samples: list[float] = []
        for _ in range(per_batch):
            began = time.perf_counter()
            await call()
            samples.append((time.perf_counter() - began) * 1000)
        medians.append(statistics.median(samples))
    return medians


def verdict(ok: bool | None) -> str:
    """PASS or MISS (blank when there is no target)."""
    if ok is None:
        return ""
    return "PASS" if ok else "MISS"


@dataclass
class Row:
    """One line of the result table."""

    section: str
    what: str
    value: str
    spread: str = ""
    baseline: str = ""
    target: str = ""
    verdict: str = ""


@dataclass
class Table:
    """Rows collected by every section, printed once at the end; ``skipped`` holds the
    sections that could not run and why, ``appendix`` the Markdown reports of sections that are
    not rows (H)."""

    rows: list[Row] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    appendix: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        """Append a row."""
        self.rows.append(row)

    def markdown(self) -> str:
        """The table in Markdown, then one line per skipped section."""
        head = ("| | measurement | median | spread (min..max, n) | vs baseline | target | |",
                "|---|---|---|---|---|---|---|")
        lines = [f"| {r.section} | {r.what} | {r.value} | {r.spread} | {r.baseline} | {r.target} "
                 f"| {r.verdict} |" for r in self.rows]
        notes = [f"- {section} not run: {why}" for section, why in self.skipped.items()]
        return "\n".join([*head, *lines, *([""] + notes if notes else []),
                          *([""] + self.appendix if self.appendix else [])])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _wrk_version() -> str:
    try:
        done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "missing"
    return ((done.stdout or done.stderr).splitlines() or ["unknown"])[0].strip()


def describe(date: str) -> str:
    """The machine description written above the table."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return "\n".join([
        f"- date: {date}",
        f"- machine: {os.cpu_count()} cores, {_cpu_model()}, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- libraries: {', '.join(versions)}",
        f"- load generator: {_wrk_version()}",
    ])
