"""How OpenIM's gin gateway reads and answers, as the pipeline's hooks, in the order of its
middlewares:

1. gin's RedirectTrailingSlash: a POST to a served path plus ``/`` gets a bare 307 (``route``).
2. The optional rate limiter (HTTP 429), before any header check (``Vendor.admit_first``); fault
   rules match the user the raw body names (``subject``).
3. The CORS handler: an OPTIONS request stops there with ``"Options Request!"``.
4. Any method but POST has no route: gin's plain ``404 page not found``.
5. The ``operationID`` header, then the ``token`` header (``auth``; not on the two token-free
   paths); the token's Claims are the principal.
6. A POST to a path with no route: gin's plain 404.
7. The body, decoded with Go's rules into the command's request message (its ``schema``), then
   the message's ``Check()`` (1001 ArgsError either way); then the handler.

Every answer is ``{"errCode", "errMsg", "errDlt"}`` (plus ``data`` on success) on HTTP 200,
except the 404s, the redirect and the limiter's 429. ``finish`` adds the CORS headers (not to
the redirect or the limiter's 429) and gzips when the client asks (not the redirect, nor the
errors the emulator makes itself: see ``errors``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from emulator.errors import VendorError
from emulator.services import Services
from emulator.vendor import Answered, Command, Context, Protocol, Rendered, Route, VendorRequest
from emulator.vendors.openim import auth, gin
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.binding import BindError, Message, bind
from emulator.vendors.openim.gojson import GoSyntaxError, parse
from emulator.vendors.openim.messages import GinMessage, KeyedGinMessage
from emulator.vendors.openim.webhook import WEBHOOK_KEY, webhook_key
from emulator.vendors.openim.validation import gin_bind
from emulator.vendors.openim.settings import OpenIMSettings
from emulator.vendors.openim.tokens import Claims, TokenService

OPTIONS_BODY = "Options Request!"
NO_ROUTE = "no route"
# The body fields naming the user a request is about, read before ``admit`` so fault rules can
# match them (the first of ``users`` counts too); the handler may refine it for the journal.
SUBJECT_FIELDS = ("fromUserID", "ownerUserID", "userID")
OK_ENVELOPE = b'{"errCode":0,"errMsg":"","errDlt":""'
# request.notes: whether ``finish`` adds the CORS headers and may gzip (both by default).
CORS, GZIP = "cors", "gzip"

Ctx = Context[dict[str, Any], Claims | None]


def envelope(code: int, message: str, detail: str) -> dict[str, object]:
    """The error envelope, keys in OpenIM's order."""
    return {"errCode": code, "errMsg": message, "errDlt": detail}


def decode_error(text: str) -> VendorError:
    """1001 for a body Go cannot decode: errMsg is the Go error, wrapped twice by the stack
    package (without the stack frames, which depend on the build)."""
    return e.oim_error(e.ARGS, "", message=f"Error: Error: {text}")


def no_route() -> Answered:
    """gin's answer for a path (or method) with no route."""
    return Answered(gin.not_found(), NO_ROUTE)


class OpenIMProtocol(Protocol):
    """OpenIM's hooks: gin's routing and middlewares, token auth, Go-style JSON bodies."""

    def __init__(self, services: Services, settings: OpenIMSettings,
                 commands: Mapping[str, Command]) -> None:
        super().__init__(services, settings, commands)
        self.tokens = TokenService(settings.secret, settings.admins, settings.token_expire_days,
                                   services.clock)

    def route(self, request: VendorRequest) -> Route:
        path = request.path
        if (path.endswith("/") and path[:-1] in self.commands
                and request.method == "POST"):
            request.call.endpoint = path
            request.notes[CORS] = request.notes[GZIP] = False
            raise Answered(gin.trailing_slash_redirect(path, request.query_string))
        return Route(path)

    def subject(self, request: VendorRequest, body: Any) -> str:
        try:
            value = orjson.loads(request.body)
        except orjson.JSONDecodeError:
            return ""
        if not isinstance(value, dict):
            return ""
        users = value.get("users")
        if isinstance(users, list) and users and isinstance(users[0], dict):
            value = {**users[0], **value}
        return next((value[key] for key in SUBJECT_FIELDS if isinstance(value.get(key), str)),
                    "")

    def authenticate(self, request: VendorRequest, command: Command | None) -> Claims | None:
        method = request.method
        if method == "OPTIONS":
            raise Answered(gin.json_answer(OPTIONS_BODY))
        if method != "POST":
            raise no_route()
        headers = request.headers
        request.notes["operation_id"] = auth.operation_id(headers)
        if not auth.needs_token(request.path):
            return None
        return auth.caller(headers, self.tokens)

    def unknown_command(self, request: VendorRequest) -> Exception:
        return no_route()

    async def parse(self, request: VendorRequest, command: Command) -> dict[str, Any]:
        message: Message = command.schema
        if isinstance(message, KeyedGinMessage):
            request.notes[WEBHOOK_KEY] = webhook_key(request.query_string)
        if isinstance(message, GinMessage):
            return gin_bind(request.body, message)
        try:
            req = bind(parse(request.body), message)
        except (GoSyntaxError, BindError) as exc:
            raise decode_error(str(exc)) from None
        problem = message.check(req) if message.check is not None else None
        if problem is not None:
            raise e.oim_error(e.ARGS, problem)
        return req

    def render(self, answer: dict[str, Any] | None, ctx: Ctx) -> Rendered:
        content = OK_ENVELOPE
        if answer is not None:
            content += b',"data":' + gin.go_json(answer)
        return Rendered(Response(content + b"}", media_type=gin.JSON_TYPE), e.SUCCESS)

    def render_error(self, error: VendorError, request: VendorRequest) -> Response:
        response = gin.json_answer(envelope(error.code, error.message, error.detail),
                                   error.http_status)
        if isinstance(error, e.LimiterError):
            request.notes[CORS] = False
        elif isinstance(error, e.EmulatorError):
            gin.add_cors(response)
            request.notes[CORS] = request.notes[GZIP] = False
        return response

    def rate_limited(self, retry_after: float, limit: int) -> VendorError:
        return e.rate_limited(retry_after, limit)

    def error_for_code(self, code: int) -> VendorError:
        return e.error_for_code(code)

    def internal_error(self) -> VendorError:
        return e.internal_error()

    def finish(self, response: Response, request: VendorRequest) -> Response:
        notes = request.notes
        if notes.get(CORS, True):
            gin.add_cors(response)
        if notes.get(GZIP, True) and gin.wants_gzip(request.headers):
            if response.status_code == 404 and bytes(response.body) == gin.NOT_FOUND_BODY:
                gin.gzip_footer_first(response)
            gin.compress(response)
        return response
