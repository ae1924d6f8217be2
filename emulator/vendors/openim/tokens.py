"""OpenIM tokens: HS256 JWTs keyed by the configured secret (PyJWT), checked the way the server's
golang-jwt v4 parser and auth RPC check them, against the emulator's clock.

Claims are ``{"UserID", "PlatformID", "exp", "iat"}`` with ``iat`` = now - 5 s. Admin tokens
(the token's UserID is a configured admin) are accepted whenever correctly signed and unexpired;
user tokens must also be in the token store, where a newer token for the same user and platform
kicks the older ones (multi-login policy 1).

A token whose shape, claim types and signature checked out is remembered (bounded, by its exact
string and the key), so a repeated token skips the decoding and the HMAC; the time claims, the
admin list and the token store are still checked against the clock on every request.
"""

from __future__ import annotations

import math
import re
import base64
import warnings
from dataclasses import dataclass, field
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from emulator.cache import BoundedCache
from emulator.clock import ManualClock
from emulator.errors import VendorError
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.binding import fold

ADMIN_PLATFORM_ID = 10
IAT_BACKDATE_SECONDS = 5
NORMAL, KICKED = 0, 2
_SEGMENT = re.compile(r"[A-Za-z0-9_-]*")
_HMAC = ("HS256", "HS384", "HS512")
_OTHER_KNOWN_ALGS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
                     "ES512", "EdDSA")
_STRING_CLAIMS = ("UserID", "iss", "sub", "jti")
_DATE_CLAIMS = ("exp", "nbf", "iat")
_INT64 = (-(2 ** 63), 2 ** 63 - 1)
VERIFIED_CACHE_SIZE = 1024


@dataclass(frozen=True)
class Claims:
    """What a valid token says."""

    user_id: str
    platform_id: int
    exp: float | None


@dataclass(frozen=True)
class Verified:
    """A token whose shape, claim types and signature checked out: its claims and its raw
    ``exp``, ``nbf`` and ``iat`` claims (checked against the clock on every use)."""

    claims: Claims
    times: tuple[Any, Any, Any]


@dataclass
class TokenStore:
    """Issued user tokens per (user, platform): token -> state (0 normal, 2 kicked)."""

    tokens: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)

    def add(self, user_id: str, platform_id: int, token: str) -> None:
        """Keep a new token; earlier tokens of that user on that platform are kicked."""
        states = self.tokens.setdefault((user_id, platform_id), {})
        for old in states:
            states[old] = KICKED
        states[token] = NORMAL

    def kick_all(self, user_id: str, platform_id: int) -> int:
        """Mark every token of that user on that platform kicked; how many there were."""
        states = self.tokens.get((user_id, platform_id), {})
        for token in states:
            states[token] = KICKED
        return len(states)

    def state(self, user_id: str, platform_id: int, token: str) -> int | None:
        """The token's state, or None when the store does not hold it."""
        return self.tokens.get((user_id, platform_id), {}).get(token)


