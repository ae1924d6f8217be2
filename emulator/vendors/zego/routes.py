"""The ZEGO route set: ``GET /`` and ``POST /`` dispatched on the ``Action`` query parameter.

Each request is authenticated (``auth``), counted against the AppId-level limit of its Action,
then handed to its Action's handler. Every answer is HTTP 200 with ZEGO's envelope, including
for methods other than GET and POST (Code 2, input parameter error).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.call import call_of
from emulator.errors import VendorError
from emulator.querystring import parse_query
from emulator.services import Services
from emulator.vendors.zego import errors, params
from emulator.vendors.zego.auth import authenticate
from emulator.vendors.zego.context import Context, Handler
from emulator.vendors.zego.groups import create_group, invite_users_into_group
from emulator.vendors.zego.joined import query_groups_info_of_user
from emulator.vendors.zego.users import user_register

ACTIONS: dict[str, Handler] = {
    "QueryGroupsInfoOfUser": query_groups_info_of_user,
    "UserRegister": user_register,
    "CreateGroup": create_group,
    "InviteUsersIntoGroup": invite_users_into_group,
}
METHODS = ("GET", "POST")
SUBJECT_FIELDS = ("FromUserId", "GroupOwner", "UserId")


def _query_items(request: Request) -> list[tuple[str, str]]:
    return parse_query(request.scope.get("query_string", b"").decode("utf-8", "replace"))


def _first_values(items: list[tuple[str, str]]) -> dict[str, str]:
    first: dict[str, str] = {}
    for key, value in items:
        first.setdefault(key, value)
    return first


def subject(business: params.Params) -> str:
    """The user a request is about, known before ``admit`` so fault rules can match it (the
    handler may refine it for the journal); "" when the parameters name none."""
    users = business.get("UserInfo")
    if isinstance(users, list) and users and isinstance(users[0], dict):
        business = {**users[0], **business}
    return next((business[key] for key in SUBJECT_FIELDS
                 if isinstance(business.get(key), str)), "")


def build_app(services: Services) -> ASGIApp:
    """The ZEGO app, bound to the shared services: every path and method reaches ``dispatch``
    (ZEGO routes on the ``Action`` parameter, not the path)."""

    async def dispatch(request: Request) -> Response:
        call = call_of(request)
        items = _query_items(request)
        query = _first_values(items)
        call.endpoint = query.get("Action", "")[:64]
        call.app = query.get("AppId", "")[:32]
        caller = authenticate(query, ACTIONS, services.settings, services.clock)
        call.app = str(caller.app_id)
        business = params.from_query(items)
        failure: VendorError | None = None
        if request.method == "POST":
            try:
                business.update(params.from_body(await request.body()))
            except VendorError as exc:
                failure = exc
        call.user = subject(business)
        services.admit(call)
        if request.method not in METHODS:
            raise errors.zego_error(errors.INPUT_PARAMETER_ERROR,
                                    f"method {request.method} is not supported")
        if failure is not None:
            raise failure
        return await ACTIONS[caller.action](Context(services, caller, call, business))

    return _AnyMethod(dispatch)


class _AnyMethod:
    """An ASGI endpoint that answers every HTTP method (Starlette's Route would answer 405)."""

    def __init__(self, handle: Callable[[Request], Awaitable[Response]]) -> None:
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)
