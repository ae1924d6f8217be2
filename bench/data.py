"""Benchmark fixtures, generated once by ``fixtures/generate.py`` and cached under bench/out/.

Both sizes give each user about 100 groups, so a user's page costs the same work whatever the
size of the store: only the store around it grows.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
GENERATOR = ROOT / "fixtures" / "generate.py"


@dataclass(frozen=True)
class Size:
    """A generated store: how many users, groups and memberships."""

    users: int
    groups: int
    memberships: int
    seed: int = 7

    @property
    def path(self) -> Path:
        """Where the fixture file is cached."""
        return OUT / (f"fixture-u{self.users}-g{self.groups}-m{self.memberships}-s{self.seed}.json")


SMALL = Size(users=10, groups=100, memberships=1_000)
LARGE = Size(users=10_000, groups=100_000, memberships=1_000_000)

# A user with about 100 groups in both sizes (u1 is in many groups in each).
PAGE_USER = "u1"


def fixture(size: Size) -> Path:
    """The fixture file of a size, generated on first use."""
    path = size.path
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        subprocess.run([sys.executable, str(GENERATOR), "--users", str(size.users), "--groups",
                        str(size.groups), "--memberships", str(size.memberships), "--seed",
                        str(size.seed), "--out", str(partial)], check=True)
        partial.replace(path)
    return path
