"""How Tencent's REST API reads and answers, as the pipeline's hooks.

``POST /v4/<service>/<command>?sdkappid=&identifier=&usersig=&random=&contenttype=json``. The
order of checks: the UserSig (``auth``), then the command (unknown → 60009), then the method
(not POST → 60002), then the rate limit (60007) and the JSON body, whatever the Content-Type
(→ 60003). Every answer is HTTP 200: ``{"ActionStatus", "ErrorInfo", "ErrorCode"}`` and the
command's fields; an answer over the 1 MB packet limit is 10018. A request body over the
emulator's limit gets HTTP 413 from the gateway (Tencent documents no request-size code).

With ``tencent_request_id`` on, every envelope, success or failure, also carries a
``RequestId`` after ``ErrorCode``: ``Id-`` and 32 random hex digits, then ``-O-Seq-`` and
this server's request count (the shape of the REST pages that show one).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.datastructures import QueryParams
from starlette.responses import Response

from emulator.errors import VendorError
from emulator.querystring import parse_query
from emulator.responses import json_response
from emulator.services import Services
from emulator.vendor import (Command, Context, Protocol, Rendered, Route, VendorRequest,
                             gateway_too_large)
from emulator.vendors.tencent import errors
from emulator.vendors.tencent.auth import authenticate
from emulator.vendors.tencent.body import Fields, parse_json
from emulator.vendors.tencent.settings import TencentSettings

PREFIX = "/v4/"
MAX_RESPONSE_BYTES = 1024 * 1024
OK_ENVELOPE = b'{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0'
# The body fields naming the user a request is about, read before ``admit`` so fault rules can
# match them; without one, the user is the calling identifier.
SUBJECT_FIELDS = ("Member_Account", "Owner_Account", "UserID", "Identifier")

Ctx = Context[Fields, str]


class TencentProtocol(Protocol):
    """Tencent's hooks: UserSig auth in the query string, JSON bodies, one envelope."""

    def __init__(self, services: Services, settings: TencentSettings,
                 commands: Mapping[str, Command]) -> None:
        super().__init__(services, settings, commands)
        self.settings: TencentSettings = settings
        self._request_seq = itertools.count(1)

    def request_id(self) -> str | None:
        """A new ``RequestId`` (None while the setting is off)."""
        if not self.settings.request_id:
            return None
        return f"Id-{secrets.token_hex(16)}-O-Seq-{next(self._request_seq)}"

    def route(self, request: VendorRequest) -> Route:
        query = QueryParams(parse_query(request.query_string.decode("latin-1")))
        request.notes["query"] = query
        return Route(request.path[len(PREFIX):], query.get("sdkappid", ""),
                     query.get("identifier", ""))

    def authenticate(self, request: VendorRequest, command: Command | None) -> str:
        identifier = authenticate(request.notes["query"], self.settings, self.services.clock)
        if command is not None and request.method != "POST":
            raise errors.fail(errors.HTTP_PARSE_ERROR, explain="Tencent REST calls are POST")
        return identifier

    def unknown_command(self, request: VendorRequest) -> Exception:
        return errors.fail(errors.UNKNOWN_COMMAND, explain=(
            f"no command {request.call.endpoint[:100]!r}; served: {', '.join(self.commands)}"))

    async def parse(self, request: VendorRequest, command: Command) -> Fields:
        return Fields(parse_json(request.body))

    def subject(self, request: VendorRequest, body: Fields | None) -> str:
        data = body.data if body is not None else {}
        return next((data[key] for key in SUBJECT_FIELDS if isinstance(data.get(key), str)), "")

    def render(self, answer: dict[str, Any] | None, ctx: Ctx) -> Rendered:
        content = OK_ENVELOPE
        request_id = self.request_id()
        if request_id is not None:
            content += b',"RequestId":"' + request_id.encode("ascii") + b'"'
        if answer:
            content += b"," + orjson.dumps(answer)[1:]
        else:
            content += b"}"
        if len(content) > MAX_RESPONSE_BYTES:
            raise errors.fail(errors.RESPONSE_TOO_LARGE, explain=(
                f"the answer would be {len(content)} bytes; ask for less at a time "
                "(Limit and Offset)"))
        return Rendered(Response(content, media_type="application/json"), 0)

    def render_error(self, error: VendorError, request: VendorRequest) -> Response:
        envelope: dict[str, Any] = {"ActionStatus": "FAIL", "ErrorInfo": error.message,
                                    "ErrorCode": error.code}
        request_id = self.request_id()
        if request_id is not None:
            envelope["RequestId"] = request_id
        return json_response(envelope)

    def rate_limited(self, retry_after: float, limit: int) -> VendorError:
        return errors.fail(errors.RATE_LIMITED)

    def error_for_code(self, code: int) -> VendorError:
        return errors.fail(code)

    def internal_error(self) -> VendorError:
        return errors.fail(errors.INTERNAL)

    def body_too_large(self, limit: int) -> VendorError | Response:
        # Tencent documents a limit only for answers (10018, 1 MB); a request body the
        # gateway will not take is cut there, before the REST service, with an HTTP 413.
        return gateway_too_large()
