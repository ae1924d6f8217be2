"""How ZEGO's server API reads and answers, as the pipeline's hooks.

``GET /`` or ``POST /?Action=<Action>&AppId=&SignatureNonce=&Timestamp=&SignatureVersion=2.0
&Signature=``, dispatched on the ``Action`` query parameter, not the path. The order of checks:
the public parameters (``auth``, Action first), then the business parameters (the query string,
then for a POST the JSON body, whose failure is held until after the rate limit), the AppId-level
rate limit of the Action (660300005), a method other than GET and POST (Code 2), the body, then
the Action. Every answer is HTTP 200: ``{"Code", "Message", "RequestId"}`` (a new RequestId each
time) and the Action's fields.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from emulator.errors import VendorError
from emulator.querystring import parse_query
from emulator.responses import json_response
from emulator.vendor import Command, Context, Protocol, Rendered, Route, VendorRequest
from emulator.vendors.zego import errors
from emulator.vendors.zego.auth import Caller, authenticate
from emulator.vendors.zego.params import Params, from_body

METHODS = ("GET", "POST")
ENDPOINT_MAX_CHARS = 64
APP_MAX_CHARS = 32
# The parameters naming the user a request is about, read before ``admit`` so fault rules can
# match them (the handler may refine it for the journal).
SUBJECT_FIELDS = ("FromUserId", "GroupOwner", "UserId")

Ctx = Context[Params, Caller]


@dataclass(frozen=True, slots=True)
class Reply:
    """An Action's answer with a Code other than 0 that still carries fields (UserRegister or
    InviteUsersIntoGroup when every user failed: the first failure's SubCode)."""

    code: int
    fields: dict[str, Any]


def first_values(items: list[tuple[str, str]]) -> dict[str, str]:
    """Each query parameter's first value."""
    first: dict[str, str] = {}
    for key, value in items:
        first.setdefault(key, value)
    return first


def envelope(code: int, message: str, fields: dict[str, Any] | None = None) -> Response:
    """A ZEGO answer: HTTP 200, ``Code``, ``Message``, ``RequestId`` then the business fields."""
    body: dict[str, Any] = {"Code": code, "Message": message, "RequestId": uuid.uuid4().hex}
    if fields:
        body.update(fields)
    return json_response(body)


def subject(params: dict[str, Any]) -> str:
    """The user the parameters are about ("" when they name none); UserRegister's is its first
    UserInfo item's."""
    users = params.get("UserInfo")
    if isinstance(users, list) and users and isinstance(users[0], dict):
        params = {**users[0], **params}
    return next((params[key] for key in SUBJECT_FIELDS if isinstance(params.get(key), str)), "")


class ZegoProtocol(Protocol):
    """ZEGO's hooks: signed public parameters in the query string, business parameters in the
    query string and the JSON body, one envelope."""

    def route(self, request: VendorRequest) -> Route:
        items = parse_query(request.query_string.decode("utf-8", "replace"))
        query = first_values(items)
        request.notes["items"] = items
        request.notes["query"] = query
        return Route(query.get("Action", "")[:ENDPOINT_MAX_CHARS],
                     query.get("AppId", "")[:APP_MAX_CHARS])

    def authenticate(self, request: VendorRequest, command: Command | None) -> Caller:
        caller = authenticate(request.notes["query"], self.commands, self.settings,
                              self.services.clock)
        request.call.app = str(caller.app_id)
        return caller

    def unknown_command(self, request: VendorRequest) -> Exception:
        return errors.zego_error(errors.ACTION_UNSUPPORTED)  # ``authenticate`` checks first

    async def parse(self, request: VendorRequest, command: Command) -> Params:
        params = Params.from_query(request.notes["items"])
        request.notes["params"] = params  # the subject is read from it even when the body fails
        method = request.method
        if method == "POST":
            params.update(from_body(request.body))
        elif method not in METHODS:
            raise errors.zego_error(errors.INPUT_PARAMETER_ERROR,
                                    f"method {method} is not supported")
        return params

    def subject(self, request: VendorRequest, body: Params | None) -> str:
        return subject(request.notes["params"])

    def render(self, answer: dict[str, Any] | Reply | None, ctx: Ctx) -> Rendered:
        if isinstance(answer, Reply):
            return Rendered(envelope(answer.code, errors.message_of(answer.code), answer.fields),
                            answer.code)
        return Rendered(envelope(errors.SUCCESS, errors.MESSAGES[errors.SUCCESS], answer),
                        errors.SUCCESS)

    def render_error(self, error: VendorError, request: VendorRequest) -> Response:
        return envelope(error.code, error.message or errors.message_of(error.code))

    def rate_limited(self, retry_after: float, limit: int) -> VendorError:
        return errors.zego_error(errors.APP_RATE_LIMITED)

    def error_for_code(self, code: int) -> VendorError:
        return errors.zego_error(code)

    def internal_error(self) -> VendorError:
        return errors.zego_error(errors.SERVER_BUSY)
