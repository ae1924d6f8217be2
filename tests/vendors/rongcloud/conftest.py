"""The shared RongCloud clients of these tests.

- ``rongcloud``: a client on the test's ``im_emulator`` that signs every request with the
  emulator's default credentials (``RongCloudAuth``) and sends form bodies; ``.call(path, body)``
  gives (HTTP status, JSON answer); ``.post(path, body, headers=...)`` sends exactly the headers
  given instead (for requests signed by hand); ``.groups_of(user)`` and ``.members_of(group)``
  read back what a write did.
- ``signed``: signature headers made by hand (fixed Nonce and Timestamp, any prefix, App-Key or
  secret), form Content-Type included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from emulator.signing import RongCloudAuth, rongcloud_signature

APP_KEY = "test-app-key"
SECRET = "test-app-secret"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def signed_headers(nonce: str = "123456", timestamp: str = "1700000000", *, prefix: str = "",
                   app_key: str = APP_KEY, secret: str = SECRET) -> dict[str, str]:
    """The four signature headers (and the form Content-Type) for one Nonce and Timestamp."""
    return {**FORM, f"{prefix}App-Key": app_key, f"{prefix}Nonce": nonce,
            f"{prefix}Timestamp": timestamp,
            f"{prefix}Signature": rongcloud_signature(secret, nonce, timestamp)}


class RongCloudClient:
    """A RongCloud client on one in-process emulator."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator
        self.auth = RongCloudAuth()

    async def post(self, path: str, body: str | bytes = b"", *,
                   headers: dict[str, str] | None = None) -> httpx.Response:
        """POST a form body: signed by ``RongCloudAuth``, or with exactly ``headers``."""
        content = body.encode() if isinstance(body, str) else body
        if headers is not None:
            return await self.emulator.client.post(path, content=content, headers=headers)
        return await self.emulator.client.post(path, content=content, auth=self.auth,
                                               headers=FORM)

    async def call(self, path: str, body: str | bytes) -> tuple[int, dict[str, Any]]:
        """A signed call: its HTTP status and JSON answer."""
        response = await self.post(path, body)
        return response.status_code, response.json()

    async def groups_of(self, user_id: str) -> list[dict[str, str]]:
        """``/user/group/query.json`` for a user (unpaged)."""
        status, answer = await self.call("/user/group/query.json", f"userId={user_id}")
        assert status == 200
        groups: list[dict[str, str]] = answer["groups"]
        return groups

    async def members_of(self, group_id: str) -> list[str]:
        """``/group/user/query.json``: a group's member ids."""
        status, answer = await self.call("/group/user/query.json", f"groupId={group_id}")
        assert status == 200 and list(answer) == ["code", "users"]
        return [user["id"] for user in answer["users"]]

    @staticmethod
    def required(name: str) -> tuple[int, dict[str, Any]]:
        """What a call missing a required field gets."""
        return 400, {"code": 1002, "errorMessage": f"Paramer '{name}' is required"}


@pytest.fixture
def rongcloud(im_emulator: Any) -> RongCloudClient:
    """A signed RongCloud client on the test's emulator."""
    return RongCloudClient(im_emulator)


@pytest.fixture
def signed() -> Callable[..., dict[str, str]]:
    """Signature headers made by hand (see ``signed_headers``)."""
    return signed_headers
