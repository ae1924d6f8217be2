"""P2: the pytest fixture's costs in-process: a fresh seeded emulator (default fixture) ready,
a per-test reset, and one in-process request, against a bare Starlette echo request measured in
the same run.
"""

from __future__ import annotations

from collections.abc import Awaitable

import httpx

from bench.echo_app import app as echo_app
from bench.loadgen import FixedRequest
from bench.stats import Row, Table, spread_text, verdict
from bench.timing import per_call_ms
from bench.vendor_requests import in_process_requests, succeeded
from emulator.app import create_app
from emulator.pytest_plugin import BASE_URL, InProcessEmulator
from emulator.services import Services
from emulator.settings import Settings

BATCHES = 5
START_TARGET_MS = 20.0
RESET_TARGET_MS = 2.0
REQUEST_TARGET_MS = 0.5


async def _fresh(settings: Settings) -> None:
    app = create_app(settings)
    services: Services = app.state.services
    await services.start()
    emulator = InProcessEmulator(app, services)
    await emulator.client.aclose()
    await services.stop()


async def run(table: Table) -> None:
    """Measure and add the P2 rows."""
    settings = Settings(rate_limits=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=echo_app),
                                 base_url=BASE_URL) as echo:
        base = await per_call_ms(lambda: echo.post("/echo", content=b'{"a":1}'),
                                 batches=BATCHES, per_batch=400)
    table.add(Row("P2", "baseline: in-process echo request", f"{base.median:.3f} ms",
                  spread_text(base, "ms", 3), "1.00x", ""))

    start = await per_call_ms(lambda: _fresh(settings), batches=BATCHES, per_batch=40, warmup=3)
    table.add(Row("P2", "fresh seeded emulator ready (default fixture)",
                  f"{start.median:.2f} ms", spread_text(start, "ms"),
                  f"{start.median / base.median:.0f}x", f"<= {START_TARGET_MS:g} ms",
                  verdict(start.median <= START_TARGET_MS)))

    app = create_app(settings)
    services: Services = app.state.services
    await services.start()
    emulator = InProcessEmulator(app, services)
    try:
        reset = await per_call_ms(emulator.reset, batches=BATCHES, per_batch=200)
        table.add(Row("P2", "per-test reset", f"{reset.median:.3f} ms", spread_text(reset, "ms", 3),
                      f"{reset.median / base.median:.1f}x", f"<= {RESET_TARGET_MS:g} ms",
                      verdict(reset.median <= RESET_TARGET_MS)))
        health = await per_call_ms(lambda: emulator.client.get("/_emulator/health"),
                                   batches=BATCHES, per_batch=400)
        table.add(Row("P2", "in-process request: GET /_emulator/health",
                      f"{health.median:.3f} ms", spread_text(health, "ms", 3),
                      f"{health.median / base.median:.2f}x", f"<= {REQUEST_TARGET_MS:g} ms",
                      verdict(health.median <= REQUEST_TARGET_MS)))
        for name, request in (await in_process_requests(services, emulator.client,
                                                           "alice")).items():
            def send(request: FixedRequest = request) -> Awaitable[httpx.Response]:
                return emulator.client.request(request.method, request.path,
                                               headers=dict(request.headers), content=request.body)
            first = await send()
            if not succeeded(name, first.status_code, first.content):
                table.add(Row("P2", f"in-process request: {name} joined groups", "not measured",
                              f"the request failed: {first.status_code} {first.text[:80]}", "",
                              f"<= {REQUEST_TARGET_MS:g} ms", verdict(False)))
                continue
            cost = await per_call_ms(send, batches=BATCHES, per_batch=400)
            table.add(Row("P2", f"in-process request: {name} joined groups",
                          f"{cost.median:.3f} ms", spread_text(cost, "ms", 3),
                          f"{cost.median / base.median:.2f}x", f"<= {REQUEST_TARGET_MS:g} ms",
                          verdict(cost.median <= REQUEST_TARGET_MS)))
    finally:
        await emulator.client.aclose()
        await services.stop()
