"""P1 and memory: each vendor's joined-groups endpoint under wrk (auth on, rate limits off, a
page of 10) over stores of 1,000,000 and 1,000 memberships, against the bare Starlette echo
served the same way and measured in the same run, rounds interleaved. Also the servers' peak
memory, with the 1M store in memory and in a file.

Two request streams per vendor: "cache hit" repeats one request (user u1), so after the first
call the store answers from its joined-groups cache; "cache miss" rotates the body over every
user of the store in order (bench/rotation.py), so every request runs the SQL. The P1 verdict
and P4 over HTTP use the cache-miss stream.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import loadgen, rotation, servers
from bench.data import LARGE, OUT, PAGE_USER, SMALL, fixture
from bench.loadgen import FixedRequest, RotatingRequest
from bench.stats import Row, Table, summarize, verdict
from bench.vendor_requests import (available, fetch_openim_token, requests_for, success_code,
                                   succeeded)
from emulator.clock import SystemClock
from emulator.settings import Settings
from emulator.store import groupstore

ROUNDS = 3
SECONDS = 3.0
TARGET_SHARE = 0.5
SCALING_TARGET = 1.3
BASELINE_REQUEST = FixedRequest("POST", "/echo", {"Content-Type": "application/json"},
                                b'{"fromUserID":"u1","pagination":{"pageNumber":1,"showNumber":10}}')
BASELINE_ROTATING = rotation.rotating(
    FixedRequest(BASELINE_REQUEST.method, BASELINE_REQUEST.path, BASELINE_REQUEST.headers,
                 BASELINE_REQUEST.body.replace(b'"u1"', f'"{rotation.SENTINEL}"'.encode())),
    rotation.users(LARGE.users))
HIT, MISS = "hit", "miss"
UNCACHED_LAUNCHER = "bench.uncached_server"


@dataclass
class Rates:
    """Requests per second, by target, one figure per round; why a vendor was not measured."""

    by_target: dict[str, list[float]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def add(self, target: str, rate: float) -> None:
        """Record one round."""
        self.by_target.setdefault(target, []).append(rate)


def _failure(url: str, vendor: str, request: FixedRequest | RotatingRequest) -> str:
    """Why the vendor's request (each of a rotation's first, second and last bodies) does not
    succeed, or "" when it does."""
    bodies = ((request.body,) if isinstance(request, FixedRequest)
              else (request.bodies[0], request.bodies[1], request.bodies[-1]))
    for body in bodies:
        response = httpx.request(request.method, url + request.path,
                                 headers=dict(request.headers), content=body)
        if not succeeded(vendor, response.status_code, response.content):
            return f"{response.status_code} {response.text[:80]}"
    return ""


def _load(url: str, request: FixedRequest | RotatingRequest) -> float:
    result = loadgen.run(url, request, SECONDS)
    if result.non_2xx or result.socket_errors:
        raise RuntimeError(f"{request.path}: {result.non_2xx} non-2xx answers, "
                           f"{result.socket_errors} socket errors")
    return result.requests_per_second


def _journal_codes_ok(url: str, vendor: str) -> None:
    entries = httpx.get(f"{url}/_emulator/journal", params={"vendor": vendor}).json()["entries"]
    if not entries:
        raise RuntimeError(f"{vendor}: the journal holds none of its answers")
    bad = [entry for entry in entries
           if entry["status"] != 200 or entry["code"] != success_code(vendor)]
    if bad:
        raise RuntimeError(f"{vendor}: {len(bad)} of the last {len(entries)} answers failed: "
                           f"{bad[0]}")


def _signed(url: str, user: str) -> dict[str, FixedRequest]:
    settings = Settings()
    token = fetch_openim_token(url, settings) if "openim" in available() else None
    return requests_for(settings, user, SystemClock().now(), token)


def _streams(url: str, user_count: int,
             kinds: tuple[str, ...]) -> dict[tuple[str, str], FixedRequest | RotatingRequest]:
    """Each vendor's request stream of each kind: (vendor, kind) -> request."""
    streams: dict[tuple[str, str], FixedRequest | RotatingRequest] = {}
    if HIT in kinds:
        for vendor, request in _signed(url, PAGE_USER).items():
            streams[(vendor, HIT)] = request
    if MISS in kinds:
        users = rotation.users(user_count)
        for vendor, request in _signed(url, rotation.SENTINEL).items():
            streams[(vendor, MISS)] = rotation.rotating(request, users)
    return streams


def _measure(rates: Rates, label: str, store_fixture: Path, user_count: int,
             kinds: tuple[str, ...], module: str = "emulator") -> float:
    """Load each vendor's streams once per round on one server; its peak memory in MiB."""
    with servers.emulator(store_fixture, module=module) as server:
        streams = _streams(server.url, user_count, kinds)
        for key in list(streams):
            failure = _failure(server.url, key[0], streams[key])
            if failure:
                rates.failed[f"{key[0]} ({key[1]})"] = failure
                del streams[key]
        for _ in range(ROUNDS):
            for (vendor, kind), request in streams.items():
                rates.add(f"{vendor}@{label}/{kind}", _load(server.url, request))
                _journal_codes_ok(server.url, vendor)
        return server.peak_rss_mb()


