"""P5: each vendor's rate limiter under twice its limit for 5 seconds, on a real server with its
default limits (OpenIM, unlimited by default like the real server, is given a limit of 50 for
this run). Requests are paced from the start of a clock second, so each one-second window gets
2 x limit requests; a window should accept exactly ``limit`` (± 1).
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
from bench.vendor_requests import available, fetch_openim_token, requests_for, succeeded
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


async def run(table: Table) -> None:
    """Measure and add the P5 rows."""
    settings = Settings()
    limits = _limits(settings)
    with servers.emulator(ROOT / "fixtures" / "default.json", rate_limits=True,
                          extra=["--openim-rate-limit", str(OPENIM_LIMIT)]) as server:
        token = fetch_openim_token(server.url, settings) if "openim" in available() else None
        requests = requests_for(settings, "alice", SystemClock().now(), token)
        for vendor, request in requests.items():
            limit = limits[vendor]
            accepted, limited, other = await _paced(server.url, vendor, request, limit,
                                                    _rate_limit_code(vendor, settings))
            total = sum(accepted)
            worst = max(abs(count - limit) for count in accepted)
            ok = other == 0 and worst <= 1 and abs(total - limit * SECONDS) <= SECONDS
            table.add(Row("P5", f"{vendor} limiter, {limit}/s, offered {limit * OVERLOAD}/s "
                                f"for {SECONDS} s",
                          f"{total} accepted", f"per window {accepted}; {limited} limited, "
                                               f"{other} other",
                          f"expected {limit * SECONDS}", "limit x s, ±1 per window",
                          verdict(ok)))
