"""Client side of Tencent's REST auth: a UserSig generator and an ``httpx.Auth`` that adds
``sdkappid``, ``identifier``, ``usersig``, ``random`` and ``contenttype=json`` to every request.

    auth = TencentAuth(1400000000, "test-secret-key", "administrator")
    httpx.post("http://127.0.0.1:8000/v4/group_open_http_svc/get_joined_group_list",
               json={"Member_Account": "alice"}, auth=auth)
"""

from __future__ import annotations

import secrets
from collections.abc import Generator

import httpx

from emulator.clock import Clock, SystemClock
from emulator.vendors.tencent import usersig

DEFAULT_EXPIRE = 180 * 86400


def tencent_usersig(sdkappid: int, key: str, identifier: str, expire: int = DEFAULT_EXPIRE,
                    *, clock: Clock | None = None) -> str:
    """A UserSig v2 for ``identifier``, made now (per ``clock``), valid ``expire`` seconds."""
    now = int((clock or SystemClock()).now())
    return usersig.encode(sdkappid, key, identifier, expire, now)


class TencentAuth(httpx.Auth):
    """Signs each request with a fresh UserSig of the app admin ``identifier``.

    ``random`` is fixed when given (real clients often reuse one), else drawn per request.
    """

    def __init__(self, sdkappid: int = 1400000000, key: str = "test-secret-key",
                 identifier: str = "administrator", *,
                 expire: int = DEFAULT_EXPIRE, clock: Clock | None = None,
                 random: int | None = None) -> None:
        self.sdkappid = sdkappid
        self.key = key
        self.identifier = identifier
        self.expire = expire
        self.clock = clock
        self.random = random

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the query parameters Tencent's REST API authenticates."""
        params = {
            "sdkappid": str(self.sdkappid),
            "identifier": self.identifier,
            "usersig": tencent_usersig(self.sdkappid, self.key, self.identifier, self.expire,
                                       clock=self.clock),
            "random": str(self.random if self.random is not None else secrets.randbelow(2 ** 32)),
            "contenttype": "json",
        }
        request.url = request.url.copy_merge_params(params)
        yield request
