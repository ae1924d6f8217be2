"""Client-side OpenIM auth: an ``httpx.Auth`` that adds ``operationID`` to every request and a
``token`` it fetches from ``/auth/get_admin_token`` once and caches (fetching a new one when the
server rejects the cached one), as OpenIM's server API docs describe.
"""

from __future__ import annotations

import secrets
from collections.abc import Generator
from typing import Any

import httpx

DEFAULT_SECRET = "openIM123"
DEFAULT_ADMIN = "imAdmin"
TOKEN_ERRORS = frozenset({1501, 1503, 1504, 1505, 1506, 1507})


class OpenIMTokenError(RuntimeError):
    """``/auth/get_admin_token`` did not give a token; ``envelope`` is what it answered."""

    def __init__(self, envelope: Any) -> None:
        super().__init__(f"OpenIM get_admin_token failed: {envelope}")
        self.envelope = envelope


def new_operation_id() -> str:
    """A fresh operationID (unique per request, as the docs recommend)."""
    return secrets.token_hex(8)


class OpenIMAuth(httpx.Auth):
    """Adds ``operationID`` and an admin ``token`` to each request.

    ``base_url`` is where ``/auth/get_admin_token`` lives (default: the request's origin).
    Give ``token`` to use a fixed token (e.g. a user token) instead of fetching one.
    """

    requires_response_body = True

    def __init__(self, secret: str = DEFAULT_SECRET, user_id: str = DEFAULT_ADMIN, *,
                 base_url: str | None = None, token: str | None = None) -> None:
        self.secret = secret
        self.user_id = user_id
        self.base_url = base_url
        self.fixed = token is not None
        self.token = token

    def token_request(self, request: httpx.Request) -> httpx.Request:
        """The get_admin_token request for the server ``request`` goes to."""
        base = self.base_url or f"{request.url.scheme}://{request.url.netloc.decode()}"
        return httpx.Request("POST", base.rstrip("/") + "/auth/get_admin_token",
                             headers={"operationID": new_operation_id()},
                             json={"secret": self.secret, "userID": self.user_id})

    def keep(self, response: httpx.Response) -> None:
        """Cache the token of a get_admin_token answer; OpenIMTokenError when there is none."""
        try:
            body = response.json()
            self.token = body["data"]["token"]
        except (ValueError, KeyError, TypeError):
            raise OpenIMTokenError(response.text) from None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if "operationID" not in request.headers:
            request.headers["operationID"] = new_operation_id()
        if self.token is None:
            self.keep((yield self.token_request(request)))
        request.headers["token"] = self.token or ""
        response = yield request
        if not self.fixed and _token_rejected(response):
            self.keep((yield self.token_request(request)))
            request.headers["token"] = self.token or ""
            yield request


def _token_rejected(response: httpx.Response) -> bool:
    try:
        code = response.json().get("errCode")
    except (ValueError, AttributeError):
        return False
    return code in TOKEN_ERRORS
