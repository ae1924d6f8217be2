"""RongCloud's HTTP surface: one route per endpoint, each signed, rate-limited and form-bodied.

Every request passes the same gate: the signature headers (``auth``), then the fault rules and
the rate limit (100/s per App-Key per endpoint; the form's first userId names the call's user),
then a non-empty form body, then the endpoint's operation.
A ``.json`` path that is not served here gets RongCloud's 404 envelope before any check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulator.call import call_of
from emulator.errors import VendorError
from emulator.responses import json_response
from emulator.services import Services
from emulator.vendors.rongcloud import operations
from emulator.vendors.rongcloud.auth import Verifier, read_headers
from emulator.vendors.rongcloud.errors import MEDIA_TYPE, NO_POST_DATA, NOT_FOUND, rc_error
from emulator.vendors.rongcloud.form import Form, parse_form

Operation = Callable[[Services, Form], Awaitable[operations.Answer]]

ENDPOINTS: dict[str, Operation] = {
    "/user/group/query.json": operations.user_groups,
    "/user/getToken.json": operations.get_token,
    "/group/create.json": operations.create_group,
    "/group/join.json": operations.join_group,
    "/group/quit.json": operations.quit_group,
    "/group/dismiss.json": operations.dismiss_group,
    "/group/user/query.json": operations.group_members,
}


class RongCloudApp:
    """The ASGI app: exact-path dispatch to the endpoints, any method; other paths get 404."""

    def __init__(self, handlers: dict[str, Callable[[Request], Awaitable[Response]]]) -> None:
        self.handlers = handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.handlers.get(scope["path"])
        if handler is None:
            raise rc_error(NOT_FOUND)
        response = await handler(Request(scope, receive))
        await response(scope, receive, send)


def build_app(services: Services) -> RongCloudApp:
    """The RongCloud routes, bound to the shared services."""
    verifier = Verifier(services.settings, services.clock)

    def endpoint(path: str, operation: Operation) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            call = call_of(request)
            call.endpoint = path
            call.app = read_headers(request.headers).get("App-Key", "")[:64]
            call.app = verifier.verify(request.headers)
            body = await request.body()
            failure: VendorError | None = None
            try:
                form = parse_form(body)
            except VendorError as exc:
                form, failure = {}, exc
            call.user = (form.get("userId") or [""])[0]
            services.admit(call)
            if failure is not None:
                raise failure
            if not body.strip():
                raise rc_error(NO_POST_DATA)
            answer = await operation(services, form)
            call.code = answer["code"]
            return json_response(answer, media_type=MEDIA_TYPE)

        return handle

    return RongCloudApp({path: endpoint(path, operation) for path, operation in ENDPOINTS.items()})
