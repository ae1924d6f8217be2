"""The OpenIM route set as one ASGI app, in the order of OpenIM's gin middlewares.

gzip (when asked) wraps everything; then the optional rate limiter (HTTP 429); the CORS headers
(an OPTIONS request stops there with ``"Options Request!"``); for POST only, the operationID and
token checks; then the route: an unknown one gets gin's plain ``404 page not found`` (as does
any method but POST), a known one decodes the body with Go's rules, runs the message's Check(),
then the handler. Errors are rendered here (so they are gzipped too) and recorded on the call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulator.call import CallInfo, call_of
from emulator.errors import RateLimited, VendorError
from emulator.services import Services
from emulator.vendors.openim import auth, wire
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.binding import BindError, bind
from emulator.vendors.openim.endpoint import Context, Endpoint
from emulator.vendors.openim.gojson import GoSyntaxError, parse
from emulator.vendors.openim.tokens import TokenService

OPTIONS_BODY = "Options Request!"
SUBJECT_FIELDS = ("fromUserID", "ownerUserID", "userID")
EXPLAIN_HEADER = "X-Emulator-Explain"  # the edge's header (emulator.edge imports the vendors)


def decode_error(text: str) -> VendorError:
    """1001 for a body Go cannot decode: errMsg is the Go error, wrapped twice by the stack
    package (without the stack frames, which depend on the build)."""
    return e.oim_error(e.ARGS, "", message=f"Error: Error: {text}")


def subject(body: bytes) -> str:
    """The user a request body is about, known before ``admit`` so fault rules can match it
    (the handler may refine it for the journal); "" when the body names none."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return ""
    if not isinstance(value, dict):
        return ""
    users = value.get("users")
    if isinstance(users, list) and users and isinstance(users[0], dict):
        value = {**users[0], **value}
    return next((value[key] for key in SUBJECT_FIELDS if isinstance(value.get(key), str)), "")


class OpenIMApp:
    """Every OpenIM path: the header checks, the endpoints, gin's 404, gzip and CORS."""

    def __init__(self, services: Services, tokens: TokenService,
                 endpoints: Mapping[str, Endpoint]) -> None:
        self.services = services
        self.tokens = tokens
        self.endpoints = dict(endpoints)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        call = call_of(request)
        call.endpoint = scope["path"]
        path = scope["path"]
        if request.method == "POST" and path.endswith("/") and path[:-1] in self.endpoints:
            await wire.trailing_slash_redirect(path, scope.get("query_string", b""))(
                scope, receive, send)
            return
        try:
            call.user = subject(await request.body())
            self.services.admit(call)
            cors = True
            response = await self.dispatch(request, call)
        except RateLimited as exc:
            cors = False
            response = self.error_response(
                e.rate_limited(exc.retry_after, self.services.settings.openim_rate_limit), call)
        except VendorError as exc:
            response = self.error_response(exc, call)
        if cors:
            wire.add_cors(response)
        if wire.wants_gzip(request.headers):
            wire.compress(response)
        await response(scope, receive, send)

    async def dispatch(self, request: Request, call: CallInfo) -> Response:
        """Header checks, then the route."""
        if request.method == "OPTIONS":
            return wire.json_answer(OPTIONS_BODY)
        if request.method != "POST":
            call.reason = "no route"
            return wire.not_found()
        path = request.scope["path"]
        operation_id = auth.operation_id(request.headers)
        claims = auth.caller(request.headers, self.tokens) if auth.needs_token(path) else None
        endpoint = self.endpoints.get(path)
        if endpoint is None:
            call.reason = "no route"
            return wire.not_found()
        ctx = Context(self.services, self.tokens, claims, operation_id, call)
        data = await self.run(endpoint, ctx, await request.body())
        call.code = e.SUCCESS
        answer: dict[str, Any] = {"errCode": 0, "errMsg": "", "errDlt": ""}
        if data is not None:
            answer["data"] = data
        return wire.json_answer(answer)

    async def run(self, endpoint: Endpoint, ctx: Context, body: bytes) -> dict[str, Any] | None:
        """Decode the body, Check() it, then call the handler."""
        try:
            req = bind(parse(body), endpoint.message)
        except (GoSyntaxError, BindError) as exc:
            raise decode_error(str(exc)) from None
        problem = endpoint.check(req)
        if problem is not None:
            raise e.oim_error(e.ARGS, problem)
        return await endpoint.handler(ctx, req)

    def error_response(self, error: VendorError, call: CallInfo) -> Response:
        """The error envelope, recorded on the call as the edge would."""
        call.code = error.code
        if error.explain:
            call.explain = error.explain
        if not call.reason:
            call.reason = error.detail or error.message
        response = wire.json_answer(e.envelope(error.code, error.message, error.detail),
                                    error.http_status)
        for name, value in error.headers.items():
            response.headers[name] = value
        if error.explain and self.services.settings.explain:
            response.headers[EXPLAIN_HEADER] = "".join(
                ch if 32 <= ord(ch) < 127 else "?" for ch in error.explain)
        return response
