"""Where one vendor's joined-groups request spends the server's time: the signed request
handed straight to the emulator's ASGI app (no socket, no HTTP parsing, no client) over the
1M-membership store, timed in microseconds per request, then run again under cProfile (top
functions by own time). With ``--miss`` each request names the next user in turn, so the
store's read cache never answers (the server also runs with ``read_cache_size=0``); without
it one request is repeated (cache hits).

``python -m bench.profile VENDOR [--miss] [--requests N] [--store small|large] [--top N]``;
not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Sequence
from typing import Any

import orjson
from starlette.types import ASGIApp, Message

from bench.workload import (LARGE, PAGE_USER, SENTINEL, SMALL, FixedRequest, fixture,
                            rotating, signed, succeeded, users)


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


async def profile(vendor: str, *, miss: bool, requests: int, store: str, top: int) -> str:
    """The report: µs per request, the answer's size, and cProfile's top functions."""
    from emulator.app import create_app
    from emulator.settings import Settings

    size = LARGE if store == "large" else SMALL
    # A miss also turns the read cache off: ten users in turn would not defeat it.
    settings = Settings(rate_limits=False, fixtures=fixture(size))
    app = create_app(settings.replace(read_cache_size=0) if miss else settings)
    services = app.state.services
    await services.start()
    try:
        request = await _signed(app, vendor, SENTINEL if miss else PAGE_USER)
        bodies = rotating(request, users(size.users)).bodies if miss else (request.body,)
        status, answer = await call(app, request, bodies[0])
        if not succeeded(vendor, status, answer):
            return f"{vendor}: the request failed: {status} {answer[:200]!r}\n"
        for index in range(min(requests, 200)):
            await call(app, request, bodies[index % len(bodies)])
        began = time.perf_counter()
        for index in range(requests):
            await call(app, request, bodies[index % len(bodies)])
        per_request = (time.perf_counter() - began) / requests * 1e6
        profiler = cProfile.Profile()
        profiler.enable()
        for index in range(requests):
            await call(app, request, bodies[index % len(bodies)])
        profiler.disable()
    finally:
        await services.stop()
    kind = "cache miss, users in turn" if miss else "cache hit, one request repeated"
    report = io.StringIO()
    report.write(f"## {vendor}, {size.memberships:,} memberships, {kind}: "
                 f"{per_request:.1f} us per request ({requests:,} requests straight to the ASGI "
                 f"app), answer {len(answer):,} bytes\n")
    pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(top)
    return report.getvalue()


async def _signed(app: ASGIApp, vendor: str, user: str) -> FixedRequest:
    request = signed(user)[vendor]
    if request.prelude is not None:
        _, answer = await call(app, request.prelude, request.prelude.body)
        request = request.with_token(orjson.loads(answer)["data"]["token"])
    return request


def main(argv: Sequence[str] | None = None) -> int:
    """Profile one vendor and print the report."""
    from bench.workload import vendors
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("vendor", choices=vendors())
    parser.add_argument("--miss", action="store_true",
                        help="rotate the user so every request misses the store's cache")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--store", choices=("small", "large"), default="large")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    sys.stdout.write(asyncio.run(profile(args.vendor, miss=args.miss, requests=args.requests,
                                         store=args.store, top=args.top)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
