"""The edge: path ownership, vendor error rendering, the internal-error answer, explain headers,
rate limits, the request journal and fault injection, with a stand-in vendor."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router

from emulator.call import call_of
from emulator.clock import ManualClock
from emulator.edge import Edge, owner_of
from emulator.errors import VendorError
from emulator.pytest_plugin import EmulatorTransport
from emulator.responses import json_response
from emulator.services import Services
from emulator.settings import Settings
from emulator.vendors.base import Vendor

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("path", "query", "owner"), [
    ("/_emulator/health", b"", "admin"),
    ("/v4/group_open_http_svc/get_joined_group_list", b"sdkappid=1", "tencent"),
    ("/user/group/query.json", b"", "rongcloud"),
    ("/v4x.json", b"", "rongcloud"),
    ("/", b"Action=QueryGroupsInfoOfUser&AppId=1", "zego"),
    ("/", b"AppId=1&Action=", "zego"),
    ("/", b"NoAction=1", "openim"),
    ("/", b"x=1&NoAction=1", "openim"),
    ("/", b"x=1&Action", "zego"),
    ("/", b"Action%3Dx=1", "openim"),
    ("/", b"", "openim"),
    ("/group/get_joined_group_list", b"", "openim"),
    ("/anything/else", b"Action=x", "openim"),
])
def test_owner_of(path: str, query: bytes, owner: str) -> None:
    assert owner_of(path, query) == owner


def _render(error: VendorError) -> Response:
    return json_response({"c": error.code, "m": error.message}, error.http_status)


def _fake_vendor(services: Services) -> Vendor:
    async def ok(request: Request) -> Response:
        call = call_of(request)
        call.endpoint, call.app, call.user = "ok", "app1", request.query_params.get("u", "")
        services.admit(call)
        call.code = 0
        return json_response({"c": 0})

    async def boom(request: Request) -> Response:
        raise RuntimeError("secret internals")

    async def denied(request: Request) -> Response:
        raise VendorError(41, "bad sig", http_status=401, explain="Signature mismatch: sha1(…) ✗")

    return Vendor(
        name="zego", app=Router(routes=[Route("/", ok, methods=["POST"]),
                                        Route("/boom", boom), Route("/denied", denied)]),
        render=_render, internal_error=lambda: VendorError(1, "internal", http_status=500),
        rate_limited=lambda retry: VendorError(7, "slow down", http_status=429),
        error_for_code=lambda code: VendorError(code, f"code {code}", http_status=200))


@pytest.fixture
async def edge() -> AsyncIterator[tuple[httpx.AsyncClient, Services]]:
    services = Services(Settings(zego_rate_limit=3), clock=ManualClock(1_700_000_000.0))
    vendor = _fake_vendor(services)
    app = Edge(services, Router(routes=[]), {"zego": vendor, "openim": vendor})
    async with httpx.AsyncClient(transport=EmulatorTransport(app=app),
                                 base_url="http://t") as client:
        yield client, services


async def test_internal_error_is_the_vendors_envelope(edge: Any) -> None:
    client, services = edge
    response = await client.get("/boom")
    assert (response.status_code, response.json()) == (500, {"c": 1, "m": "internal"})
    assert "secret internals" not in response.text
    entry = services.journal.entries()[-1]
    assert (entry.status, entry.code, entry.reason) == (500, 1, "internal error: RuntimeError")


async def test_explain_header_and_journal(edge: Any) -> None:
    client, services = edge
    response = await client.get("/denied")
    assert response.status_code == 401
    assert response.headers["x-emulator-explain"] == "Signature mismatch: sha1(?) ?"
    assert services.journal.entries()[-1].reason == "Signature mismatch: sha1(…) ✗"


async def test_explain_can_be_turned_off(edge: Any) -> None:
    client, services = edge
    object.__setattr__(services.settings, "explain", False)
    response = await client.get("/denied")
    assert "x-emulator-explain" not in response.headers


async def test_rate_limit_answer_and_next_second(edge: Any) -> None:
    client, services = edge
    codes = [(await client.post("/?Action=x")).json()["c"] for _ in range(4)]
    assert codes == [0, 0, 0, 7]
    services.clock.advance(1)
    assert (await client.post("/?Action=x")).json()["c"] == 0


async def test_journal_records_every_call(edge: Any) -> None:
    client, services = edge
    await client.post("/?Action=x&u=alice")
    entry = services.journal.entries()[-1]
    assert (entry.vendor, entry.endpoint, entry.app, entry.user, entry.status, entry.code) == (
        "zego", "ok", "app1", "alice", 200, 0)
    assert entry.time == 1_700_000_000.0 and entry.duration_ms >= 0


async def test_fault_error_code_for_next_n_calls(edge: Any) -> None:
    client, services = edge
    services.faults.add({"vendor": "zego", "endpoint": "ok", "times": 2,
                         "error": {"code": 660300005}})
    bodies = [(await client.post("/?Action=x")).json() for _ in range(3)]
    assert bodies == [{"c": 660300005, "m": "code 660300005"}] * 2 + [{"c": 0}]
    assert services.faults.rules()[0].fired == 2
    assert services.journal.entries()[0].reason == "fault rule 1: error 660300005"


async def test_fault_matches_user_and_app(edge: Any) -> None:
    client, services = edge
    services.faults.add({"vendor": "zego", "user": "bob", "app": "app1", "status": 503})
    assert (await client.post("/?Action=x&u=alice")).status_code == 200
    response = await client.post("/?Action=x&u=bob")
    assert (response.status_code, response.text) == (503, "Service Unavailable")


async def test_fault_drop_and_delay(edge: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client, services = edge
    services.faults.add({"vendor": "zego", "times": 1, "drop": True})
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/?Action=x")
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("emulator.edge.asyncio.sleep", fake_sleep)
    services.faults.add({"vendor": "zego", "times": 1, "delay_ms": 250})
    assert (await client.post("/?Action=x")).json() == {"c": 0}
    assert slept == [0.25]


async def test_fault_probability_is_seeded(edge: Any) -> None:
    client, services = edge
    services.limiter.enabled = False
    services.faults.add({"vendor": "zego", "probability": 0.5, "seed": 9, "status": 502})
    statuses = [(await client.post("/?Action=x")).status_code for _ in range(20)]
    draws = random.Random(9)
    assert statuses == [502 if draws.random() < 0.5 else 200 for _ in range(20)]
