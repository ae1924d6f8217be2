"""The Tencent route set: ``POST /v4/<service>/<command>``.

A request is authenticated first (``auth.py``), then its command is looked up (unknown → 60009),
then it is admitted by the rate limiter (200/s per SDKAppID per command → 60007), then its body
is parsed as JSON whatever the Content-Type (→ 60003) and the command runs. A method other than
POST gets 60002.
"""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from emulator.call import call_of
from emulator.errors import VendorError
from emulator.querystring import parse_query
from emulator.services import Services
from emulator.vendors.tencent import errors, joined, seeding
from emulator.vendors.tencent.auth import authenticate
from emulator.vendors.tencent.body import Fields, parse_json
from emulator.vendors.tencent.context import Command, Context

PREFIX = "/v4/"
# The body fields naming the user a request is about, read before ``admit`` so fault rules can
# match them; without one, the user is the calling identifier.
SUBJECT_FIELDS = ("Member_Account", "Owner_Account", "UserID", "Identifier")

COMMANDS: dict[str, Command] = {
    "group_open_http_svc/get_joined_group_list": joined.get_joined_group_list,
    "group_open_http_svc/create_group": seeding.create_group,
    "group_open_http_svc/add_group_member": seeding.add_group_member,
    "group_open_http_svc/destroy_group": seeding.destroy_group,
    "im_open_login_svc/account_import": seeding.account_import,
}


class TencentApp:
    """The ASGI app that serves every ``/v4/`` path (any characters, so no route pattern)."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Authenticate, look up the command, admit, parse the body and run the command."""
        services = self.services
        call = call_of(request)
        endpoint = request.scope["path"][len(PREFIX):]
        call.endpoint = endpoint
        query = QueryParams(parse_query(request.scope["query_string"].decode("latin-1")))
        call.app = query.get("sdkappid", "")
        call.user = query.get("identifier", "")
        identifier = authenticate(query, services.settings, services.clock)
        command = COMMANDS.get(endpoint)
        if command is None:
            raise errors.fail(errors.UNKNOWN_COMMAND, explain=(
                f"no command {endpoint[:100]!r}; served: {', '.join(COMMANDS)}"))
        if request.method != "POST":
            raise errors.fail(errors.HTTP_PARSE_ERROR, explain="Tencent REST calls are POST")
        failure: VendorError | None = None
        try:
            body = parse_json(await request.body())
        except VendorError as exc:
            body, failure = {}, exc
        call.user = next((body[key] for key in SUBJECT_FIELDS if isinstance(body.get(key), str)),
                         call.user)
        services.admit(call)
        if failure is not None:
            raise failure
        response = await command(Context(services, call, identifier, Fields(body)))
        call.code = 0
        return response
