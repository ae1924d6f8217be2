"""bench.workload: every registered vendor's signed joined-groups request is answered with
its success envelope (the rotation's bodies too), handed straight to the app as uvicorn would;
the request forms survive a worker's JSON; a flow that fetches a token first leaves a prelude."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Generator
from pathlib import Path

import httpx
import pytest

from bench.profile import call, scope_of
from bench.workload import (CASES, SENTINEL, TOKEN_PLACEHOLDER, FixedRequest, rotating, sign,
                            signed, succeeded, users, vendors)
from emulator import registry


def test_the_scope_splits_the_query_and_carries_the_headers() -> None:
    request = FixedRequest("POST", "/v4/x?sdkappid=1&a=b", {"Content-Type": "application/json"})
    scope = scope_of(request, b"{}")
    assert (scope["method"], scope["path"], scope["raw_path"], scope["query_string"]) == (
        "POST", "/v4/x", b"/v4/x", b"sdkappid=1&a=b")
    assert scope["headers"] == [(b"content-type", b"application/json"), (b"host", b"127.0.0.1"),
                                (b"content-length", b"2")]


def test_every_registered_vendor_has_a_request() -> None:
    assert vendors() == sorted(registry.names())


def test_every_vendors_request_succeeds_over_a_small_store(tmp_path: Path) -> None:
    from emulator.app import create_app
    from emulator.settings import Settings

    names = users(4)
    store = tmp_path / "store.json"
    store.write_text(json.dumps({"users": [{"id": u} for u in names], "groups": [
        {"id": f"g{g}", "name": f"G{g}", "type": "public", "owner": "u0", "members": names[1:]}
        for g in range(3)]}), encoding="utf-8")

    async def answers() -> dict[str, list[tuple[int, bytes]]]:
        app = create_app(Settings(rate_limits=False, fixtures=store))
        await app.state.services.start()
        try:
            got: dict[str, list[tuple[int, bytes]]] = {}
            for vendor, request in signed(SENTINEL).items():
                if request.prelude is not None:
                    status, body = await call(app, request.prelude, request.prelude.body)
                    request = request.with_token(json.loads(body)["data"]["token"])
                got[vendor] = [await call(app, request, body)
                               for body in rotating(request, names).bodies]
            return got
        finally:
            await app.state.services.stop()

    got = asyncio.run(answers())
    assert sorted(got) == vendors()
    for vendor, results in got.items():
        assert [succeeded(vendor, status, body) for status, body in results] == [True] * 4, (
            vendor, results[0])


def test_rotating_needs_the_sentinel_once() -> None:
    request = FixedRequest("POST", "/x", {}, f'{{"u":"{SENTINEL}"}}'.encode())
    assert rotating(request, ["u0", "u1"]).bodies == (b'{"u":"u0"}', b'{"u":"u1"}')
    with pytest.raises(ValueError):
        rotating(FixedRequest("POST", "/x", {}, b'{"u":"alice"}'), ["u0"])


class _TokenFirst(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        answer = yield httpx.Request("POST", "http://h/auth/token", content=b"{}")
        request.headers["token"] = answer.json()["data"]["token"]
        yield request


def test_a_token_fetch_becomes_a_prelude_with_a_placeholder() -> None:
    got = sign(_TokenFirst(), httpx.Request("POST", "http://h/q?a=1", content=b"x"), None)
    assert got.prelude == FixedRequest("POST", "/auth/token", {}, b"{}")
    assert (got.path, got.headers["token"], got.body) == ("/q?a=1", TOKEN_PLACEHOLDER, b"x")
    assert got.with_token("T").headers["token"] == "T"
    assert FixedRequest.from_json(json.loads(json.dumps(got.as_json()))) == got


def test_a_token_fetch_goes_to_send_when_given() -> None:
    def send(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"token": "real"}}, request=request)

    got = sign(_TokenFirst(), httpx.Request("POST", "http://h/q", content=b"x"), send)
    assert got.prelude is None and got.headers["token"] == "real"


def test_success_is_the_vendors_code_in_a_200_json_answer() -> None:
    for vendor, case in CASES.items():
        good = json.dumps({case.code_key: case.success_code}).encode()
        assert succeeded(vendor, 200, good)
        assert not succeeded(vendor, 500, good)
        assert not succeeded(vendor, 200, json.dumps({case.code_key: 1234}).encode())
        assert not succeeded(vendor, 200, b"not json")


def test_the_member_page_bench_measures_the_command_and_the_store(tmp_path: Path) -> None:
    from bench import memberpage
    figures = asyncio.run(memberpage.measure(members=300, offset=150, batches=1, per_batch=3,
                                             out=tmp_path))
    rows = memberpage.rows(figures)
    assert [row.section for row in rows] == ["P4", "P4"]
    assert "300 members" in rows[1].what and "Offset 150" in rows[1].what
    assert rows[1].target == "<= 0.5 ms" and rows[1].verdict in ("PASS", "MISS")
