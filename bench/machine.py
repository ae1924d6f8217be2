"""What the figures were measured on: date, cores, CPU model, Python and library versions."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

LIBRARIES = ("starlette", "uvicorn", "aiosqlite", "orjson", "httpx", "h11", "httptools", "uvloop")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def wrk_version() -> str:
    """The first line of ``wrk --version``, or "missing"."""
    try:
        done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "missing"
    return (done.stdout or done.stderr).splitlines()[0].strip()


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
        f"- machine: {os.cpu_count()} cores, {cpu_model()}, {platform.system()} "
        f"{platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- libraries: {', '.join(versions)}",
        f"- load generator: {wrk_version()}",
    ])
