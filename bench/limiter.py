"""P5: each vendor's rate limiter under twice its limit for 5 seconds, on a real server with its
default limits (OpenIM, unlimited by default like the real server, is given a limit of 50 for
this run). Requests are paced from the start of a clock second, so each one-second window gets
2 x limit requests; each server clock second that got them all (counted from the request journal,
so client lateness cannot move a request between windows) should accept exactly ``limit`` (± 1).
"""

from __future__ import annotations

import asyncio
import math

import httpx
import orjson

from bench import servers
from bench.data import ROOT
from bench.loadgen import FixedRequest
from bench.stats import Row, Table, verdict
from bench.vendor_requests import (available, fetch_openim_token, requests_for, success_code,
                                   succeeded)
from emulator.clock import SystemClock
from emulator.services import Services
from emulator.settings import Settings
from emulator.vendors import builders

SECONDS = 5
OVERLOAD = 2
OPENIM_LIMIT = 50


def _limits(settings: Settings) -> dict[str, int]:
    return {"openim": OPENIM_LIMIT, "zego": settings.zego_rate_limit,
            "rongcloud": settings.rongcloud_rate_limit, "tencent": settings.tencent_rate_limit}


def _rate_limit_code(vendor: str, settings: Settings) -> int:
    return builders()[vendor](Services(settings)).rate_limited(1.0).code


def _is_limited(body: bytes, code: int) -> bool:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(parsed, dict) and code in parsed.values()


async def _paced(url: str, vendor: str, request: FixedRequest, limit: int,
                 limited_code: int) -> tuple[list[int], int, int]:
    """Accepted answers per window, rate-limited answers, and any other answers."""
    clock = SystemClock()
    rate = limit * OVERLOAD
    accepted = [0] * SECONDS
    limited = other = 0
    pool = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=url, limits=pool, timeout=10) as client:
        await client.get("/_emulator/health")
        start = math.floor(clock.now()) + 1.02

        async def one(index: int) -> None:
            nonlocal limited, other
            await asyncio.sleep(max(0.0, start + index / rate - clock.now()))
            response = await client.request(request.method, request.path,
                                            headers=dict(request.headers), content=request.body)
            if succeeded(vendor, response.status_code, response.content):
                accepted[index // rate] += 1
            elif _is_limited(response.content, limited_code):
                limited += 1
            else:
                other += 1

        await asyncio.gather(*(one(i) for i in range(rate * SECONDS)))
    return accepted, limited, other


def _server_windows(url: str, vendor: str) -> tuple[dict[int, int], dict[int, int]]:
    """Requests offered and accepted per server clock second, from the request journal."""
    entries = httpx.get(f"{url}/_emulator/journal", params={"vendor": vendor}).json()["entries"]
    offered: dict[int, int] = {}
    accepted: dict[int, int] = {}
    ok_code = success_code(vendor)
    for entry in entries:
        window = int(entry["time"])
        offered[window] = offered.get(window, 0) + 1
        accepted[window] = accepted.get(window, 0) + (entry["code"] == ok_code)
    return offered, accepted


async def run(table: Table) -> None:
    """Measure and add the P5 rows."""
    settings = Settings()
    limits = _limits(settings)
    with servers.emulator(ROOT / "fixtures" / "default.json", rate_limits=True,
                          extra=["--openim-rate-limit", str(OPENIM_LIMIT),
                                 "--journal-size", "10000"]) as server:
        token = fetch_openim_token(server.url, settings) if "openim" in available() else None
        requests = requests_for(settings, "alice", SystemClock().now(), token)
        for vendor, request in requests.items():
            limit = limits[vendor]
            httpx.delete(f"{server.url}/_emulator/journal")
            _, limited, other = await _paced(server.url, vendor, request, limit,
                                             _rate_limit_code(vendor, settings))
            offered, accepted = _server_windows(server.url, vendor)
            full = [accepted[w] for w in sorted(offered) if offered[w] >= limit]
            total = sum(full)
            worst = max((abs(count - limit) for count in full), default=limit)
            ok = other == 0 and worst <= 1 and len(full) >= SECONDS - 1
            table.add(Row("P5", f"{vendor} limiter, {limit}/s, offered {limit * OVERLOAD}/s "
                                f"for {SECONDS} s",
                          f"{total} accepted in {len(full)} loaded windows",
                          f"server windows (offered:accepted) "
                          f"{[f'{offered[w]}:{accepted[w]}' for w in sorted(offered)]}; "
                          f"{limited} limited, {other} other",
                          f"expected {limit} per full window", "limit x s, ±1 per window",
                          verdict(ok)))
