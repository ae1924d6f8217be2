"""The one request pipeline every vendor request runs through.

    route -> authenticate -> command -> parse -> subject -> admit -> handler -> render -> journal

Each step calls the vendor's hook (``emulator.vendor.Protocol``); the order is the same for
every vendor, except that a vendor whose gateway rate-limits first (``Vendor.admit_first``) is
admitted right after ``route``. A body the vendor refuses is held until after ``admit``, so
fault rules and rate limits apply to it too. Every error is rendered in the vendor's own
envelope; an unexpected exception is logged and answered with the vendor's internal error, never
a traceback. Fault rules may delay the answer, replace it with a bare 502/503, or drop the
connection after the status line. Each request, however it ended, is recorded in the journal.

The body is read with a cap (``max_body_bytes``, or the vendor settings' own lower
``max_body_bytes``), counted while it arrives: a body over it (or a Content-Length over it) is
not read further and gets the vendor's ``body_too_large`` answer before any other check, as
a gateway would cut it. A client that hangs up before its body is complete is journaled as a
client disconnect (no vendor code, no answer) and logged in one line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from http import HTTPStatus
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from emulator.call import CallInfo
from emulator.errors import RateLimited, VendorError
from emulator.faults import FaultRule, InjectedFault
from emulator.journal import JournalEntry
from emulator.notices import OncePer
from emulator.services import Services
from emulator.vendor import Answered, Command, Context, Protocol, Vendor, VendorRequest

log = logging.getLogger("emulator")

DROP_HEADER = (b"x-emulator-fault", b"drop")
EXPLAIN_HEADER = "X-Emulator-Explain"
# Set in the scope by the server when it closes a connection itself (e.g. a body timeout),
# so the journal says why instead of blaming the client.
CLOSED_BY_SERVER = "im_emulator.closed_by_server"


class BodyTooLarge(Exception):
    """The request body is over ``limit`` bytes (it was not read further)."""

    def __init__(self, limit: int, received: int) -> None:
        super().__init__(f"the body is over {limit} bytes")
        self.limit = limit
        self.received = received


class ClientDisconnected(Exception):
    """The client hung up before its request body was complete."""

    def __init__(self, received: int) -> None:
        super().__init__(f"the client disconnected after {received} body bytes")
        self.received = received


def declared_length(scope: Scope) -> int | None:
    """The request's Content-Length, when it gives a valid one."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def read_body(receive: Receive, limit: int | None = None) -> bytes:
    """The whole request body, counted while it is read: BodyTooLarge as soon as it passes
    ``limit`` bytes, ClientDisconnected when the client hangs up before its end."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            size += len(chunk)
            if limit is not None and size > limit:
                raise BodyTooLarge(limit, size)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            raise ClientDisconnected(size)


class VendorPipeline:
    """The ASGI app of one vendor: its hooks and commands run through the pipeline."""

    def __init__(self, vendor: Vendor, services: Services) -> None:
        self.vendor = vendor
        self.services = services
        self.settings = services.settings.vendor(vendor.name)
        self.protocol: Protocol = vendor.protocol(services, self.settings, vendor.commands)
        # Client hang-ups and connections the server closed come in storms (a load test
        # stopped, stalled bodies timing out together): each is journaled, logged once per
        # interval.
        self.hangups = OncePer(log)
        own_limit = getattr(self.settings, "max_body_bytes", None)
        core_limit: int = services.settings.max_body_bytes
        self.body_limit = core_limit if own_limit is None else min(core_limit, own_limit)

    @property
    def default_limit(self) -> int:
        """The vendor's rate-limit setting (requests per second per app per endpoint)."""
        limit: int = self.settings.rate_limit
        return limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services = self.services
        call = CallInfo(self.vendor.name, scope["method"], scope["path"])
        status = 0

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                if call.delay_ms:
                    await _sleep_at_least(call.delay_ms / 1000)
                status = message["status"]
            await send(message)

        began = time.perf_counter()
        wall = services.clock.now()
        try:
            response = await self._respond(scope, receive, call)
        except ClientDisconnected as gone:
            closed_by = scope.get(CLOSED_BY_SERVER)
            call.reason = (f"connection closed: {closed_by}" if closed_by else
                           f"client disconnected after {gone.received} body bytes")
            self.hangups.log("closed" if closed_by else "client", logging.INFO,
                        f"{self.vendor.name} {call.method} {call.path[:200]}: {call.reason}",
                        asyncio.get_running_loop().time())
        except InjectedFault as fault:
            await _transport_fault(fault.rule, call, recording)
        else:
            await response(scope, receive, recording)
        services.journal.record(JournalEntry(
            seq=services.journal.next_seq(), time=wall, vendor=call.vendor,
            method=call.method, path=call.path, endpoint=call.endpoint, app=call.app,
            user=call.user, status=status, code=call.code,
            duration_ms=round((time.perf_counter() - began) * 1000, 3),
            reason=call.explain or call.reason))

    async def _respond(self, scope: Scope, receive: Receive, call: CallInfo) -> Response:
        """The answer to a request: the vendor's over-size answer, or its pipeline's."""
        limit = self.body_limit
        try:
            declared = declared_length(scope)
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit, 0)
            body = await read_body(receive, limit)
        except BodyTooLarge:
            return self.too_large(VendorRequest(scope, call, b""), limit)
        return await self.answer(VendorRequest(scope, call, body))

    def too_large(self, request: VendorRequest, limit: int) -> Response:
        """The vendor's answer to a body over ``limit`` bytes; the route is read (when it
        can be) only to name the endpoint in the journal."""
        call, protocol = request.call, self.protocol
        try:
            route = protocol.route(request)
            call.endpoint, call.app, call.user = route.endpoint, route.app, route.user
        except Exception:  # noqa: BLE001 - the route only names the journal entry
            pass
        call.reason = f"request body over the {limit}-byte limit"
        answer = protocol.body_too_large(limit)
        if isinstance(answer, VendorError):
            response = self._error(answer, request)
        else:
            response = answer
        return protocol.finish(response, request)

    async def answer(self, request: VendorRequest) -> Response:
        """The vendor's answer to a request; raises InjectedFault for a transport fault."""
        protocol = self.protocol
        try:
            response = await self._run(request)
        except Answered as answered:
            response = answered.response
            if answered.reason:
                request.call.reason = answered.reason
        except InjectedFault as fault:
            rule = fault.rule
            if rule.effect != "error" or rule.code is None:
                raise
            request.call.reason = f"fault rule {rule.id}: error {rule.code}"
            response = self._error(protocol.error_for_code(rule.code), request)
        except RateLimited as limited:
            request.call.reason = "rate limited"
            response = self._error(protocol.rate_limited(limited.retry_after, limited.limit),
                                   request)
        except VendorError as error:
            response = self._error(error, request)
        except ClientDisconnect:
            raise ClientDisconnected(len(request.body)) from None
        except Exception as exc:  # the pipeline's promise: no traceback reaches a client
            log.exception("unexpected error in %s %s %s", self.vendor.name, request.method,
                          request.path)
            request.call.reason = f"internal error: {type(exc).__name__}"
            response = self._error(protocol.internal_error(), request)
        return protocol.finish(response, request)

    async def _run(self, request: VendorRequest) -> Response:
        protocol, call = self.protocol, request.call
        route = protocol.route(request)
        call.endpoint, call.app, call.user = route.endpoint, route.app, route.user
        command = self.vendor.commands.get(route.endpoint)
        if self.vendor.admit_first:
            self._admit(request, command, None)
        principal = protocol.authenticate(request, command)
        if command is None:
            raise protocol.unknown_command(request)
        failure: VendorError | None = None
        body: Any = None
        try:
            body = await protocol.parse(request, command)
        except VendorError as exc:
            failure = exc
        if not self.vendor.admit_first:
            self._admit(request, command, body)
        if failure is not None:
            raise failure
        ctx: Context[Any, Any] = Context(self.services, self.settings, protocol, call, request,
                                         command, principal, body)
        rendered = protocol.render(await command.handler(ctx), ctx)
        call.code = rendered.code
        return rendered.response

    def _admit(self, request: VendorRequest, command: Command | None, body: Any) -> None:
        user = self.protocol.subject(request, body)
        if user:
            request.call.user = user
        limit = self.default_limit
        if command is not None and command.rate_limit is not None:
            own = command.rate_limit
            limit = getattr(self.settings, own) if isinstance(own, str) else own
        try:
            self.services.admit(request.call, limit)
        except RateLimited as limited:
            limited.limit = limit
            raise

    def _error(self, error: VendorError, request: VendorRequest) -> Response:
        call = request.call
        call.code = error.code
        if error.explain:
            call.explain = error.explain
        if not call.reason:
            call.reason = error.detail or error.message
        response = self.protocol.render_error(error, request)
        for name, value in error.headers.items():
            response.headers[name] = value
        if error.explain and self.services.settings.explain:
            response.headers[EXPLAIN_HEADER] = _header_safe(error.explain)
        return response


async def _sleep_at_least(seconds: float) -> None:
    """Sleep at least ``seconds``: the event loop's timers may wake a little early (uvloop
    rounds them to the millisecond), and a delay rule promises no less than its delay."""
    end = time.perf_counter() + seconds
    await asyncio.sleep(seconds)
    while (left := end - time.perf_counter()) > 0:
        await asyncio.sleep(left)


async def _transport_fault(rule: FaultRule, call: CallInfo, send: Send) -> None:
    """Answer with a bare 502/503, or drop the connection after the status line: the answer is
    never completed, so the server closes the connection and the client sees a truncated
    response (the pytest plugin's in-process transport raises the same error)."""
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


def _header_safe(text: str) -> str:
    """A header value: printable ASCII only."""
    return "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in text)
