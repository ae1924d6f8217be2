"""P1 and memory: each vendor's joined-groups endpoint under wrk (auth on, rate limits off, a
page of 10 for a user with about 100 groups) over stores of 1,000,000 and 1,000 memberships,
against the bare Starlette echo served the same way and measured in the same run, rounds
interleaved. Also the servers' peak memory, with the 1M store in memory and in a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import loadgen, servers
from bench.data import LARGE, OUT, PAGE_USER, SMALL, fixture
from bench.loadgen import FixedRequest
from bench.stats import Row, Table, summarize, verdict
from bench.vendor_requests import (available, fetch_openim_token, requests_for, success_code,
                                   succeeded)
from emulator.clock import SystemClock
from emulator.settings import Settings

ROUNDS = 3
SECONDS = 3.0
TARGET_SHARE = 0.5
SCALING_TARGET = 1.3
BASELINE_REQUEST = FixedRequest("POST", "/echo", {"Content-Type": "application/json"},
                                b'{"fromUserID":"u1","pagination":{"pageNumber":1,"showNumber":10}}')


@dataclass
class Rates:
    """Requests per second, by target, one figure per round; why a vendor was not measured."""

    by_target: dict[str, list[float]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def add(self, target: str, rate: float) -> None:
        """Record one round."""
        self.by_target.setdefault(target, []).append(rate)


def _failure(url: str, vendor: str, request: FixedRequest) -> str:
    """Why the vendor's request does not succeed, or "" when it does."""
    response = httpx.request(request.method, url + request.path, headers=dict(request.headers),
                             content=request.body)
    if succeeded(vendor, response.status_code, response.content):
        return ""
    return f"{response.status_code} {response.text[:80]}"


def _load(url: str, request: FixedRequest) -> float:
    result = loadgen.run(url, request, SECONDS)
    if result.non_2xx or result.socket_errors:
        raise RuntimeError(f"{request.path}: {result.non_2xx} non-2xx answers, "
                           f"{result.socket_errors} socket errors")
    return result.requests_per_second


def _journal_codes_ok(url: str, vendor: str) -> None:
    entries = httpx.get(f"{url}/_emulator/journal", params={"vendor": vendor}).json()["entries"]
    bad = [entry for entry in entries
           if entry["status"] != 200 or entry["code"] != success_code(vendor)]
    if bad:
        raise RuntimeError(f"{vendor}: {len(bad)} of the last {len(entries)} answers failed: "
                           f"{bad[0]}")


def _requests(url: str) -> dict[str, FixedRequest]:
    settings = Settings()
    token = fetch_openim_token(url, settings) if "openim" in available() else None
    return requests_for(settings, PAGE_USER, SystemClock().now(), token)


def _measure(rates: Rates, label: str, store_fixture: Path, db: Path | None = None) -> float:
    """Load each vendor once per round on one server; the server's peak memory in MiB."""
    with servers.emulator(store_fixture, db=db) as server:
        requests = _requests(server.url)
        for vendor in list(requests):
            failure = _failure(server.url, vendor, requests[vendor])
            if failure:
                rates.failed[vendor] = failure
                del requests[vendor]
        for _ in range(ROUNDS):
            for vendor, request in requests.items():
                rates.add(f"{vendor}@{label}", _load(server.url, request))
                _journal_codes_ok(server.url, vendor)
        return server.peak_rss_mb()


def run(table: Table) -> None:
    """Measure and add the P1, P4 (HTTP) and memory rows."""
    loadgen.ensure_wrk()
    rates = Rates()
    large, small = fixture(LARGE), fixture(SMALL)
    with servers.echo() as echo:
        _load(echo.url, BASELINE_REQUEST)
        rates.add("echo", _load(echo.url, BASELINE_REQUEST))
        echo_memory = echo.peak_rss_mb()
    memory_large = _measure(rates, "1M", large)
    with servers.echo() as echo:
        rates.add("echo", _load(echo.url, BASELINE_REQUEST))
    _measure(rates, "1k", small)
    with servers.echo() as echo:
        rates.add("echo", _load(echo.url, BASELINE_REQUEST))
    db = OUT / "store-1M.db"
    with servers.emulator(large, db=db) as server:
        memory_file_started = server.peak_rss_mb()
        for request in _requests(server.url).values():
            _load(server.url, request)
        memory_file = server.peak_rss_mb()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)

    base = summarize(rates.by_target["echo"])
    table.add(Row("P1", "baseline: bare Starlette JSON echo", f"{base.median:,.0f} req/s",
                  f"{base.low:,.0f}..{base.high:,.0f}, n={base.count} ({base.spread_pct:.0f} %)",
                  "100 %", ""))
    for vendor, failure in sorted(rates.failed.items()):
        table.add(Row("P1", f"{vendor} joined groups", "not measured",
                      f"the request failed: {failure}", "", f">= {TARGET_SHARE:.0%}",
                      verdict(False)))
    vendors = sorted({target.split("@")[0] for target in rates.by_target if "@" in target})
    for vendor in vendors:
        big = summarize(rates.by_target[f"{vendor}@1M"])
        table.add(Row("P1", f"{vendor} joined groups, page of 10, 1M memberships",
                      f"{big.median:,.0f} req/s",
                      f"{big.low:,.0f}..{big.high:,.0f}, n={big.count} ({big.spread_pct:.0f} %)",
                      f"{big.median / base.median:.0%}", f">= {TARGET_SHARE:.0%}",
                      verdict(big.median / base.median >= TARGET_SHARE)))
    for vendor in vendors:
        big = summarize(rates.by_target[f"{vendor}@1M"])
        few = summarize(rates.by_target[f"{vendor}@1k"])
        cost_ratio = few.median / big.median
        table.add(Row("P4", f"{vendor} over HTTP: cost per request at 1M / at 1k memberships",
                      f"{cost_ratio:.2f}x", f"1k: {few.median:,.0f} req/s, 1M: "
                      f"{big.median:,.0f} req/s", "", f"<= {SCALING_TARGET}x",
                      verdict(cost_ratio <= SCALING_TARGET)))
    table.add(Row("mem", "baseline: echo server peak RSS", f"{echo_memory:.0f} MiB", "", "1.00x",
                  ""))
    table.add(Row("mem", "server peak RSS, 1M store in memory, after load",
                  f"{memory_large:.0f} MiB", "", f"{memory_large / echo_memory:.1f}x", ""))
    table.add(Row("mem", "server peak RSS, 1M file store (--db), after start",
                  f"{memory_file_started:.0f} MiB", "", f"{memory_file_started / echo_memory:.1f}x",
                  ""))
    table.add(Row("mem", "server peak RSS, 1M file store (--db), after load",
                  f"{memory_file:.0f} MiB", "", f"{memory_file / echo_memory:.1f}x", ""))
