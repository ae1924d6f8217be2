"""What one joined-groups request costs the server itself: each vendor's signed request handed
straight to the emulator's ASGI app (no socket, no HTTP parsing, no client), over the
1M-membership store, in microseconds per request. With users in turn (bench/rotation.py) every
read misses the store's cache; with one request repeated every read after the first is a hit.
The difference between the two is the store's part of a request.

``python -m bench.server_cost [--store small|large] [--requests N] [VENDOR ...]``; not part of
``make bench`` (wrk measures the real server there).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from starlette.types import ASGIApp, Message

from bench import rotation
from bench.data import LARGE, PAGE_USER, SMALL, fixture
from bench.loadgen import FixedRequest
from bench.vendor_requests import in_process_requests, succeeded
from emulator.app import create_app
from emulator.pytest_plugin import BASE_URL
from emulator.settings import Settings

ROUNDS = 3


@dataclass(frozen=True)
class Cost:
    """One vendor's cost per request, in microseconds (median of the rounds)."""

    vendor: str
    miss_us: float
    hit_us: float
    answer_bytes: int


def scope_of(request: FixedRequest, body: bytes) -> dict[str, Any]:
    """The ASGI scope uvicorn would build for ``request`` carrying ``body``."""
    path, _, query = request.path.partition("?")
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
               for name, value in request.headers.items()]
    headers += [(b"host", b"127.0.0.1"), (b"content-length", str(len(body)).encode())]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": request.method, "scheme": "http", "path": path,
            "raw_path": path.encode("latin-1"), "query_string": query.encode("latin-1"),
            "headers": headers, "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000), "root_path": "", "state": {}}


async def call(app: ASGIApp, request: FixedRequest, body: bytes) -> tuple[int, bytes]:
    """Send one request to the app; its status and body."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope_of(request, body), receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def _per_request_us(app: ASGIApp, request: FixedRequest, bodies: Sequence[bytes],
                          requests: int) -> float:
    rounds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for index in range(requests):
            await call(app, request, bodies[index % len(bodies)])
        rounds.append((time.perf_counter() - started) / requests * 1e6)
    return statistics.median(rounds)


async def measure(store: Path, user_count: int, requests: int,
                  vendors: Sequence[str]) -> list[Cost]:
    """Each vendor's cost per request on a cache miss and on a cache hit, over the fixture file
    ``store`` whose users are ``u0`` .. ``u{user_count-1}``."""
    app = create_app(Settings(rate_limits=False, fixtures=store))
    services = app.state.services
    await services.start()
    costs: list[Cost] = []
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url=BASE_URL) as client:
            rotating = await in_process_requests(services, client, rotation.SENTINEL)
            repeated = await in_process_requests(services, client, PAGE_USER)
        for vendor in vendors:
            sentinel, hit = rotating[vendor], repeated[vendor]
            bodies = rotation.rotating(sentinel, rotation.users(user_count)).bodies
            answers = [await call(app, hit, hit.body), await call(app, sentinel, bodies[0]),
                       await call(app, sentinel, bodies[-1])]
            failed = [status for status, body in answers if not succeeded(vendor, status, body)]
            if failed:
                raise RuntimeError(f"{vendor}: the request failed with HTTP {failed[0]}")
            costs.append(Cost(vendor, await _per_request_us(app, sentinel, bodies, requests),
                              await _per_request_us(app, hit, (hit.body,), requests),
                              len(answers[0][1])))
    finally:
        await services.stop()
    return costs


def report(costs: Sequence[Cost]) -> str:
    """The costs as a table."""
    lines = ["| vendor | cache miss | cache hit | miss - hit | answer |", "|---|---|---|---|---|"]
    lines += [f"| {c.vendor} | {c.miss_us:.1f} us | {c.hit_us:.1f} us | "
              f"{c.miss_us - c.hit_us:.1f} us | {c.answer_bytes:,} bytes |" for c in costs]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.server_cost", description=__doc__)
    parser.add_argument("vendors", nargs="*", default=["openim", "rongcloud", "tencent", "zego"])
    parser.add_argument("--store", choices=("small", "large"), default="large")
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args(argv)
    size = LARGE if args.store == "large" else SMALL
    sys.stdout.write(report(asyncio.run(measure(fixture(size), size.users, args.requests,
                                                args.vendors))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
