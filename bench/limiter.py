"""P5: each vendor's rate limiter under twice its limit for 5 seconds, on a real server with
its default limits (OpenIM, unlimited by default like the real server, runs with
``--openim-rate-limit 50``). Requests are paced from the start of a clock second, so each
one-second window is offered 2 x limit requests. Each server clock second that was offered at
least the limit should accept exactly ``limit`` (+-1): counted from the request journal
(entries whose code is the vendor's success; the pipeline notes "rate limited" on the others),
so client lateness cannot move a request between windows.
"""

from __future__ import annotations

import asyncio
import math
import time

import httpx

from bench import servers
from bench.report import Row, Table, verdict
from bench.servers import Tree
from bench.workload import CASES, FixedRequest, signed_on, succeeded

SECONDS = 5
OVERLOAD = 2
OPENIM_LIMIT = 50
LIMITED_REASON = "rate limited"


async def _paced(url: str, request: FixedRequest, limit: int) -> None:
    """Send 2 x limit requests a second for SECONDS seconds, from the next second on."""
    rate = limit * OVERLOAD
    pool = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, limits=pool, timeout=10) as client:
        await client.get("/_emulator/health")
        start = math.floor(time.time()) + 1.02

        async def one(index: int) -> None:
            await asyncio.sleep(max(0.0, start + index / rate - time.time()))
            await client.request(request.method, request.path, headers=dict(request.headers),
                                 content=request.body)

        await asyncio.gather(*(one(i) for i in range(rate * SECONDS)))


def _windows(url: str, vendor: str) -> tuple[dict[int, int], dict[int, int], int, int]:
    """Per server clock second: requests offered and accepted; then the totals of rate-limited
    answers and of any other answer."""
    entries = httpx.get(f"{url}/_emulator/journal", params={"vendor": vendor}).json()["entries"]
    offered: dict[int, int] = {}
    accepted: dict[int, int] = {}
    limited = other = 0
    ok = CASES[vendor].success_code
    for entry in entries:
        window = int(entry["time"])
        offered[window] = offered.get(window, 0) + 1
        good = entry["status"] == 200 and entry["code"] == ok
        accepted[window] = accepted.get(window, 0) + good
        if not good:
            if entry.get("reason") == LIMITED_REASON:
                limited += 1
            else:
                other += 1
    return offered, accepted, limited, other


async def run(table: Table, tree: Tree) -> None:
    """Measure and add the P5 rows."""
    from emulator.settings import Settings
    settings = Settings()
    with servers.emulator(tree, None, rate_limits=True,
                          extra=["--openim-rate-limit", str(OPENIM_LIMIT),
                                 "--journal-size", "10000"]) as server:
        for vendor, request in signed_on(server.url, "alice").items():
            limit = OPENIM_LIMIT if vendor == "openim" else settings.vendor(vendor).rate_limit
            first = httpx.request(request.method, server.url + request.path,
                                  headers=dict(request.headers), content=request.body)
            if not succeeded(vendor, first.status_code, first.content):
                table.add(Row("P5", f"{vendor} limiter", "not measured",
                              f"the request failed: {first.status_code} {first.text[:80]}",
                              "", "", verdict(False)))
                continue
            await asyncio.sleep(1.0)
            httpx.delete(f"{server.url}/_emulator/journal")
            await _paced(server.url, request, limit)
            offered, accepted, limited, other = _windows(server.url, vendor)
            full = [accepted[w] for w in sorted(offered) if offered[w] >= limit]
            worst = max((abs(count - limit) for count in full), default=limit)
            ok = other == 0 and worst <= 1 and len(full) >= SECONDS - 1
            windows = [f"{offered[w]}:{accepted[w]}" for w in sorted(offered)]
            table.add(Row("P5", f"{vendor} limiter, {limit}/s, offered {limit * OVERLOAD}/s "
                                f"for {SECONDS} s",
                          f"{sum(full)} accepted in {len(full)} loaded windows",
                          f"server windows (offered:accepted) {windows}; {limited} limited, "
                          f"{other} other", f"expected {limit} per full window",
                          "limit x s, +-1 per window", verdict(ok)))
