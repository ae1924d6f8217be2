"""The OpenIM client every OpenIM test uses: ``openim`` posts to the ``im_emulator`` with the
``operationID`` and ``token`` headers, and fetches admin and user tokens the way a client does."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.vendors.openim.helpers import ADMIN, JOINED, SECRET, joined_body


class OpenIM:
    """Requests to OpenIM's gateway on one emulator."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator
        self.client: httpx.AsyncClient = emulator.client

    async def post(self, path: str, body: Any = None, *, token: str | None = None,
                   op: str | None = "op-1", raw: bytes | None = None,
                   headers: dict[str, str] | None = None) -> httpx.Response:
        """A POST with an operationID (None: without) and, when given, a token header."""
        sent: dict[str, str] = dict(headers or {})
        if op is not None:
            sent["operationID"] = op
        if token is not None:
            sent["token"] = token
        content = raw if raw is not None else json.dumps(body).encode()
        return await self.client.post(path, content=content, headers=sent)

    async def call(self, path: str, body: Any, token: str) -> Any:
        """The JSON answer of an authenticated POST, which must be HTTP 200."""
        response = await self.post(path, body, token=token)
        assert response.status_code == 200
        return response.json()

    async def admin_token(self, secret: str = SECRET, user_id: str = ADMIN) -> str:
        """A token from /auth/get_admin_token."""
        response = await self.post("/auth/get_admin_token", {"secret": secret, "userID": user_id})
        return str(response.json()["data"]["token"])

    async def user_token(self, user: str, platform: int = 1) -> str:
        """A token from /auth/get_user_token, asked for with an admin token."""
        body = await self.call("/auth/get_user_token", {"userID": user, "platformID": platform},
                               await self.admin_token())
        return str(body["data"]["token"])

    async def joined(self, user: str, page: int = 1, show: int = 100,
                     token: str | None = None) -> Any:
        """The get_joined_group_list answer (with an admin token unless one is given)."""
        return await self.call(JOINED, joined_body(user, page, show),
                               token or await self.admin_token())


@pytest.fixture
def openim(im_emulator: Any) -> OpenIM:
    """An OpenIM client on the test's emulator."""
    return OpenIM(im_emulator)
