"""create_app: the Starlette application with the admin API and every registered vendor.

``/_emulator/*`` is the admin API; every other request goes to the vendor that claims it
(``emulator.registry``), through the vendor's pipeline (``emulator.pipeline``). Every response
carries ``X-Emulator-Version``. The lifespan opens the store and seeds it from the fixtures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator import registry
from emulator.admin import build_admin
from emulator.clock import ManualClock
from emulator.pipeline import VendorPipeline
from emulator.services import Services
from emulator.settings import Settings
from emulator.version import __version__

VERSION_HEADER = (b"x-emulator-version", __version__.encode())
ADMIN_PREFIX = "/_emulator"


def is_admin_path(path: str) -> bool:
    """True for the admin API's paths."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


class Dispatch:
    """The ASGI app in front of Starlette's router: admin paths to the admin API, the rest to
    the vendor that claims them."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        self.admin = build_admin(services)
        chosen = registry.vendors()
        self.vendors = chosen
        self.pipelines = {vendor.name: VendorPipeline(vendor, services) for vendor in chosen}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.admin(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), VERSION_HEADER]
            await send(message)

        path = scope["path"]
        if is_admin_path(path):
            try:
                await self.admin(scope, receive, stamped)
            except HTTPException as exc:
                await JSONResponse({"error": exc.detail}, status_code=exc.status_code,
                                   headers=exc.headers)(scope, receive, stamped)
            return
        vendor = registry.claim(self.vendors, path, scope.get("query_string", b""))
        if vendor is None:
            await JSONResponse({"error": "no vendor serves this path"},
                               status_code=404)(scope, receive, stamped)
            return
        await self.pipelines[vendor.name](scope, receive, stamped)


def create_app(settings: Settings | None = None, *, clock: ManualClock | None = None) -> Starlette:
    """A ready-to-serve emulator; ``app.state.services`` holds its store, clock and limiter."""
    services = Services(settings or Settings(), clock=clock or ManualClock())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.start()
        try:
            yield
        finally:
            await services.stop()

    app = Starlette(lifespan=lifespan, middleware=[Middleware(Dispatch, services=services)])
    app.state.services = services
    return app
