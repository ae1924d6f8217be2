"""Where one joined-groups request spends its time: each vendor's request sent in-process (the
ASGI app, no socket) under cProfile over the 1M-membership store, top functions by own time.
With ``--miss`` each request names the next user in turn (bench/rotation.py), so the store's
joined-groups cache never answers; without it one request is repeated (cache hits).

``python -m bench.profile [--requests N] [--store small|large] [--miss]``; not part of
``make bench``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
from collections.abc import Sequence

import httpx

from bench import rotation
from bench.data import LARGE, PAGE_USER, SMALL, fixture
from bench.vendor_requests import in_process_requests, succeeded
from emulator.app import create_app
from emulator.pytest_plugin import BASE_URL
from emulator.services import Services
from emulator.settings import Settings


async def _profile(requests: int, store: str, top: int, miss: bool) -> str:
    size = LARGE if store == "large" else SMALL
    path = fixture(size)
    app = create_app(Settings(rate_limits=False, fixtures=path))
    services: Services = app.state.services
    await services.start()
    report = io.StringIO()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url=BASE_URL) as client:
            user = rotation.SENTINEL if miss else PAGE_USER
            for vendor, request in (await in_process_requests(services, client,
                                                              user)).items():
                bodies = (rotation.rotating(request, rotation.users(size.users)).bodies
                          if miss else (request.body,))
                sent = [0]

                async def send() -> httpx.Response:
                    body = bodies[sent[0] % len(bodies)]
                    sent[0] += 1
                    return await client.request(request.method, request.path,
                                                 headers=dict(request.headers), content=body)
                first = await send()
                if not succeeded(vendor, first.status_code, first.content):
                    report.write(f"## {vendor}: the request failed: {first.status_code}\n")
                    continue
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(requests):
                    await send()
                profiler.disable()
                kind = "cache miss, users in turn" if miss else "cache hit, one request"
                report.write(f"## {vendor}: {requests} in-process requests ({kind})\n")
                stats = pstats.Stats(profiler, stream=report)
                stats.sort_stats("tottime").print_stats(top)
    finally:
        await services.stop()
    return report.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Profile and print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--store", choices=("small", "large"), default="large")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--miss", action="store_true",
                        help="rotate the user so every request misses the store's cache")
    args = parser.parse_args(argv)
    sys.stdout.write(asyncio.run(_profile(args.requests, args.store, args.top, args.miss)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
