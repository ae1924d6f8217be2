"""ZEGO public-parameter checks: Action, AppId, Timestamp, SignatureNonce, Signature,
SignatureVersion, the ±600 s window read from the Clock, and the signature v2.0 itself.

Checks run in this order (the order itself is unconfirmed): Action empty (100000006) or
unsupported (100000007); AppId not a uint32 (100000001); Timestamp missing (100000002) or not an
integer (100000003); SignatureNonce missing (100000008); Signature missing (100000009);
SignatureVersion missing (100000013) or not ``2.0`` (100000014); unknown AppId (the configured
code, 100000010 by default); Timestamp outside the window (100000004); signature mismatch
(100000005). When a parameter is repeated, its first value counts.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from emulator.clock import Clock
from emulator.vendors.zego import errors
from emulator.vendors.zego.client import SIGNATURE_VERSION, zego_signature
from emulator.vendors.zego.settings import ZegoSettings

TIMESTAMP_WINDOW_S = 600
UINT32_MAX = 4294967295
PUBLIC_PARAMETERS = frozenset({"Action", "AppId", "SignatureNonce", "Timestamp",
                               "SignatureVersion", "Signature", "IsTest"})
_DIGITS = re.compile(r"[0-9]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_SIGNATURE_RULE = ("expected lowercase hex md5 of AppId + SignatureNonce + ServerSecret + "
                   "Timestamp")


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated request: its AppId and Action."""

    app_id: int
    action: str


def authenticate(query: Mapping[str, str], actions: Collection[str], settings: ZegoSettings,
                 clock: Clock) -> Caller:
    """The caller of a request whose public parameters are ``query``; raises the ZEGO error."""
    action = query.get("Action", "")
    if not action:
        raise errors.zego_error(errors.ACTION_EMPTY)
    if action not in actions:
        raise errors.zego_error(errors.ACTION_UNSUPPORTED)
    app_text = query.get("AppId", "")
    if not _DIGITS.fullmatch(app_text) or int(app_text) > UINT32_MAX:
        raise errors.zego_error(errors.BAD_APP_ID,
                                explain=f"AppId must be a decimal uint32; got {app_text[:40]!r}")
    app_id = int(app_text)
    timestamp_text = query.get("Timestamp")
    if not timestamp_text:
        raise errors.zego_error(errors.TIMESTAMP_EMPTY, explain="Timestamp is missing")
    if not _INTEGER.fullmatch(timestamp_text) or len(timestamp_text) > 20:
        raise errors.zego_error(errors.TIMESTAMP_FORMAT,
                                explain="Timestamp must be an integer number of Unix seconds; "
                                        f"got {timestamp_text[:40]!r}")
    timestamp = int(timestamp_text)
    nonce = query.get("SignatureNonce")
    if not nonce:
        raise errors.zego_error(errors.NONCE_EMPTY, explain="SignatureNonce is missing")
    signature = query.get("Signature")
    if not signature:
        raise errors.zego_error(errors.SIGNATURE_EMPTY, explain="Signature is missing")
    version = query.get("SignatureVersion")
    if not version:
        raise errors.zego_error(errors.SIGNATURE_VERSION_EMPTY,
                                explain="SignatureVersion is missing")
    if version != SIGNATURE_VERSION:
        raise errors.zego_error(errors.SIGNATURE_VERSION_UNSUPPORTED,
                                explain=f"SignatureVersion must be 2.0; got {version[:40]!r}")
    if app_id != settings.app_id:
        raise errors.zego_error(settings.unknown_app_code,
                                explain=f"unknown AppId {app_id}; the emulator's AppId is "
                                        f"{settings.app_id}")
    now = clock.now()
    if abs(now - timestamp) > TIMESTAMP_WINDOW_S:
        raise errors.zego_error(errors.SIGNATURE_EXPIRED,
                                explain=f"Timestamp {timestamp} is {timestamp - now:+.0f} s from "
                                        f"the server clock {now:.0f}; allowed "
                                        f"+/-{TIMESTAMP_WINDOW_S} s")
    expected = zego_signature(app_id, nonce, settings.server_secret, timestamp_text)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise errors.zego_error(errors.SIGNATURE_ERROR, explain=_mismatch(
            signature, app_id, nonce, timestamp_text))
    return Caller(app_id, action)


def _mismatch(signature: str, app_id: int, nonce: str, timestamp: str) -> str:
    shape = (f"{len(signature)} hex chars" if re.fullmatch(r"[0-9a-fA-F]*", signature)
             else f"{len(signature)} chars, not hex")
    case = " (uppercase hex is not accepted)" if signature != signature.lower() else ""
    return (f"Signature mismatch: {_SIGNATURE_RULE}; got {shape}{case} for AppId {app_id}, "
            f"nonce {nonce[:64]!r}, Timestamp {timestamp}")
