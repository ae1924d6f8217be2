"""``bench.server_cost``: the ASGI scope it hands the app is the one uvicorn builds, and a short
run over a small store answers every vendor's request with its success envelope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.loadgen import FixedRequest
from bench.server_cost import Cost, measure, report, scope_of

pytestmark = pytest.mark.anyio


def test_the_scope_splits_the_query_and_carries_the_headers() -> None:
    request = FixedRequest("POST", "/v4/x?sdkappid=1&a=b", {"Content-Type": "application/json"})
    scope = scope_of(request, b"{}")
    assert (scope["method"], scope["path"], scope["raw_path"], scope["query_string"]) == (
        "POST", "/v4/x", b"/v4/x", b"sdkappid=1&a=b")
    assert scope["headers"] == [(b"content-type", b"application/json"), (b"host", b"127.0.0.1"),
                                (b"content-length", b"2")]


async def test_a_short_run_over_a_small_store_costs_every_vendor_something(
        tmp_path: Path) -> None:
    users = [f"u{i}" for i in range(4)]
    store = tmp_path / "store.json"
    store.write_text(json.dumps({"users": [{"id": u} for u in users], "groups": [
        {"id": f"g{g}", "name": f"G{g}", "type": "public", "owner": "u0", "members": users[1:]}
        for g in range(3)]}), encoding="utf-8")
    vendors = ["openim", "rongcloud", "tencent", "zego"]
    costs = await measure(store, len(users), 3, vendors)
    assert [cost.vendor for cost in costs] == vendors
    assert all(cost.miss_us > 0 and cost.hit_us > 0 and cost.answer_bytes > 0 for cost in costs)


def test_the_report_is_one_row_per_vendor() -> None:
    table = report([Cost("zego", 150.0, 50.25, 761)])
    assert table.splitlines()[2] == "| zego | 150.0 us | 50.2 us | 99.8 us | 761 bytes |"
