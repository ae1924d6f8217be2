"""The edge: decides which route set owns a path, renders errors in the owner's envelope,
records the request journal and stamps every response with ``X-Emulator-Version``.

Who owns a path: ``/_emulator/*`` the admin API; ``/v4/*`` Tencent; any path ending in ``.json``
RongCloud; ``/`` with an ``Action`` query parameter ZEGO; every other path OpenIM.
No request ever gets a traceback: an unexpected exception is logged and answered with the
owner's internal-error envelope.
"""

from __future__ import annotations

import asyncio
import logging
import time
from http import HTTPStatus
from collections.abc import Mapping
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.call import SCOPE_KEY, CallInfo
from emulator.errors import RateLimited, VendorError
from emulator.faults import FaultRule, InjectedFault
from emulator.journal import JournalEntry
from emulator.services import Services
from emulator.vendors.base import Vendor
from emulator.version import __version__

log = logging.getLogger("emulator")

VERSION_HEADER = (b"x-emulator-version", __version__.encode())
DROP_HEADER = (b"x-emulator-fault", b"drop")
EXPLAIN_HEADER = "X-Emulator-Explain"


def owner_of(path: str, query_string: bytes) -> str:
    """The name of the route set that owns a request path."""
    if path.startswith("/_emulator/") or path == "/_emulator":
        return "admin"
    if path.startswith("/v4/"):
        return "tencent"
    if path.endswith(".json"):
        return "rongcloud"
    if path == "/" and b"Action" in query_string and (
            query_string.startswith(b"Action=") or b"&Action=" in query_string
            or any(key == "Action" for key, _ in parse_qsl(query_string.decode("latin-1"),
                                                           keep_blank_values=True))):
        return "zego"
    return "openim"


class Edge:
    """The ASGI app in front of every route set."""

    def __init__(self, services: Services, admin: ASGIApp, vendors: Mapping[str, Vendor]) -> None:
        self.services = services
        self.admin = admin
        self.vendors = dict(vendors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.admin(scope, receive, send)
            return
        owner = owner_of(scope["path"], scope.get("query_string", b""))

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), VERSION_HEADER]
            await send(message)

        if owner == "admin":
            try:
                await self.admin(scope, receive, stamped)
            except HTTPException as exc:
                await JSONResponse({"error": exc.detail}, status_code=exc.status_code,
                                   headers=exc.headers)(scope, receive, stamped)
            return
        vendor = self.vendors.get(owner)
        if vendor is None:
            await JSONResponse({"error": f"the {owner} route set is not available"},
                               status_code=404)(scope, receive, stamped)
            return
        await self._vendor_call(vendor, scope, receive, stamped)

    async def _vendor_call(self, vendor: Vendor, scope: Scope, receive: Receive, send: Send) -> None:
        services = self.services
        call = CallInfo(vendor.name, scope["method"], scope["path"])
        scope[SCOPE_KEY] = call
        status = 0
        started = False

        async def recording(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                if call.delay_ms:
                    await asyncio.sleep(call.delay_ms / 1000)
                status = message["status"]
                started = True
            await send(message)

        began = time.perf_counter()
        wall = services.clock.now()
        try:
            await vendor.app(scope, receive, recording)
        except Exception as exc:  # the edge: nothing escapes as a traceback
            if started:
                raise
            if isinstance(exc, InjectedFault) and exc.rule.effect != "error":
                await self._transport_fault(exc.rule, call, recording)
            else:
                response = self._error_response(vendor, call, exc, scope)
                await response(scope, receive, recording)
        services.journal.record(JournalEntry(
            seq=services.journal.next_seq(), time=wall, vendor=vendor.name,
            method=call.method, path=call.path, endpoint=call.endpoint, app=call.app,
            user=call.user, status=status, code=call.code,
            duration_ms=round((time.perf_counter() - began) * 1000, 3),
            reason=call.explain or call.reason))

    @staticmethod
    async def _transport_fault(rule: FaultRule, call: CallInfo, send: Send) -> None:
        """Answer with a bare 502/503, or drop the connection after the status line: the answer
        is never completed, so the server closes the connection and the client sees a truncated
        response (the in-process transport of the pytest plugin raises the same error)."""
        call.reason = f"fault rule {rule.id}: {rule.effect}"
        if rule.effect == "status":
            phrase = HTTPStatus(rule.status).phrase.encode()
            await send({"type": "http.response.start", "status": rule.status,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(phrase)).encode())]})
            await send({"type": "http.response.body", "body": phrase})
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [DROP_HEADER, (b"content-length", b"1")]})

    def _error_response(self, vendor: Vendor, call: CallInfo, exc: Exception,
                        scope: Scope) -> Response:
        if isinstance(exc, InjectedFault) and exc.rule.code is not None:
            error = vendor.error_for_code(exc.rule.code)
            call.reason = f"fault rule {exc.rule.id}: error {exc.rule.code}"
        elif isinstance(exc, RateLimited):
            error = vendor.rate_limited(exc.retry_after)
            call.reason = "rate limited"
        elif isinstance(exc, VendorError):
            error = exc
        else:
            log.exception("unexpected error in %s %s %s", vendor.name, scope["method"],
                          scope["path"])
            error = vendor.internal_error()
            call.reason = f"internal error: {type(exc).__name__}"
        call.code = error.code
        if error.explain:
            call.explain = error.explain
        if not call.reason:
            call.reason = error.detail or error.message
        response = vendor.render(error)
        for name, value in error.headers.items():
            response.headers[name] = value
        if error.explain and self.services.settings.explain:
            response.headers[EXPLAIN_HEADER] = _header_safe(error.explain)
        return response


def _header_safe(text: str) -> str:
    """A header value: printable ASCII only."""
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in text)
