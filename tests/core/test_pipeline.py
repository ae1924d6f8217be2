"""The vendor seam and the one pipeline: a small vendor defined here, registered without
editing any core file, is served, authenticated, rate limited, fault-injected, journaled and
named in the credentials banner; the claim order of the built-in vendors; errors, explain
headers and transport faults as the pipeline renders them for any vendor."""

from __future__ import annotations

import asyncio

import random
from collections.abc import AsyncIterator, Generator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.responses import Response

from emulator import registry
from emulator.app import create_app
from emulator.cli import credentials_text, settings_from
from emulator.clock import ManualClock
from emulator.errors import VendorError
from emulator.pytest_plugin import EmulatorTransport
from emulator.responses import json_response
from emulator.services import Services
from emulator.settings import Settings, setting
from emulator.signing import signer
from emulator.vendor import (Command, Context, Protocol, Rendered, Route, Vendor,
                             VendorRequest)

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class AcmeSettings:
    """The stand-in vendor's settings."""

    key: str = setting("acme-secret", "Acme API key")
    rate_limit: int = setting(3, "Acme requests per second per app per endpoint", minimum=0)


class AcmeAuth(httpx.Auth):
    """Acme's client-side signer: the key in a header."""

    def __init__(self, key: str) -> None:
        self.key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Acme-Key"] = self.key
        yield request


class AcmeProtocol(Protocol):
    """``POST /acme/<command>?app=...&u=...`` with an ``X-Acme-Key`` header and a text body."""

    def route(self, request: VendorRequest) -> Route:
        query = dict(httpx.QueryParams(request.query_string.decode()))
        return Route(request.path.removeprefix("/acme/"), query.get("app", ""), query.get("u", ""))

    def authenticate(self, request: VendorRequest, command: Command | None) -> str:
        if request.headers.get("x-acme-key") != self.settings.key:
            raise VendorError(41, "bad key", http_status=401,
                              explain="X-Acme-Key mismatch: sha1(…) ✗")
        return "acme-admin"

    def unknown_command(self, request: VendorRequest) -> Exception:
        return VendorError(44, "no such command", http_status=404)

    async def parse(self, request: VendorRequest, command: Command) -> str:
        if request.body == b"bad":
            raise VendorError(40, "bad body", http_status=400)
        return request.body.decode()

    def render(self, answer: Any, ctx: Context[Any, Any]) -> Rendered:
        return Rendered(json_response({"c": 0, **answer}), 0)

    def render_error(self, error: VendorError, request: VendorRequest) -> Response:
        return json_response({"c": error.code, "m": error.message}, error.http_status)

    def rate_limited(self, retry_after: float, limit: int) -> VendorError:
        return VendorError(7, f"over {limit}/s", http_status=429)

    def error_for_code(self, code: int) -> VendorError:
        return VendorError(code, f"code {code}")

    def internal_error(self) -> VendorError:
        return VendorError(1, "internal", http_status=500)


async def echo(ctx: Context[str, str]) -> dict[str, Any]:
    return {"echo": ctx.body, "by": ctx.principal}


async def boom(ctx: Context[str, str]) -> dict[str, Any]:
    raise RuntimeError("secret internals")


ACME = Vendor(
    name="acme", title="Acme", claims=lambda path, query: path.startswith("/acme/"),
    settings=AcmeSettings, protocol=AcmeProtocol,
    commands={"echo": Command(echo), "boom": Command(boom), "slow": Command(echo, rate_limit=1)},
    signer=lambda settings, clock=None: AcmeAuth(settings.key),
    credentials=lambda settings: f"key={settings.key}")


@pytest.fixture
def acme() -> Iterator[Vendor]:
    with registry.registered(ACME) as vendor:
        yield vendor


@pytest.fixture
async def served(acme: Vendor) -> AsyncIterator[tuple[httpx.AsyncClient, Services]]:
    app = create_app(Settings(), clock=ManualClock(1_700_000_000.0))
    services: Services = app.state.services
    await services.start()
    async with httpx.AsyncClient(transport=EmulatorTransport(app=app), base_url="http://t",
                                 auth=signer("acme", services.settings)) as client:
        yield client, services
    await services.stop()


async def test_extra_vendor_is_served_and_authenticated(served: Any) -> None:
    client, _ = served
    response = await client.post("/acme/echo?app=a1", content=b"hello")
    assert (response.status_code, response.json()) == (200, {"c": 0, "echo": "hello",
                                                             "by": "acme-admin"})
    denied = await client.post("/acme/echo", content=b"x", headers={"X-Acme-Key": "wrong"},
                              auth=None)
    assert (denied.status_code, denied.json()) == (401, {"c": 41, "m": "bad key"})
    assert denied.headers["x-emulator-explain"] == "X-Acme-Key mismatch: sha1(?) ?"
    unknown = await client.post("/acme/nope")
    assert (unknown.status_code, unknown.json()["c"]) == (404, 44)
    assert "x-emulator-version" in response.headers


async def test_extra_vendor_settings_flags_and_banner(acme: Vendor) -> None:
    settings = settings_from(["--acme-key", "k2"], {"IM_EMULATOR_ACME_RATE_LIMIT": "9"})
    assert (settings.acme_key, settings.vendor("acme").rate_limit) == ("k2", 9)
    assert "  Acme       key=k2" in credentials_text(settings).splitlines()
    assert Settings(acme_key="x").acme_key == "x"
    with pytest.raises(TypeError):
        Settings(acme_nonsense=1)


