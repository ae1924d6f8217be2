"""How RongCloud's REST API reads and answers, as the pipeline's hooks.

Any method, form bodies, four signature headers. The order of checks: a ``.json`` path that is
not served gets RongCloud's 404 envelope before any check; then the signature headers
(``auth``; the App-Key header, cut to 64 characters, names the app in the journal even when
they fail); then the form body (a body that is not UTF-8 → 1002, held until after the rate
limit); then the fault rules and the rate limit (100/s per App-Key per endpoint → 1008; the
form's first userId names the call's user); then a non-empty body (→ 1003); then the
endpoint. The ``/v3/`` queries take a JSON object instead (``JSON_BODY``; not an object →
1002), read into the same ``Form``.
Answers are ``{"code": 200, ...}`` with HTTP 200; errors ``{"code", "errorMessage"}`` with the
HTTP status of RongCloud's table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from emulator.errors import VendorError
from emulator.responses import json_response
from emulator.services import Services
from emulator.vendor import Command, Context, Protocol, Rendered, Route, VendorRequest
from emulator.vendors.rongcloud import errors
from emulator.vendors.rongcloud.auth import Verifier, read_headers
from emulator.vendors.rongcloud.form import Form, parse_form, parse_json_form
from emulator.vendors.rongcloud.settings import RongCloudSettings

MAX_APP_CHARS = 64
# The schema of the commands whose body is a JSON object (the ``/v3/`` queries).
JSON_BODY = "json"

Ctx = Context[Form, str]


class RongCloudProtocol(Protocol):
    """RongCloud's hooks; the Verifier (and its NonceBook of seen nonces) lives here."""

    def __init__(self, services: Services, settings: RongCloudSettings,
                 commands: Mapping[str, Command]) -> None:
        super().__init__(services, settings, commands)
        self.verifier = Verifier(settings, services.clock)

    def route(self, request: VendorRequest) -> Route:
        path = request.path
        if path not in self.commands:
            raise errors.rc_error(errors.NOT_FOUND)
        found = read_headers(request.headers)
        request.notes["signature"] = found
        return Route(path, found.get("App-Key", "")[:MAX_APP_CHARS])

    def authenticate(self, request: VendorRequest, command: Command | None) -> str:
        app_key = self.verifier.verify(request.notes["signature"])
        request.call.app = app_key
        return app_key

    def unknown_command(self, request: VendorRequest) -> Exception:
        return errors.rc_error(errors.NOT_FOUND)

    async def parse(self, request: VendorRequest, command: Command) -> Form:
        if command.schema == JSON_BODY:
            if not request.body.strip():
                raise errors.rc_error(errors.NO_POST_DATA)
            return parse_json_form(request.body)
        form = parse_form(request.body)
        if not request.body.strip():
            raise errors.rc_error(errors.NO_POST_DATA)
        return form

    def subject(self, request: VendorRequest, body: Form | None) -> str:
        return body.first("userId") if body is not None else ""

    def render(self, answer: dict[str, Any], ctx: Ctx) -> Rendered:
        return Rendered(json_response(answer, media_type=errors.MEDIA_TYPE), answer["code"])

    def render_error(self, error: VendorError, request: VendorRequest) -> Response:
        return json_response({"code": error.code, "errorMessage": error.message or error.detail},
                             status_code=error.http_status, media_type=errors.MEDIA_TYPE)

    def body_too_large(self, limit: int) -> VendorError:
        return errors.rc_error(errors.BODY_TOO_LARGE)

    def rate_limited(self, retry_after: float, limit: int) -> VendorError:
        return errors.rate_limited_for(limit)

    def error_for_code(self, code: int) -> VendorError:
        return errors.error_for_code(code)

    def internal_error(self) -> VendorError:
        return errors.internal_error()
