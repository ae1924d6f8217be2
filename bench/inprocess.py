"""P2: what the pytest fixture costs, in-process (httpx over ASGI, no socket): a fresh
emulator ready (default fixture), a per-test reset, and one request per vendor, beside a bare
Starlette echo request measured the same way in the same process.

The measuring runs in a worker process of the tree under test (``python -m bench.inprocess
--worker``), so ``--compare`` can run this checkout's bench against another checkout's
emulator; the worker uses only ``create_app``, ``Settings``, ``app.state.services`` and the
pytest plugin's ``InProcessEmulator``. Requests are signed here, by this checkout's signers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Sequence
from typing import Any

import httpx

from bench.report import Row, Table, per_call_ms, spread_text, summarize, verdict
from bench.servers import Tree, echo_app
from bench.workload import FixedRequest, signed, succeeded

BASE_URL = "http://im-emulator.test"
DEFAULT_FIXTURE_USER = "alice"  # in the default fixture, in groups
START_TARGET_MS = 20.0
RESET_TARGET_MS = 2.0
REQUEST_TARGET_MS = 0.5
COMPARE_TARGET = 1.10
INTERCEPT_TARGET = 1.5  # an intercepted request against the fixture's in-process request
# Where each vendor's request is sent through ``emulator.intercept()``: its real API host (an
# OpenIM host the bench names), reached with no socket.
INTERCEPT_ORIGINS = {"tencent": "https://console.tim.qq.com",
                     "rongcloud": "https://api.rong-api.com",
                     "zego": "https://zim-api.zego.im", "openim": "http://openim.bench.test"}
BATCHES = 5
COMPARE_ROUNDS = 4
COMPARE_BATCHES = 2


async def measure(requests: dict[str, FixedRequest], batches: int) -> dict[str, Any]:
    """Batch medians (ms per call) of each measurement, and why a vendor was not measured."""
    from emulator.app import create_app
    from emulator.pytest_plugin import InProcessEmulator
    from emulator.settings import Settings

    figures: dict[str, list[float]] = {}
    failed: dict[str, str] = {}
    settings = Settings(rate_limits=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=echo_app),
                                 base_url=BASE_URL) as echo:
        figures["echo"] = await per_call_ms(lambda: echo.post("/echo", content=b'{"a":1}'),
                                            batches=batches, per_batch=400)

    async def fresh() -> None:
        app = create_app(settings)
        await app.state.services.start()
        emulator = InProcessEmulator(app, app.state.services)
        await emulator.client.aclose()
        await app.state.services.stop()

    figures["ready"] = await per_call_ms(fresh, batches=batches, per_batch=40, warmup=3)
    app = create_app(settings)
    services = app.state.services
    await services.start()
    emulator = InProcessEmulator(app, services)
    client = emulator.client
    try:
        figures["reset"] = await per_call_ms(emulator.reset, batches=batches, per_batch=200)
        figures["health"] = await per_call_ms(lambda: client.get("/_emulator/health"),
                                              batches=batches, per_batch=400)
        for vendor, request in requests.items():
            if request.prelude is not None:
                pre = request.prelude
                answer = await client.request(pre.method, pre.path, headers=dict(pre.headers),
                                              content=pre.body)
                request = request.with_token(answer.json()["data"]["token"])

            def send(request: FixedRequest = request) -> Awaitable[httpx.Response]:
                return client.request(request.method, request.path,
                                      headers=dict(request.headers), content=request.body)
            first = await send()
            if not succeeded(vendor, first.status_code, first.content):
                failed[vendor] = f"{first.status_code} {first.text[:100]}"
                continue
            figures[f"vendor:{vendor}"] = await per_call_ms(send, batches=batches,
                                                            per_batch=400)
    finally:
        await client.aclose()
        await services.stop()
    await measure_intercepted(requests, batches, settings, figures, failed)
    return {"figures": figures, "failed": failed}


async def measure_intercepted(requests: dict[str, FixedRequest], batches: int, settings: Any,
                              figures: dict[str, list[float]], failed: dict[str, str]) -> None:
    """The same vendor calls sent by a plain ``httpx.AsyncClient`` to the vendors' real hosts
    inside ``emulator.intercept()`` (a tree without it is not measured)."""
    try:
        from emulator.intercept import intercept
    except ImportError:
        return
    async with intercept(settings=settings, hosts={"openim": ["openim.bench.test"]}), \
            httpx.AsyncClient() as client:
        for vendor, request in requests.items():
            origin = INTERCEPT_ORIGINS.get(vendor)
            if origin is None:
                continue
            if request.prelude is not None:
                pre = request.prelude
                answer = await client.request(pre.method, origin + pre.path,
                                              headers=dict(pre.headers), content=pre.body)
                request = request.with_token(answer.json()["data"]["token"])

            def send(request: FixedRequest = request,
                     origin: str = origin) -> Awaitable[httpx.Response]:
                return client.request(request.method, origin + request.path,
                                      headers=dict(request.headers), content=request.body)
            first = await send()
            if not succeeded(vendor, first.status_code, first.content):
                failed[f"{vendor} (intercepted)"] = f"{first.status_code} {first.text[:100]}"
                continue
            figures[f"intercept:{vendor}"] = await per_call_ms(send, batches=batches,
                                                               per_batch=400)


def _worker(tree: Tree, requests: dict[str, FixedRequest], batches: int) -> dict[str, Any]:
    payload = json.dumps({name: r.as_json() for name, r in requests.items()})
    out = tree.run_module("bench.inprocess", "--worker", "--batches", str(batches),
                          "--requests", payload)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


LABELS = {"ready": "fresh emulator ready (default fixture)", "reset": "per-test reset",
          "health": "in-process request: GET /_emulator/health"}
TARGETS = {"ready": START_TARGET_MS, "reset": RESET_TARGET_MS, "health": REQUEST_TARGET_MS}


def _label(key: str) -> str:
    if key.startswith("vendor:"):
        return f"in-process request: {key.split(':', 1)[1]} joined groups"
    if key.startswith("intercept:"):
        vendor = key.split(":", 1)[1]
        return (f"intercepted request: {vendor} joined groups to "
                f"{INTERCEPT_ORIGINS[vendor].split('://', 1)[1]}, vs in-process")
    return LABELS[key]


def _rows_one(table: Table, figures: dict[str, list[float]]) -> None:
    base = summarize(figures["echo"])
    table.add(Row("P2", "baseline: in-process echo request", f"{base.median:.3f} ms",
                  spread_text(base, "ms", 3), "1.00x"))
    for key, samples in figures.items():
        if key == "echo":
            continue
        got = summarize(samples)
        if key.startswith("intercept:"):
            same = figures.get(f"vendor:{key.split(':', 1)[1]}")
            if same is None:
                continue
            ratio = got.median / summarize(same).median
            table.add(Row("P2", _label(key), f"{got.median:.3f} ms", spread_text(got, "ms", 3),
                          f"{ratio:.2f}x", f"<= {INTERCEPT_TARGET:g}x",
                          verdict(ratio <= INTERCEPT_TARGET)))
            continue
        target = TARGETS.get(key, REQUEST_TARGET_MS)
        table.add(Row("P2", _label(key), f"{got.median:.3f} ms", spread_text(got, "ms", 3),
                      f"{got.median / base.median:.2f}x", f"<= {target:g} ms",
                      verdict(got.median <= target)))


def _rows_compare(table: Table, before: dict[str, list[float]],
                  after: dict[str, list[float]]) -> None:
    for key in after:
        if key not in before:
            table.add(Row("P2", _label(key), "not compared", "before: not measured"))
            continue
        b, a = summarize(before[key]), summarize(after[key])
        ratio = a.median / b.median
        per_request = key == "health" or key.startswith("vendor:")
        table.add(Row("P2", f"{_label(key) if key != 'echo' else 'in-process echo request'}"
                            ", after vs before",
                      f"{a.median:.3f} ms", f"before {b.median:.3f} ms; after "
                      f"{spread_text(a, 'ms', 3)}", f"{ratio:.2f}x",
                      f"<= {COMPARE_TARGET:.2f}x" if per_request else "",
                      verdict(ratio <= COMPARE_TARGET) if per_request else ""))


def run(table: Table, trees: Sequence[Tree]) -> None:
    """Measure and add the P2 rows; with two trees (before, after), alternately, as ratios."""
    requests = signed(DEFAULT_FIXTURE_USER)
    if len(trees) == 1:
        result = _worker(trees[0], requests, BATCHES)
        _rows_one(table, result["figures"])
        failed = result["failed"]
    else:
        merged: dict[str, dict[str, list[float]]] = {tree.label: {} for tree in trees}
        failed = {}
        for _ in range(COMPARE_ROUNDS):
            for tree in trees:
                result = _worker(tree, requests, COMPARE_BATCHES)
                for key, samples in result["figures"].items():
                    merged[tree.label].setdefault(key, []).extend(samples)
                failed.update({f"{name} ({tree.label})": why
                               for name, why in result["failed"].items()})
        _rows_compare(table, merged[trees[0].label], merged[trees[1].label])
    for name, why in sorted(failed.items()):
        table.add(Row("P2", f"in-process request: {name} joined groups", "not measured",
                      f"the request failed: {why}", "", f"<= {REQUEST_TARGET_MS:g} ms",
                      verdict(False)))


def main(argv: Sequence[str] | None = None) -> int:
    """The worker: measure with the requests given, print the figures as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess")
    parser.add_argument("--worker", action="store_true", required=True)
    parser.add_argument("--batches", type=int, default=BATCHES)
    parser.add_argument("--requests", default="{}", help="JSON: vendor -> FixedRequest")
    args = parser.parse_args(argv)
    import logging
    logging.getLogger("emulator").setLevel(logging.CRITICAL)
    requests = {name: FixedRequest.from_json(data)
                for name, data in json.loads(args.requests).items()}
    result = asyncio.run(measure(requests, args.batches))
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
