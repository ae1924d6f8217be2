"""RongCloud request signatures: four headers, plain or ``RC-`` prefixed, in any case.

``Signature`` is the lowercase hex SHA1 of AppSecret + Nonce + Timestamp, the three strings
exactly as sent. By default there is no freshness window and no nonce-replay check (the official
Node SDK signs once and reuses the headers for its whole life); both are opt-in strict settings.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.datastructures import Headers

from emulator.cache import BoundedCache
from emulator.clock import Clock
from emulator.vendors.rongcloud.errors import BAD_SIGNATURE, KEY_MISMATCH, rc_error
from emulator.vendors.rongcloud.settings import RongCloudSettings

HEADERS = ("App-Key", "Nonce", "Timestamp", "Signature")
MILLISECONDS_FROM = 10**12
NONCE_MEMORY = 100_000


def signature(app_secret: str, nonce: str, timestamp: str) -> str:
    """The lowercase hex SHA1 of AppSecret + Nonce + Timestamp."""
    return hashlib.sha1((app_secret + nonce + timestamp).encode("utf-8")).hexdigest()


def read_headers(headers: Headers) -> dict[str, str]:
    """The four signature headers, plain names preferred over ``RC-`` ones; absent ones left out."""
    found: dict[str, str] = {}
    for name in HEADERS:
        value = headers.get(name) or headers.get(f"RC-{name}")
        if value:
            found[name] = value
    return found


class NonceBook:
    """The nonces already seen per App-Key, for the strict replay check (bounded, oldest out)."""

    def __init__(self, size: int = NONCE_MEMORY) -> None:
        self._seen: BoundedCache[tuple[str, str], float] = BoundedCache(size)

    def first_use(self, app_key: str, nonce: str, now: float, keep_for: float) -> bool:
        """Record a nonce; False when it was seen within ``keep_for`` seconds (0: ever)."""
        key = (app_key, nonce)
        seen = self._seen.get(key)
        if seen is not None and (keep_for <= 0 or now - seen <= keep_for):
            return False
        self._seen.put(key, now)
        return True


class Verifier:
    """Checks one request's signature headers against the configured App-Key and secret."""

    def __init__(self, settings: RongCloudSettings, clock: Clock) -> None:
        self.app_key = settings.app_key
        self.app_secret = settings.app_secret
        self.window = settings.timestamp_window
        self.replay_check = settings.nonce_replay
        self.clock = clock
        self.nonces = NonceBook()

    def verify(self, found: dict[str, str]) -> str:
        """The request's App-Key once its signature headers (as ``read_headers`` found them)
        hold; raises 1001/1004 (HTTP 401)."""
        missing = [name for name in HEADERS if name not in found]
        if missing:
            raise rc_error(BAD_SIGNATURE, explain=(
                f"Missing header(s) {', '.join(missing)}: send App-Key, Nonce, Timestamp and "
                "Signature (or RC-App-Key, RC-Nonce, RC-Timestamp, RC-Signature)"))
        app_key, nonce = found["App-Key"], found["Nonce"]
        timestamp, given = found["Timestamp"], found["Signature"]
        if app_key != self.app_key:
            raise rc_error(KEY_MISMATCH, explain=(
                f"Unknown App-Key {app_key!r}: this emulator serves App-Key {self.app_key!r} "
                "(setting rongcloud_app_key)"))
        expected = signature(self.app_secret, nonce, timestamp)
        if not hmac.compare_digest(expected.encode(), given.strip().lower().encode("utf-8",
                                                                                    "replace")):
            raise rc_error(BAD_SIGNATURE, explain=(
                "Signature mismatch: expected lowercase hex sha1 of AppSecret + Nonce + Timestamp "
                f"(the header values as sent); got {_shape(given)} for App-Key {app_key}, "
                f"Nonce {nonce!r}, Timestamp {timestamp!r}"))
        now = self.clock.now()
        if self.window:
            self._check_fresh(timestamp, now)
        if self.replay_check and not self.nonces.first_use(app_key, nonce, now, self.window):
            raise rc_error(BAD_SIGNATURE, explain=(
                f"Nonce {nonce!r} was already used (strict setting rongcloud_nonce_replay)"))
        return app_key

    def _check_fresh(self, timestamp: str, now: float) -> None:
        value = timestamp.strip()
        if not value.isascii() or not value.isdigit() or len(value) > 19:
            raise rc_error(BAD_SIGNATURE, explain=(
                f"Timestamp {timestamp!r} is not an integer number of seconds or milliseconds "
                "(strict setting rongcloud_timestamp_window)"))
        seconds = int(value) / 1000 if int(value) >= MILLISECONDS_FROM else int(value)
        if abs(now - seconds) > self.window:
            raise rc_error(BAD_SIGNATURE, explain=(
                f"Timestamp {timestamp!r} is {abs(now - seconds):.0f} s away from the server's "
                f"clock {now:.0f}; the window is {self.window} s "
                "(strict setting rongcloud_timestamp_window)"))


def _shape(value: str) -> str:
    hexdigits = all(ch in "0123456789abcdefABCDEF" for ch in value)
    return f"{len(value)} {'hex ' if hexdigits and value else ''}chars"
