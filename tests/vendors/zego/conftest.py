"""The shared ZEGO client of these tests: signed calls to the emulator (``zego``) and signed
URLs with public parameters dropped or overridden, for the authentication tests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from emulator.signing import ZegoAuth
from emulator.vendors.zego.client import signed_params

APP_ID = 1234567890
SECRET = "0123456789abcdef0123456789abcdef"
QUERY = "QueryGroupsInfoOfUser"


class ZegoClient:
    """Signed ZEGO requests to one emulator, checking the envelope of every answer."""

    app_id = APP_ID
    secret = SECRET

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator

    def auth(self) -> ZegoAuth:
        """A signer with the emulator's credentials and clock."""
        return ZegoAuth(APP_ID, SECRET, clock=self.emulator.clock)

    def url(self, action: str, *, drop: tuple[str, ...] = (), now: float | None = None,
            **override: str) -> str:
        """A signed URL for ``action`` (at ``now``, default the emulator's clock), with public
        parameters dropped or overridden."""
        at = self.emulator.clock.now() if now is None else now
        params: dict[str, str] = {"Action": action, **signed_params(APP_ID, SECRET, int(at))}
        params.update(override)
        for name in drop:
            params.pop(name)
        return "/?" + urlencode(params)

    async def call(self, action: str, body: Any = None, **kwargs: Any) -> dict[str, Any]:
        """POST a signed request and return its JSON, checking the envelope and HTTP 200."""
        response = await self.emulator.client.post(f"/?Action={action}", json=body, **kwargs,
                                                   auth=self.auth())
        assert response.status_code == 200
        data: dict[str, Any] = response.json()
        assert list(data)[:3] == ["Code", "Message", "RequestId"]
        return data

    async def get(self, action: str, **params: Any) -> dict[str, Any]:
        """GET a signed request with business parameters in the query string (a list value
        is written ``Name[]=a&Name[]=b``), checking the envelope and HTTP 200."""
        items: list[tuple[str, str]] = []
        for key, value in params.items():
            if isinstance(value, list):
                items += [(f"{key}[]", str(item)) for item in value]
            else:
                items.append((key, str(value)))
        response = await self.emulator.client.get(f"/?Action={action}&" + urlencode(items),
                                                  auth=self.auth())
        assert response.status_code == 200
        data: dict[str, Any] = response.json()
        assert list(data)[:3] == ["Code", "Message", "RequestId"]
        return data

    async def query(self, user: str, limit: Any = 10, next_: Any = "") -> dict[str, Any]:
        """QueryGroupsInfoOfUser for one page."""
        return await self.call(QUERY, {"FromUserId": user, "Limit": limit, "Next": next_})

    async def joined_ids(self, user: str) -> list[str]:
        """The ids of the first 100 groups QueryGroupsInfoOfUser lists for ``user``."""
        data = await self.query(user, 100)
        return [g["GroupId"] for g in data["GroupInfoList"]]

    @staticmethod
    def without_id(data: dict[str, Any]) -> dict[str, Any]:
        """An answer without its RequestId (unique per request)."""
        return {key: value for key, value in data.items() if key != "RequestId"}


@pytest.fixture
def zego(im_emulator: Any) -> ZegoClient:
    """Signed ZEGO calls to the test's emulator."""
    return ZegoClient(im_emulator)