def _echo_round(rates: Rates) -> float:
    """One echo round of each stream; the echo server's peak memory in MiB."""
    with servers.echo() as echo:
        _load(echo.url, BASELINE_REQUEST)
        rates.add("echo", _load(echo.url, BASELINE_REQUEST))
        rates.add("echo/rotating", _load(echo.url, BASELINE_ROTATING))
        return echo.peak_rss_mb()


def _rate_row(what: str, samples: list[float], base: float, target: bool) -> Row:
    got = summarize(samples)
    share = got.median / base
    return Row("P1", what, f"{got.median:,.0f} req/s",
               f"{got.low:,.0f}..{got.high:,.0f}, n={got.count} ({got.spread_pct:.0f} %)",
               f"{share:.0%}", f">= {TARGET_SHARE:.0%}" if target else "",
               verdict(share >= TARGET_SHARE) if target else "")


def _cache_rows(table: Table) -> None:
    """Prove, in-process through a real GroupStore, that each rotation misses every time."""
    checks = ((LARGE.users, groupstore.JOINED_CACHE_SIZE, "1M rotation (u0..u9999)"),
              (SMALL.users, 1, f"1k rotation (u0..u9), {UNCACHED_LAUNCHER}"))
    for user_count, bound, label in checks:
        count = asyncio.run(rotation.count_misses(user_count, 2, bound))
        table.add(Row("P1", f"cache check: {label}, cache bound {bound}, 2 passes",
                      f"{count.misses:,} misses of {count.reads:,} reads", "", "", "every read",
                      verdict(count.misses == count.reads)))


def run(table: Table) -> None:
    """Measure and add the P1, P4 (HTTP) and memory rows."""
    loadgen.ensure_wrk()
    rates = Rates()
    large, small = fixture(LARGE), fixture(SMALL)
    echo_memory = _echo_round(rates)
    memory_large = _measure(rates, "1M", large, LARGE.users, (HIT, MISS))
    _echo_round(rates)
    _measure(rates, "1k", small, SMALL.users, (MISS,), module=UNCACHED_LAUNCHER)
    _echo_round(rates)
    db = OUT / "store-1M.db"
    with servers.emulator(large, db=db) as server:
        memory_file_started = server.peak_rss_mb()
        for request in _signed(server.url, PAGE_USER).values():
            _load(server.url, request)
        memory_file = server.peak_rss_mb()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)

    base = summarize(rates.by_target["echo"])
    table.add(Row("P1", "baseline: bare Starlette JSON echo", f"{base.median:,.0f} req/s",
                  f"{base.low:,.0f}..{base.high:,.0f}, n={base.count} ({base.spread_pct:.0f} %)",
                  "100 %", ""))
    table.add(_rate_row("echo, body rotated over 10,000 users (the wrk script's own cost)",
                        rates.by_target["echo/rotating"], base.median, False))
    _cache_rows(table)
    for key, failure in sorted(rates.failed.items()):
        table.add(Row("P1", f"{key} joined groups", "not measured",
                      f"the request failed: {failure}", "", f">= {TARGET_SHARE:.0%}",
                      verdict(False)))
    vendors = sorted({target.split("@")[0] for target in rates.by_target if "@" in target})
    for vendor in vendors:
        misses = rates.by_target.get(f"{vendor}@1M/{MISS}")
        if misses:
            table.add(_rate_row(f"{vendor} joined groups, page of 10, 1M memberships, cache miss "
                                "(10,000 users in turn)", misses, base.median, True))
        hits = rates.by_target.get(f"{vendor}@1M/{HIT}")
        if hits:
            table.add(_rate_row(f"{vendor} joined groups, page of 10, 1M memberships, cache hit "
                                "(one request repeated)", hits, base.median, False))
    for vendor in vendors:
        if f"{vendor}@1M/{MISS}" not in rates.by_target or \
                f"{vendor}@1k/{MISS}" not in rates.by_target:
            continue
        big = summarize(rates.by_target[f"{vendor}@1M/{MISS}"])
        few = summarize(rates.by_target[f"{vendor}@1k/{MISS}"])
        cost_ratio = few.median / big.median
        table.add(Row("P4", f"{vendor} over HTTP, cache miss: cost per request at 1M / at 1k "
                            "memberships", f"{cost_ratio:.2f}x",
                      f"1k: {few.median:,.0f} req/s, 1M: {big.median:,.0f} req/s", "",
                      f"<= {SCALING_TARGET}x", verdict(cost_ratio <= SCALING_TARGET)))
    table.add(Row("mem", "baseline: echo server peak RSS", f"{echo_memory:.0f} MiB", "", "1.00x",
                  ""))
    table.add(Row("mem", "server peak RSS, 1M store in memory, after load",
                  f"{memory_large:.0f} MiB", "", f"{memory_large / echo_memory:.1f}x", ""))
    table.add(Row("mem", "server peak RSS, 1M file store (--db), after start",
                  f"{memory_file_started:.0f} MiB", "", f"{memory_file_started / echo_memory:.1f}x",
                  ""))
    table.add(Row("mem", "server peak RSS, 1M file store (--db), after load",
                  f"{memory_file:.0f} MiB", "", f"{memory_file / echo_memory:.1f}x", ""))
