"""The pipeline's side of the body cap, with a vendor of our own: a vendor whose settings have
a lower ``max_body_bytes`` keeps it, its ``body_too_large`` hook may answer with a VendorError
in its envelope (journaled with its code), and the default hook is a gateway's 413."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.responses import JSONResponse, Response

from emulator import registry
from emulator.app import create_app
from emulator.errors import VendorError
from emulator.settings import Settings, setting
from emulator.vendor import Command, Context, Protocol, Rendered, Vendor, VendorRequest

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class CapSettings:
    rate_limit: int = setting(0, "requests per second")
    max_body_bytes: int = setting(100, "largest body")


@dataclass(frozen=True)
class PlainSettings:
    rate_limit: int = setting(0, "requests per second")


class CapProtocol(Protocol):
    def unknown_command(self, request: VendorRequest) -> Exception:
        return VendorError(404, "unknown")

    async def parse(self, request: VendorRequest, command: Command) -> Any:
        return len(request.body)

    def render(self, answer: Any, ctx: Context[Any, Any]) -> Rendered:
        return Rendered(JSONResponse({"code": 0, "size": answer}), 0)

    def render_error(self, error: VendorError, request: VendorRequest) -> Response:
        return JSONResponse({"code": error.code, "message": error.message},
                            status_code=error.http_status)

    def rate_limited(self, retry_after: float, limit: int) -> VendorError:
        return VendorError(429)

    def error_for_code(self, code: int) -> VendorError:
        return VendorError(code)

    def internal_error(self) -> VendorError:
        return VendorError(500, "internal", http_status=500)

    def body_too_large(self, limit: int) -> VendorError | Response:
        return VendorError(1508, f"body over {limit}", http_status=413)


class PlainProtocol(CapProtocol):
    body_too_large = Protocol.body_too_large


async def _size(ctx: Context[Any, Any]) -> Any:
    return ctx.body


def vendor(name: str, settings: type, protocol: type[Protocol]) -> Vendor:
    return Vendor(name=name, title=name, claims=lambda path, query: path.startswith(f"/{name}/"),
                  settings=settings, protocol=protocol,
                  commands={f"/{name}/size": Command(_size)},
                  signer=lambda s, clock=None: httpx.Auth(), credentials=lambda s: "")


@pytest.fixture
async def client():
    with registry.registered(vendor("capped", CapSettings, CapProtocol)), \
            registry.registered(vendor("plain", PlainSettings, PlainProtocol)):
        app = create_app(Settings(max_body_bytes=1000))
        services = app.state.services
        await services.start()
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://127.0.0.1") as http:
                http.services = services  # type: ignore[attr-defined]
                yield http
        finally:
            await services.stop()


async def test_a_vendors_own_lower_limit_and_envelope(client) -> None:
    ok = await client.post("/capped/size", content=b"x" * 100)
    assert ok.json() == {"code": 0, "size": 100}
    over = await client.post("/capped/size", content=b"x" * 101)
    assert (over.status_code, over.json()) == (413, {"code": 1508, "message": "body over 100"})
    entry = list(client.services.journal.entries())[-1]
    assert (entry.endpoint, entry.status, entry.code) == ("/capped/size", 413, 1508)


async def test_the_core_limit_and_the_default_answer(client) -> None:
    assert (await client.post("/plain/size", content=b"x" * 1000)).json()["size"] == 1000
    over = await client.post("/plain/size", content=b"x" * 1001)
    assert over.status_code == 413
    assert over.headers["content-type"].startswith("text/html")
    assert b"413 Request Entity Too Large" in over.content
    entry = list(client.services.journal.entries())[-1]
    assert (entry.status, entry.code, entry.reason) == (
        413, None, "request body over the 1000-byte limit")


async def test_fault_rules_do_not_apply_to_a_cut_body(client) -> None:
    client.services.faults.add({"vendor": "plain", "status": 503})
    assert (await client.post("/plain/size", content=b"x" * 2000)).status_code == 413
    assert (await client.post("/plain/size", content=b"x")).status_code == 503