async def test_extra_vendor_rate_limits_per_command(served: Any) -> None:
    client, services = served
    codes = [(await client.post("/acme/echo?app=a1")).json()["c"] for _ in range(4)]
    assert codes == [0, 0, 0, 7]
    assert (await client.post("/acme/echo?app=a2")).json()["c"] == 0
    assert [(await client.post("/acme/slow")).json()["c"] for _ in range(2)] == [0, 7]
    assert (await client.post("/acme/slow")).json() == {"c": 7, "m": "over 1/s"}
    services.clock.advance(1)
    assert (await client.post("/acme/echo?app=a1")).json()["c"] == 0


async def test_bad_body_is_held_until_after_admit(served: Any) -> None:
    client, services = served
    assert (await client.post("/acme/echo", content=b"bad")).json()["c"] == 40
    services.faults.add({"vendor": "acme", "times": 1, "error": {"code": 99}})
    assert (await client.post("/acme/echo", content=b"bad")).json() == {"c": 99, "m": "code 99"}


async def test_journal_records_every_call(served: Any) -> None:
    client, services = served
    await client.post("/acme/echo?app=a1&u=alice", content=b"x")
    await client.post("/acme/echo?u=bob", content=b"x", headers={"X-Acme-Key": "no"},
                      auth=None)
    ok, denied = services.journal.entries()[-2:]
    assert (ok.vendor, ok.endpoint, ok.app, ok.user, ok.status, ok.code) == (
        "acme", "echo", "a1", "alice", 200, 0)
    assert ok.time == 1_700_000_000.0 and ok.duration_ms >= 0
    assert (denied.user, denied.status, denied.code, denied.reason) == (
        "bob", 401, 41, "X-Acme-Key mismatch: sha1(…) ✗")


async def test_internal_error_is_the_vendors_envelope(served: Any) -> None:
    client, services = served
    response = await client.post("/acme/boom")
    assert (response.status_code, response.json()) == (500, {"c": 1, "m": "internal"})
    assert "secret internals" not in response.text
    entry = services.journal.entries()[-1]
    assert (entry.status, entry.code, entry.reason) == (500, 1, "internal error: RuntimeError")


async def test_explain_can_be_turned_off(acme: Vendor) -> None:
    app = create_app(Settings(explain=False))
    await app.state.services.start()
    async with httpx.AsyncClient(transport=EmulatorTransport(app=app),
                                 base_url="http://t") as client:
        response = await client.post("/acme/echo", headers={"X-Acme-Key": "wrong"})
    await app.state.services.stop()
    assert response.status_code == 401 and "x-emulator-explain" not in response.headers


async def test_fault_rules_name_the_extra_vendor(served: Any) -> None:
    client, services = served
    services.faults.add({"vendor": "acme", "endpoint": "echo", "times": 2,
                         "error": {"code": 660300005}})
    bodies = [(await client.post("/acme/echo")).json() for _ in range(3)]
    assert bodies == [{"c": 660300005, "m": "code 660300005"}] * 2 + [
        {"c": 0, "echo": "", "by": "acme-admin"}]
    assert services.faults.rules()[0].fired == 2
    assert services.journal.entries()[0].reason == "fault rule 1: error 660300005"


async def test_fault_matches_user_and_app(served: Any) -> None:
    client, services = served
    services.faults.add({"vendor": "acme", "user": "bob", "app": "app1", "status": 503})
    assert (await client.post("/acme/echo?app=app1&u=alice")).status_code == 200
    response = await client.post("/acme/echo?app=app1&u=bob")
    assert (response.status_code, response.text) == (503, "Service Unavailable")


async def test_fault_drop_and_delay(served: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client, services = served
    services.faults.add({"vendor": "acme", "times": 1, "drop": True})
    with pytest.raises(httpx.RemoteProtocolError):
        await client.post("/acme/echo")
    slept: list[float] = []
    real_sleep = asyncio.sleep

    async def recorded_sleep(seconds: float) -> None:
        slept.append(seconds)
        await real_sleep(seconds)

    monkeypatch.setattr("emulator.pipeline.asyncio.sleep", recorded_sleep)
    services.faults.add({"vendor": "acme", "times": 1, "delay_ms": 20})
    assert (await client.post("/acme/echo")).json()["c"] == 0
    assert slept[0] == 0.02 and all(0 < seconds <= 0.02 for seconds in slept)


async def test_fault_probability_is_seeded(served: Any) -> None:
    client, services = served
    services.limiter.enabled = False
    services.faults.add({"vendor": "acme", "probability": 0.5, "seed": 9, "status": 502})
    statuses = [(await client.post("/acme/echo")).status_code for _ in range(20)]
    draws = random.Random(9)
    assert statuses == [502 if draws.random() < 0.5 else 200 for _ in range(20)]


def test_unregistered_vendor_is_gone() -> None:
    with registry.registered(ACME):
        assert "acme" in registry.names()
    assert "acme" not in registry.names()
    with pytest.raises(TypeError):
        Settings(acme_key="x")


@pytest.mark.parametrize(("path", "query", "owner"), [
    ("/v4/group_open_http_svc/get_joined_group_list", b"sdkappid=1", "tencent"),
    ("/v4/x.json", b"", "tencent"),
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
def test_claims_of_the_built_in_vendors(path: str, query: bytes, owner: str) -> None:
    vendor = registry.claim(registry.vendors(), path, query)
    assert vendor is not None and vendor.name == owner


