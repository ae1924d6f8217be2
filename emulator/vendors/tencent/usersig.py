"""UserSig v2 (TLSSigAPIv2): the one implementation of Tencent's signature format.

Both sides use it: ``client.py`` makes UserSigs, ``auth.py`` checks them. A UserSig is a JSON
document (``TLS.ver``, ``TLS.identifier``, ``TLS.sdkappid``, ``TLS.time``, ``TLS.expire``,
``TLS.sig``) that is zlib-compressed, Base64-encoded and then has ``+/=`` replaced by ``*-_``.
``TLS.sig`` is the Base64 HMAC-SHA256, keyed with the app's secret key as UTF-8 text, of
``TLS.identifier:<id>\\nTLS.sdkappid:<appid>\\nTLS.time:<t>\\nTLS.expire:<e>\\n``.
UserSig strings are never compared: two SDKs make different strings for the same inputs.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass
from typing import Any

_TO_SIG = str.maketrans("+/=", "*-_")
_FROM_SIG = str.maketrans("*-_", "+/=")
MAX_INFLATED = 64 * 1024


class UserSigUndecodable(ValueError):
    """The string is not a UserSig: bad alphabet, Base64, zlib stream, JSON or fields."""


@dataclass(frozen=True, slots=True)
class UserSig:
    """The decoded fields of a UserSig."""

    identifier: str
    sdkappid: int
    time: int
    expire: int
    sig: str
    userbuf: str | None = None

    def expires_at(self) -> int:
        """The last Unix second at which the UserSig is still valid."""
        return self.time + self.expire


def content_to_sign(identifier: str, sdkappid: int, time: int, expire: int,
                    userbuf: str | None = None) -> str:
    """The text that ``TLS.sig`` is the HMAC of."""
    content = (f"TLS.identifier:{identifier}\nTLS.sdkappid:{sdkappid}\n"
               f"TLS.time:{time}\nTLS.expire:{expire}\n")
    if userbuf is not None:
        content += f"TLS.userbuf:{userbuf}\n"
    return content


def hmac_sig(key: str, identifier: str, sdkappid: int, time: int, expire: int,
             userbuf: str | None = None) -> str:
    """``TLS.sig``: standard Base64 of HMAC-SHA256(key as UTF-8, content)."""
    digest = hmac.new(key.encode("utf-8"),
                      content_to_sign(identifier, sdkappid, time, expire, userbuf).encode("utf-8"),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def encode(sdkappid: int, key: str, identifier: str, expire: int, time: int) -> str:
    """A UserSig for ``identifier``, made at Unix second ``time``, valid ``expire`` seconds."""
    document = {
        "TLS.ver": "2.0",
        "TLS.identifier": identifier,
        "TLS.sdkappid": sdkappid,
        "TLS.expire": expire,
        "TLS.time": time,
        "TLS.sig": hmac_sig(key, identifier, sdkappid, time, expire),
    }
    packed = zlib.compress(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    return base64.b64encode(packed).decode("ascii").translate(_TO_SIG)


def decode(usersig: str) -> UserSig:
    """The fields of a UserSig; raises UserSigUndecodable when any step fails."""
    try:
        packed = base64.b64decode(usersig.translate(_FROM_SIG).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise UserSigUndecodable("not Base64 after reversing the *-_ substitution") from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, MAX_INFLATED)
    except zlib.error:
        raise UserSigUndecodable("not a zlib stream") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise UserSigUndecodable("the zlib stream is truncated or too large")
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise UserSigUndecodable("the inflated content is not JSON") from None
    if not isinstance(document, dict):
        raise UserSigUndecodable("the inflated JSON is not an object")
    return UserSig(
        identifier=_field(document, "TLS.identifier", str),
        sdkappid=_field(document, "TLS.sdkappid", int),
        time=_field(document, "TLS.time", int),
        expire=_field(document, "TLS.expire", int),
        sig=_field(document, "TLS.sig", str),
        userbuf=_optional_userbuf(document),
    )


def _field(document: dict[str, Any], name: str, kind: type) -> Any:
    value = document.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise UserSigUndecodable(f"{name} is missing or not a {kind.__name__}")
    return value


def _optional_userbuf(document: dict[str, Any]) -> str | None:
    if "TLS.userbuf" not in document:
        return None
    return str(_field(document, "TLS.userbuf", str))


def sig_matches(usersig: UserSig, key: str) -> bool:
    """True when ``TLS.sig`` is the HMAC of the decoded fields under ``key``."""
    expected = hmac_sig(key, usersig.identifier, usersig.sdkappid, usersig.time, usersig.expire,
                        usersig.userbuf)
    return hmac.compare_digest(expected.encode("utf-8"), usersig.sig.encode("utf-8"))
