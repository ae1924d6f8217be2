"""P3: loading a fixture of 1,000,000 memberships into a store, the way the CLI and the pytest
plugin do (read, validate, write an in-memory template), each in a fresh process. The baseline is
parsing the same file with orjson alone, in the same process.

``python -m bench.seeding FILE`` prints one load's timings as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import orjson

from bench.data import LARGE, ROOT, fixture
from bench.stats import Row, Table, spread_text, summarize, verdict
from emulator.clock import ManualClock
from emulator.services import fixture_template

RUNS = 3
TARGET_S = 5.0


def load_once(path: Path) -> dict[str, float]:
    """Seconds to parse the file with orjson alone, then to load it as the emulator does."""
    began = time.perf_counter()
    orjson.loads(path.read_bytes())
    parsed = time.perf_counter()
    template = fixture_template(path, ManualClock())
    loaded = time.perf_counter()
    count = template.execute("SELECT COUNT(*) FROM memberships").fetchone()[0]
    return {"parse_s": parsed - began, "load_s": loaded - parsed, "memberships": count}


def run(table: Table) -> None:
    """Measure and add the P3 rows."""
    path = fixture(LARGE)
    parse: list[float] = []
    load: list[float] = []
    for _ in range(RUNS):
        done = subprocess.run([sys.executable, "-m", "bench.seeding", str(path)], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        figures = json.loads(done.stdout)
        if figures["memberships"] != LARGE.memberships:
            raise RuntimeError(f"loaded {figures['memberships']} memberships, not "
                               f"{LARGE.memberships}")
        parse.append(figures["parse_s"])
        load.append(figures["load_s"])
    base, cost = summarize(parse), summarize(load)
    table.add(Row("P3", "baseline: orjson.loads of the 1M-membership file",
                  f"{base.median:.2f} s", spread_text(base, "s"), "1.00x", ""))
    table.add(Row("P3", "load 1M memberships (read, validate, build the store)",
                  f"{cost.median:.2f} s", spread_text(cost, "s"),
                  f"{cost.median / base.median:.1f}x", f"<= {TARGET_S:g} s",
                  verdict(cost.median <= TARGET_S)))


def main(argv: Sequence[str] | None = None) -> int:
    """Load one file and print the timings."""
    args = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.write(json.dumps(load_once(Path(args[0]))) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
