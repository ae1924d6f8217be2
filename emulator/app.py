"""create_app: the Starlette application with the admin API and every vendor route set.

The lifespan opens the store and seeds it from the fixtures; everything else runs through the
edge (``emulator.edge``), which hands each path to the route set that owns it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.admin import build_admin
from emulator.clock import ManualClock
from emulator.edge import Edge
from emulator.services import Services
from emulator.settings import Settings
from emulator.vendors import builders


class _EdgeMiddleware:
    """Puts the edge in front of Starlette's router, which then serves nothing itself."""

    def __init__(self, app: ASGIApp, edge: Edge) -> None:
        self.app = app
        self.edge = edge

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
        else:
            await self.edge(scope, receive, send)


def create_app(settings: Settings | None = None, *, clock: ManualClock | None = None) -> Starlette:
    """A ready-to-serve emulator; ``app.state.services`` holds its store, clock and limiter."""
    services = Services(settings or Settings(), clock=clock or ManualClock())
    vendors = {name: build(services) for name, build in builders().items()}
    edge = Edge(services, build_admin(services, sorted(vendors)), vendors)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.start()
        try:
            yield
        finally:
            await services.stop()

    app = Starlette(lifespan=lifespan, middleware=[Middleware(_EdgeMiddleware, edge=edge)])
    app.state.services = services
    return app
