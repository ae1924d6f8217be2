"""Where the real server spends its time under load: the emulator CLI over the 1M-membership
store, each vendor's joined-groups stream sent by wrk while py-spy samples the server process,
then the emulator's own frames by the share of samples that pass through them.

``python -m bench.spy [--kind miss|hit] [--seconds N] [--top N] [VENDOR ...]``; not part of
``make bench``. py-spy comes with the ``bench`` extra (``pip install -e '.[bench]'``); it
needs to read the server's memory, which root (or ptrace permission) allows.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import loadgen, servers, throughput
from bench.data import LARGE, ROOT, fixture

RATE = 200


def shares(raw: str, prefix: str) -> tuple[int, list[tuple[float, str]]]:
    """From py-spy's raw (collapsed) output: the sample count, and for each frame whose file is
    under ``prefix`` (shown without it), the share of samples whose stack passes through it,
    largest first (ties by name)."""
    through: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        total += int(count)
        frames = {frame.replace(prefix, "") for frame in stack.split(";") if prefix in frame}
        for frame in frames:
            through[frame] += int(count)
    ranked = sorted(through.items(), key=lambda item: (-item[1], item[0]))
    return total, [(100 * n / total, frame) for frame, n in ranked]


def record(vendors: Sequence[str], kind: str, seconds: float) -> dict[str, tuple[float, str]]:
    """Load each vendor's stream of ``kind`` on one server while py-spy records; for each vendor,
    the rate wrk saw and py-spy's raw output."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("py-spy is not installed: pip install -e '.[bench]'")
    results: dict[str, tuple[float, str]] = {}
    with servers.emulator(fixture(LARGE)) as server, tempfile.TemporaryDirectory() as tmp:
        streams = throughput._streams(server.url, LARGE.users, (kind,))
        for vendor in vendors:
            request = streams[(vendor, kind)]
            loadgen.run(server.url, request, 1)
            out = Path(tmp) / f"{vendor}.txt"
            sampler = subprocess.Popen([spy, "record", "--pid", str(server.pid), "--format", "raw",
                                        "--output", str(out), "--rate", str(RATE),
                                        "--duration", str(int(seconds)), "--nonblocking",
                                        "--full-filenames"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            result = loadgen.run(server.url, request, seconds)
            sampler.wait()
            results[vendor] = (result.requests_per_second,
                               out.read_text() if out.exists() else "")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Record and print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.spy", description=__doc__)
    parser.add_argument("vendors", nargs="*", default=["openim", "rongcloud", "tencent", "zego"])
    parser.add_argument("--kind", choices=(throughput.MISS, throughput.HIT),
                        default=throughput.MISS)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    prefix = f"{ROOT}/emulator/"
    for vendor, (rate, raw) in record(args.vendors, args.kind, args.seconds).items():
        total, rows = shares(raw, prefix)
        sys.stdout.write(f"## {vendor} ({args.kind}): {rate:,.0f} req/s under py-spy, "
                         f"{total} samples\n")
        for share, frame in rows[:args.top]:
            sys.stdout.write(f"{share:5.1f} %  {frame}\n")
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
