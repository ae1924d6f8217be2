"""P1 (and P4 over HTTP, and peak memory): each vendor's joined-groups endpoint under wrk on
loopback (auth on, rate limits off, a page of 10, 1 thread, 32 connections), beside the bare
Starlette echo on the same server stack, measured in the same run with the rounds interleaved.

Two streams per vendor over the 1M-membership store: "cache miss" rotates the body over every
user of the store in order (10,000 users, more than the store's read cache holds), so every
request runs the SQL; "cache hit" repeats one request, so after the first call the store
answers from its cache. P4 over HTTP compares the cache-miss cost per request at 1M with the
same at 1k memberships, where the server runs with ``--read-cache-size 0`` (ten users are too
few to defeat the cache by rotation). With two trees (``--compare``) each vendor's stream is
loaded on both servers one after the other, round after round, and the rows give their ratio.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx

from bench import servers
from bench.report import Row, Table, summarize, verdict
from bench.servers import Server, Tree
from bench.workload import (CASES, LARGE, PAGE_USER, SENTINEL, SMALL, FixedRequest,
                            RotatingRequest, fixture, rotating, signed_on, succeeded, users)

ROUNDS = 3
SECONDS = 3.0
TARGET_SHARE = 0.5
COMPARE_TARGET = 1.10  # cost per request after / before (the "within 10 %")
SCALING_TARGET = 1.3
HIT, MISS = "hit", "miss"
BASELINE = FixedRequest("POST", "/echo", {"Content-Type": "application/json"},
                        b'{"fromUserID":"u1","pagination":{"pageNumber":1,"showNumber":10}}')
BASELINE_ROTATING = rotating(
    FixedRequest(BASELINE.method, BASELINE.path, BASELINE.headers,
                 BASELINE.body.replace(b'"u1"', f'"{SENTINEL}"'.encode())),
    users(LARGE.users))
Stream = FixedRequest | RotatingRequest


@dataclass
class Target:
    """One server under load and its streams: (vendor, kind) -> request."""

    label: str
    server: Server
    streams: dict[tuple[str, str], Stream] = field(default_factory=dict)


def _failure(url: str, vendor: str, request: Stream) -> str:
    """Why a stream's request (a rotation's first, second and last bodies) does not
    succeed, or "" when it does."""
    bodies = ((request.body,) if isinstance(request, FixedRequest)
              else (request.bodies[0], request.bodies[1], request.bodies[-1]))
    for body in bodies:
        response = httpx.request(request.method, url + request.path,
                                 headers=dict(request.headers), content=body)
        if not succeeded(vendor, response.status_code, response.content):
            return f"{response.status_code} {response.text[:80]}"
    return ""


def _journal_ok(url: str, vendor: str) -> None:
    """Every answer the journal kept for the vendor is its success envelope."""
    entries = httpx.get(f"{url}/_emulator/journal", params={"vendor": vendor}).json()["entries"]
    if not entries:
        raise servers.ServerFailed(f"{vendor}: the journal holds none of its answers")
    ok = CASES[vendor].success_code
    bad = [entry for entry in entries if entry["status"] != 200 or entry["code"] != ok]
    if bad:
        raise servers.ServerFailed(f"{vendor}: {len(bad)} of the last {len(entries)} answers "
                                   f"failed: {bad[0]}")


def _target(label: str, server: Server, user_count: int, kinds: Sequence[str],
            failed: dict[str, str]) -> Target:
    target = Target(label, server)
    if HIT in kinds:
        for vendor, request in signed_on(server.url, PAGE_USER).items():
            target.streams[(vendor, HIT)] = request
    if MISS in kinds:
        for vendor, request in signed_on(server.url, SENTINEL).items():
            target.streams[(vendor, MISS)] = rotating(request, users(user_count))
    for key in list(target.streams):
        why = _failure(server.url, key[0], target.streams[key])
        if why:
            failed[f"{key[0]} {key[1]} ({label})"] = why
            del target.streams[key]
    return target


def _share_row(section: str, what: str, samples: list[float], base: float,
               target: bool) -> Row:
    got = summarize(samples)
    share = got.median / base
    return Row(section, what, f"{got.median:,.0f} req/s",
               f"{got.low:,.0f}..{got.high:,.0f}, n={got.count} ({got.spread_pct:.0f} %)",
               f"{share:.0%}", f">= {TARGET_SHARE:.0%}" if target else "",
               verdict(share >= TARGET_SHARE) if target else "")


STREAM_TEXT = {MISS: "cache miss (10,000 users in turn)", HIT: "cache hit (one request repeated)"}


def run(table: Table, trees: Sequence[Tree], sections: set[str]) -> None:
    """Measure and add the P1 rows (with ``P1`` in ``sections``) and the P4-over-HTTP rows
    (with ``P4``, on the last tree only); ``trees`` is (after,) or (before, after)."""
    servers.find_wrk()
    here = trees[-1]
    rates: dict[tuple[str, str, str], list[float]] = {}
    failed: dict[str, str] = {}
    echo_rates: dict[str, list[float]] = {"echo": [], "rotating": []}
    memory: dict[str, float] = {}
    large = fixture(LARGE)
    with ExitStack() as stack:
        echo = stack.enter_context(servers.echo(here))
        targets: list[Target] = []
        for tree in (trees if "P1" in sections else (here,)):
            server = stack.enter_context(servers.emulator(tree, large))
            kinds = (MISS, HIT) if "P1" in sections else (MISS,)
            targets.append(_target(f"{tree.label}@1M", server, LARGE.users, kinds, failed))
        if "P4" in sections:
            small = stack.enter_context(servers.emulator(here, fixture(SMALL),
                                                         extra=["--read-cache-size", "0"]))
            targets.append(_target(f"{here.label}@1k", small, SMALL.users, (MISS,), failed))
        keys = list(dict.fromkeys(key for target in targets for key in target.streams))
        for _ in range(ROUNDS):
            echo_rates["echo"].append(servers.load(echo.url, BASELINE, SECONDS))
            if "P1" in sections:
                echo_rates["rotating"].append(servers.load(echo.url, BASELINE_ROTATING,
                                                           SECONDS))
            for key in keys:
                for target in targets:
                    if key in target.streams:
                        rate = servers.load(target.server.url, target.streams[key], SECONDS)
                        rates.setdefault((target.label, *key), []).append(rate)
                        _journal_ok(target.server.url, key[0])
        memory.update({f"{target.label} after load": target.server.peak_rss_mb()
                       for target in targets if target.label.endswith("@1M")})
        echo_memory = echo.peak_rss_mb()

    base = summarize(echo_rates["echo"])
    stack_text = here.stack()
    if "P1" in sections:
        _p1_rows(table, trees, rates, base.median, echo_rates, stack_text)
        table.add(Row("P1", "echo server peak RSS", f"{echo_memory:.0f} MiB", "", "1.00x"))
        for label, mib in memory.items():
            if label.endswith("after load"):
                table.add(Row("P1", f"emulator peak RSS, 1M store ({label.split('@')[0]})",
                              f"{mib:.0f} MiB", "", f"{mib / echo_memory:.1f}x"))
    if "P4" in sections:
        _p4_rows(table, here, rates)
    for key, why in sorted(failed.items()):
        table.add(Row("P1", f"{key} joined groups", "not measured", f"the request failed: {why}",
                      "", "", verdict(False)))


def _p1_rows(table: Table, trees: Sequence[Tree], rates: dict[tuple[str, str, str], list[float]],
             base: float, echo_rates: dict[str, list[float]], stack_text: str) -> None:
    echo = summarize(echo_rates["echo"])
    table.add(Row("P1", f"baseline: bare Starlette JSON echo (uvicorn, {stack_text})",
                  f"{echo.median:,.0f} req/s",
                  f"{echo.low:,.0f}..{echo.high:,.0f}, n={echo.count} ({echo.spread_pct:.0f} %)",
                  "100 %"))
    table.add(_share_row("P1", "echo, body rotated over 10,000 users (the wrk script's cost)",
                         echo_rates["rotating"], base, False))
    compare = len(trees) > 1
    vendors = sorted({key[1] for key in rates if key[0].endswith("@1M")})
    for vendor in vendors:
        for kind in (MISS, HIT):
            for tree in trees:
                samples = rates.get((f"{tree.label}@1M", vendor, kind))
                if samples:
                    suffix = f" [{tree.label}]" if compare else ""
                    table.add(_share_row(
                        "P1", f"{vendor} joined groups, 1M memberships, {STREAM_TEXT[kind]}"
                              f"{suffix}", samples, base, kind == MISS and tree is trees[-1]))
            if compare:
                before = rates.get((f"{trees[0].label}@1M", vendor, kind))
                after = rates.get((f"{trees[1].label}@1M", vendor, kind))
                if before and after:
                    # each round loads before, then after: the ratio of each pair
                    pairs = summarize([b / a for b, a in zip(before, after)])
                    ratio = pairs.median
                    verdicted = kind == MISS
                    table.add(Row("P1", f"{vendor} {STREAM_TEXT[kind].split(' (')[0]}: cost per "
                                        "request, after / before", f"{ratio:.2f}x",
                                  f"rounds {pairs.low:.2f}..{pairs.high:.2f}; before "
                                  f"{summarize(before).median:,.0f} req/s, after "
                                  f"{summarize(after).median:,.0f} req/s", "",
                                  f"<= {COMPARE_TARGET:.2f}x" if verdicted else "",
                                  verdict(ratio <= COMPARE_TARGET) if verdicted else ""))


def _p4_rows(table: Table, here: Tree, rates: dict[tuple[str, str, str], list[float]]) -> None:
    for vendor in sorted({key[1] for key in rates}):
        big = rates.get((f"{here.label}@1M", vendor, MISS))
        few = rates.get((f"{here.label}@1k", vendor, MISS))
        if not big or not few:
            continue
        ratio = summarize(few).median / summarize(big).median
        table.add(Row("P4", f"{vendor} over HTTP, cache miss: cost per request at 1M / at 1k "
                            "memberships", f"{ratio:.2f}x",
                      f"1k: {summarize(few).median:,.0f} req/s, 1M: "
                      f"{summarize(big).median:,.0f} req/s", "", f"<= {SCALING_TARGET}x",
                      verdict(ratio <= SCALING_TARGET)))
