"""Client-side ZEGO signing: the signature v2.0 function and an ``httpx.Auth`` that adds the
public query parameters (AppId, SignatureNonce, Timestamp, SignatureVersion, Signature) to
every request, as ZEGOCLOUD's server API docs describe.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Generator

import httpx

from emulator.clock import Clock, SystemClock

SIGNATURE_VERSION = "2.0"


def zego_signature(app_id: int | str, nonce: str, server_secret: str, timestamp: int | str) -> str:
    """Signature v2.0: lowercase hex md5 of AppId + SignatureNonce + ServerSecret + Timestamp."""
    text = f"{app_id}{nonce}{server_secret}{timestamp}"
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def new_nonce() -> str:
    """A SignatureNonce as the docs ask for: hex of 8 random bytes (16 characters)."""
    return secrets.token_hex(8)


def signed_params(app_id: int, server_secret: str, timestamp: int,
                  nonce: str | None = None) -> dict[str, str]:
    """The public query parameters of one signed ZEGO request."""
    nonce = new_nonce() if nonce is None else nonce
    return {
        "AppId": str(app_id),
        "SignatureNonce": nonce,
        "Timestamp": str(timestamp),
        "SignatureVersion": SIGNATURE_VERSION,
        "Signature": zego_signature(app_id, nonce, server_secret, timestamp),
    }


class ZegoAuth(httpx.Auth):
    """Signs ZEGO server API requests; pass the Action (and, for GET, business parameters)
    in the request's own query string.

    ``clock`` gives the Timestamp (the wall clock by default; pass the emulator's clock in tests
    that move time); ``nonce`` makes the SignatureNonce (random by default).
    """

    def __init__(self, app_id: int = 1234567890,
                 server_secret: str = "0123456789abcdef0123456789abcdef", *,
                 clock: Clock | None = None,
                 nonce: Callable[[], str] | None = None) -> None:
        self.app_id = app_id
        self.server_secret = server_secret
        self.clock: Clock = clock or SystemClock()
        self.nonce = nonce or new_nonce

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        params = signed_params(self.app_id, self.server_secret, int(self.clock.now()),
                               self.nonce())
        request.url = request.url.copy_merge_params(params)
        yield request