class TokenService:
    """Issues and checks tokens with one secret, admin list and clock."""

    def __init__(self, secret: str, admins: tuple[str, ...], expire_days: int,
                 clock: ManualClock) -> None:
        self.key = secret.encode()
        self.admins = admins
        self.expire_seconds = expire_days * 86400
        self.clock = clock
        self.store = TokenStore()
        self._verified: BoundedCache[tuple[str, bytes], Verified] = BoundedCache(
            VERIFIED_CACHE_SIZE)

    def is_admin(self, user_id: str) -> bool:
        """True for a configured admin user id."""
        return user_id in self.admins

    def issue(self, user_id: str, platform_id: int) -> str:
        """A new token; user tokens are kept in the store."""
        now = int(self.clock.now())
        payload = {"UserID": user_id, "PlatformID": platform_id,
                   "exp": now + self.expire_seconds, "iat": now - IAT_BACKDATE_SECONDS}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsecureKeyLengthWarning)
            token = jwt.encode(payload, self.key, algorithm="HS256")
        if not self.is_admin(user_id):
            self.store.add(user_id, platform_id, token)
        return token

    def verify(self, token: str) -> Claims:
        """The claims of a token the server accepts, or the VendorError it answers."""
        verified = self._verified.get((token, self.key))
        if verified is None:
            verified = self._decode(token)
        self._check_times(verified.times)
        claims = verified.claims
        user_id = claims.user_id
        if self.is_admin(user_id):
            return claims
        state = self.store.state(user_id, claims.platform_id, token)
        if state is None:
            raise e.oim_error(e.TOKEN_NOT_EXIST, explain=(
                f"token for {user_id!r} on platform {claims.platform_id} is correctly signed "
                "but was not issued by this emulator's /auth/get_user_token"))
        if state == KICKED:
            raise e.oim_error(e.TOKEN_KICKED, explain=(
                f"a newer token was issued for {user_id!r} on platform {claims.platform_id}"))
        return claims

    def _decode(self, token: str) -> Verified:
        """Shape, claim types, then signature (raising the first failure), remembered."""
        header, payload = _unverified(token)
        claims = _typed_claims(payload)
        self._check_signature(token, header)
        verified = Verified(claims, (_claim(payload, "exp"), _claim(payload, "nbf"),
                                     _claim(payload, "iat")))
        self._verified.put((token, self.key), verified)
        return verified

    def _check_signature(self, token: str, header: dict[str, Any]) -> None:
        alg = header.get("alg")
        if not isinstance(alg, str):
            raise _unknown("signing method (alg) is unspecified.")
        if alg == "none":
            raise _unknown("'none' signature type is not allowed")
        if alg in _OTHER_KNOWN_ALGS:
            raise _unknown("key is of invalid type")
        if alg not in _HMAC:
            raise _unknown("signing method (alg) is unavailable.")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", InsecureKeyLengthWarning)
                jwt.decode(_canonical_signature(token), self.key, algorithms=[alg], options={
                    "verify_exp": False, "verify_nbf": False, "verify_iat": False,
                    "verify_aud": False, "verify_iss": False, "verify_sub": False,
                    "verify_jti": False})
        except jwt.InvalidSignatureError:
            raise _unknown("signature is invalid", explain=(
                f"signature mismatch: expected {alg} HMAC of the first two segments keyed by "
                "the configured OpenIM secret (--openim-secret)")) from None
        except jwt.PyJWTError:
            raise e.oim_error(e.TOKEN_MALFORMED) from None

    def _check_times(self, times: tuple[Any, Any, Any]) -> None:
        now = self.clock.now()
        exp, nbf, iat = times
        if exp is not None and now >= _whole(exp):
            raise e.oim_error(e.TOKEN_EXPIRED, explain=f"exp {exp} is not after now {now:.0f}")
        if nbf is not None and now < _whole(nbf):
            raise e.oim_error(e.TOKEN_NOT_VALID_YET, explain=f"nbf {nbf} is after now {now:.0f}")
        if iat is not None and now < _whole(iat):
            raise _unknown("token used before issued")


def _canonical_signature(token: str) -> str:
    """The token with its signature segment re-encoded canonically: golang-jwt decodes base64url
    leniently (unused low bits of the last character are ignored), PyJWT strictly."""
    signed, _, signature = token.rpartition(".")
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    return f"{signed}.{base64.urlsafe_b64encode(raw).rstrip(b'=').decode()}"


def _unknown(message: str, explain: str = "") -> VendorError:
    return e.oim_error(e.TOKEN_UNKNOWN, message=message, explain=explain)


def _malformed(why: str) -> VendorError:
    return e.oim_error(e.TOKEN_MALFORMED, explain=f"token is not a JWT: {why}")


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    segments = token.split(".")
    if len(segments) != 3:
        raise _malformed("token contains an invalid number of segments")
    for segment in segments:
        if not _SEGMENT.fullmatch(segment) or len(segment) % 4 == 1:
            raise _malformed("a segment is not unpadded base64url")
    canonical = _canonical_signature(token)
    try:
        header = jwt.get_unverified_header(canonical)
        payload = jwt.decode(canonical, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise _malformed(str(exc)) from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise _malformed("header and claims must be JSON objects")
    return header, payload


def _claim(payload: dict[str, Any], name: str) -> Any:
    """A claim read as Go reads it into the Claims struct: keys ignore case, the last wins."""
    wanted = fold(name)
    found: Any = None
    for key, value in payload.items():
        if key == name or fold(key) == wanted:
            found = value
    return found


def _typed_claims(payload: dict[str, Any]) -> Claims:
    for name in _STRING_CLAIMS:
        if not isinstance(_claim(payload, name), str | None):
            raise _malformed(f"claim {name} is not a string")
    platform = _claim(payload, "PlatformID")
    if platform is not None and (isinstance(platform, bool) or not isinstance(platform, int)
                                 or not _INT64[0] <= platform <= _INT64[1]):
        raise _malformed("claim PlatformID is not an integer")
    for name in _DATE_CLAIMS:
        value = _claim(payload, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                  or not math.isfinite(value)):
            raise _malformed(f"claim {name} is not a number")
    aud = _claim(payload, "aud")
    if not (aud is None or isinstance(aud, str)
            or (isinstance(aud, list) and all(isinstance(a, str) for a in aud))):
        raise _malformed("claim aud is not a string or a list of strings")
    exp = _claim(payload, "exp")
    return Claims(_claim(payload, "UserID") or "", platform or 0,
                  None if exp is None else float(exp))


def _whole(seconds: float) -> float:
    """A NumericDate as golang-jwt keeps it: truncated to whole seconds."""
    return float(math.trunc(seconds))
