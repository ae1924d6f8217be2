"""The client-side RongCloud signer: an ``httpx.Auth`` that adds App-Key, Nonce, Timestamp and
Signature headers the way RongCloud's SDKs do (plain names and seconds by default; the legacy
``RC-`` names and millisecond timestamps on request).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Generator

import httpx

from emulator.clock import SystemClock
from emulator.vendors.rongcloud.auth import signature as rongcloud_signature

__all__ = ["RongCloudAuth", "rongcloud_signature"]


class RongCloudAuth(httpx.Auth):
    """Signs every request with a fresh Nonce and the current Timestamp.

    ``prefix="RC-"`` sends ``RC-App-Key`` ... instead of the plain names; ``milliseconds=True``
    sends the Timestamp in milliseconds; ``clock`` (Unix seconds) and ``nonce`` may be replaced,
    e.g. to reuse one signature the way the official Node SDK does.
    """

    def __init__(self, app_key: str = "test-app-key", app_secret: str = "test-app-secret", *,
                 prefix: str = "", milliseconds: bool = False,
                 clock: Callable[[], float] | None = None,
                 nonce: Callable[[], str] | None = None) -> None:
        self.app_key = app_key
        self.app_secret = app_secret
        self.prefix = prefix
        self.milliseconds = milliseconds
        self.clock = clock or SystemClock().now
        self.nonce = nonce or (lambda: str(secrets.randbelow(10**9)))

    def headers(self) -> dict[str, str]:
        """A fresh set of the four signature headers."""
        now = self.clock()
        timestamp = str(int(now * 1000) if self.milliseconds else int(now))
        nonce = self.nonce()
        p = self.prefix
        return {f"{p}App-Key": self.app_key, f"{p}Nonce": nonce, f"{p}Timestamp": timestamp,
                f"{p}Signature": rongcloud_signature(self.app_secret, nonce, timestamp)}

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self.headers())
        yield request
