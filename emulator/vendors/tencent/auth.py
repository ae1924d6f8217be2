"""Authentication of a Tencent REST request: the ``sdkappid``, ``identifier`` and ``usersig``
query parameters, checked in this order:

1. ``sdkappid`` missing → 60012; not the configured SDKAppID → 60006.
2. ``usersig`` empty → 70002; not decodable (``*-_`` reversed, Base64, zlib, JSON, field types)
   → 70003.
3. ``TLS.sdkappid`` ≠ ``sdkappid`` → 70014; ``TLS.identifier`` ≠ ``identifier`` → 70013.
4. Expired when now > ``TLS.time`` + ``TLS.expire`` (the clock's whole second) → 70001.
5. A ``TLS.userbuf`` (REST admin UserSigs carry none) or an HMAC mismatch → 70009.
6. ``identifier`` not one of the configured app admins → 60010.

``random`` and ``contenttype`` are not checked: real clients send a fixed ``random``.
Clients reuse one UserSig for many requests, so decoding and the HMAC check are cached (both are
pure functions of the UserSig string and the key); expiry is checked against the clock each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from emulator.clock import Clock
from emulator.vendors.tencent import errors, usersig
from emulator.vendors.tencent.settings import TencentSettings

_decode = lru_cache(maxsize=1024)(usersig.decode)
_sig_matches = lru_cache(maxsize=1024)(usersig.sig_matches)

ALGORITHM = ("TLS.sig must be the standard Base64 HMAC-SHA256, keyed with the app's secret key "
             "as UTF-8 text, of 'TLS.identifier:<identifier>\\nTLS.sdkappid:<sdkappid>\\n"
             "TLS.time:<time>\\nTLS.expire:<expire>\\n'")


def authenticate(query: Mapping[str, str], settings: TencentSettings, clock: Clock) -> str:
    """The admin identifier of a well-signed request; raises the Tencent error otherwise."""
    sdkappid = check_sdkappid(query, settings)
    identifier = query.get("identifier", "")
    decoded = decode_usersig(query.get("usersig", ""))
    if decoded.sdkappid != sdkappid:
        raise errors.fail(errors.USERSIG_SDKAPPID_MISMATCH, explain=(
            f"UserSig was made for SDKAppID {decoded.sdkappid}; the URL says {sdkappid}"))
    if decoded.identifier != identifier:
        raise errors.fail(errors.USERSIG_IDENTIFIER_MISMATCH, explain=(
            f"UserSig was made for identifier {decoded.identifier!r}; the URL says "
            f"{identifier!r}"))
    now = int(clock.now())
    if now > decoded.expires_at():
        raise errors.fail(errors.USERSIG_EXPIRED, explain=(
            f"UserSig expired: TLS.time {decoded.time} + TLS.expire {decoded.expire} = "
            f"{decoded.expires_at()} is before now ({now})"))
    if decoded.userbuf is not None:
        raise errors.fail(errors.USERSIG_MISMATCH, explain=(
            "UserSig carries TLS.userbuf; REST admin UserSigs are made without one"))
    if not _sig_matches(decoded, settings.key):
        raise errors.fail(errors.USERSIG_MISMATCH, explain=(
            f"UserSig signature mismatch: {ALGORITHM}; got TLS.sig for identifier "
            f"{identifier!r}, SDKAppID {sdkappid}, TLS.time {decoded.time}, "
            f"TLS.expire {decoded.expire}"))
    if identifier not in settings.admins:
        raise errors.fail(errors.NOT_ADMIN, explain=(
            f"identifier {identifier!r} is not a configured app admin "
            f"({len(settings.admins)} configured, see --tencent-admin)"))
    return identifier


def check_sdkappid(query: Mapping[str, str], settings: TencentSettings) -> int:
    """The request's SDKAppID when it is the configured one."""
    raw = query.get("sdkappid")
    if raw is None:
        raise errors.fail(errors.SDKAPPID_MISSING, explain="the URL has no sdkappid parameter")
    if not (raw.isascii() and raw.isdigit()) or int(raw) != settings.sdkappid:
        raise errors.fail(errors.UNKNOWN_SDKAPPID, explain=(
            f"sdkappid {raw[:32]!r} is not the configured SDKAppID (see --tencent-sdkappid)"))
    return int(raw)


def decode_usersig(raw: str) -> usersig.UserSig:
    """The decoded UserSig, or 70002 when empty, 70003 when undecodable."""
    if not raw:
        raise errors.fail(errors.USERSIG_EMPTY, explain="the URL has no usersig or it is empty")
    try:
        return _decode(raw)
    except usersig.UserSigUndecodable as exc:
        raise errors.fail(errors.USERSIG_UNDECODABLE,
                          explain=f"usersig of {len(raw)} chars cannot be decoded: {exc}") from None

