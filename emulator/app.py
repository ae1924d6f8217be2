"""create_app: the Starlette application with the admin API and every registered vendor.

``/_emulator/*`` is the admin API; every other request goes to the vendor that claims it
(``emulator.registry``), through the vendor's pipeline (``emulator.pipeline``). Every response
carries ``X-Emulator-Version``. The lifespan opens the store and seeds it from the fixtures,
and closes it again however it ends.

The admin API is for the developer's own tools, never a web page: before any route runs,
``AdminGuard`` refuses (in the admin error shape) a request to ``/_emulator/*`` whose ``Host``
is not a loopback name or address, the configured host or one of ``--admin-hosts`` (403; DNS
rebinding), one that a browser marks as cross-origin (``Origin`` other than the emulator's own,
or ``Sec-Fetch-Site`` cross-site or same-site: 403), one without the bearer token when
``--admin-token`` is set (401), and a write whose body is not declared
``Content-Type: application/json`` (415), which no "simple" cross-origin request can send.
The inspector's static files (``GET /_emulator/ui``, ``emulator.admin_ui``) hold no data and
load without the token, so a browser can open the page that then asks for it.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator import registry
from emulator.admin import build_admin
from emulator.admin_ui import is_ui_shell
from emulator.clock import ManualClock
from emulator.pipeline import VendorPipeline
from emulator.services import Services
from emulator.settings import Settings
from emulator.version import __version__

log = logging.getLogger("emulator")

VERSION_HEADER = (b"x-emulator-version", __version__.encode())
ADMIN_PREFIX = "/_emulator"
# The in-process fixture's base URL host: under the reserved .test TLD, so no public DNS name
# can be rebound to it.
IN_PROCESS_HOST = "im-emulator.test"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_admin_path(path: str) -> bool:
    """True for the admin API's paths."""
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


def host_name(host: str) -> str:
    """The name part of a Host header value (no port, no IPv6 brackets), lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_loopback(name: str) -> bool:
    """True for localhost (and its subdomains) and loopback addresses."""
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                            and media.endswith("+json"))


class AdminGuard:
    """Who may use the admin API: see the module docstring."""

    def __init__(self, settings: Settings) -> None:
        self.token = settings.admin_token
        extra = {host_name(name) for name in settings.admin_hosts.split(",") if name.strip()}
        self.any_host = "*" in extra
        self.hosts = {name for name in extra if name != "*"} | {IN_PROCESS_HOST}
        configured = host_name(settings.host)
        try:
            unspecified = ipaddress.ip_address(configured).is_unspecified
        except ValueError:
            unspecified = False
        if configured and not unspecified:
            self.hosts.add(configured)

    def refusal(self, scope: Scope) -> JSONResponse | None:
        """The answer refusing this admin request, or None to let it through."""
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        name = host_name(host)
        if not self.any_host and not (is_loopback(name) or name in self.hosts):
            return JSONResponse({"error": (
                f"the admin API answers only to a loopback Host or the configured host, not "
                f"{host[:100]!r}; add it with --admin-hosts")}, status_code=403)
        origin = headers.get("origin")
        fetch_site = headers.get("sec-fetch-site", "")
        if (origin is not None and origin.lower() not in (f"http://{host.lower()}",
                                                          f"https://{host.lower()}")) or (
                fetch_site in ("cross-site", "same-site")):
            return JSONResponse({"error": "cross-origin requests to the admin API are refused"},
                                status_code=403)
        if self.token and not is_ui_shell(scope["method"], scope["path"]):
            given = headers.get("authorization", "")
            expected = f"Bearer {self.token}"
            if not hmac.compare_digest(given.encode("utf-8", "replace"),
                                       expected.encode("utf-8", "replace")):
                return JSONResponse(
                    {"error": "the admin API needs 'Authorization: Bearer TOKEN' (--admin-token)"},
                    status_code=401, headers={"WWW-Authenticate": 'Bearer realm="im-emulator"'})
        if scope["method"] in WRITE_METHODS:
            content_type = headers.get("content-type")
            has_body = headers.get("content-length", "0") not in ("", "0") or (
                "transfer-encoding" in headers)
            if (content_type is not None or has_body) and not _is_json(content_type or ""):
                return JSONResponse(
                    {"error": "admin writes need Content-Type: application/json"},
                    status_code=415)
        return None


class Dispatch:
    """The ASGI app in front of Starlette's router: admin paths to the admin API, the rest to
    the vendor that claims them."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        self.admin = build_admin(services)
        self.guard = AdminGuard(services.settings)
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
            refusal = self.guard.refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, stamped)
                return
            try:
                await self.admin(scope, receive, stamped)
            except HTTPException as exc:
                await JSONResponse({"error": exc.detail}, status_code=exc.status_code,
                                   headers=exc.headers)(scope, receive, stamped)
            except ClientDisconnect:
                log.info("client disconnected during %s %s", scope["method"], path)
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
        try:
            await services.start()
            yield
        finally:
            await services.stop()

    app = Starlette(lifespan=lifespan, middleware=[Middleware(Dispatch, services=services)])
    app.state.services = services
    return app
