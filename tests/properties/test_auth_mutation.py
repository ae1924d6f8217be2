"""Property: any one-character change (a character replaced, inserted or deleted) to a valid ZEGO
signature, RongCloud signature, Tencent UserSig or OpenIM token gets that vendor's credential
error and no group data.

Some changes are not changes of the credential:
- RongCloud compares hex case-insensitively (README, RongCloud section), so flipping the case of a hex
  letter keeps the signature, and the test expects it to pass.
- Base64 leaves a few low bits of the last character unused, so a change there decodes to the
  same JWT signature bytes. OpenIM's golang-jwt v4 reads them leniently and accepts the token,
  and so does the emulator (the test at the end), so the property leaves those few variants out.
- A UserSig is a zlib stream: the padding bits of its last deflate byte, and bytes after the
  end of the stream, are ignored by zlib's ``uncompress`` and Python's ``zlib.decompress`` alike.
  A change that still inflates to the same JSON document is the same UserSig, and passes.
Header values are edited with visible ASCII only: HTTP trims spaces at the ends of a header, so
a space there never reaches a server.
"""

from __future__ import annotations

import base64
import binascii
import re
import warnings
import zlib
from typing import Any

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jwt.warnings import InsecureKeyLengthWarning

from emulator.signing import rongcloud_signature, tencent_usersig, zego_signature
from emulator.vendors.tencent.usersig import decode as decode_usersig
from tests.properties.strategies import (OPENIM_ADMIN, OPENIM_SECRET, RONGCLOUD_KEY, RONGCLOUD_SECRET,
                        TENCENT_ADMIN, TENCENT_APP, TENCENT_KEY, ZEGO_APP_ID, ZEGO_SECRET)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

NOW = 1_700_000_000
NONCE = "4fd24687296dd9f3"


class FrozenClock:
    """A clock standing at NOW, for the client-side signers."""

    def now(self) -> float:
        return float(NOW)


def admin_token() -> str:
    """An OpenIM admin token signed with the secret, as get_admin_token makes them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode({"UserID": OPENIM_ADMIN, "PlatformID": 10, "exp": NOW + 86400,
                           "iat": NOW - 5}, OPENIM_SECRET, algorithm="HS256")


ZEGO_SIGNATURE = zego_signature(ZEGO_APP_ID, NONCE, ZEGO_SECRET, NOW)
RONGCLOUD_SIGNATURE = rongcloud_signature(RONGCLOUD_SECRET, NONCE, str(NOW))
TENCENT_USERSIG = tencent_usersig(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=FrozenClock())
OPENIM_TOKEN = admin_token()

any_character = st.characters(blacklist_categories=("Cs",))
visible_ascii = st.characters(min_codepoint=33, max_codepoint=126)


def edits(original: str, alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Every string one replacement, insertion or deletion away from ``original``."""
    replaced = st.tuples(st.integers(0, len(original) - 1), alphabet).filter(
        lambda edit: original[edit[0]] != edit[1]).map(
        lambda edit: original[:edit[0]] + edit[1] + original[edit[0] + 1:])
    inserted = st.tuples(st.integers(0, len(original)), alphabet).map(
        lambda edit: original[:edit[0]] + edit[1] + original[edit[0]:])
    deleted = st.integers(0, len(original) - 1).map(
        lambda index: original[:index] + original[index + 1:])
    return st.one_of(replaced, inserted, deleted)


def b64url_bytes(segment: str) -> bytes | None:
    """A JWT segment's bytes as Go's non-strict RawURLEncoding reads them, or None."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", segment) or len(segment) % 4 == 1:
        return None
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def same_token(token: str) -> bool:
    """True when a token is the original's header and claims with the same signature bytes."""
    parts, original = token.split("."), OPENIM_TOKEN.split(".")
    return (len(parts) == 3 and parts[:2] == original[:2]
            and b64url_bytes(parts[2]) == b64url_bytes(original[2]))


def same_usersig(usersig: str) -> bool:
    """True when a UserSig inflates to the original's JSON document, read as zlib's own
    ``uncompress`` and Python's ``zlib.decompress`` read it."""
    def document(text: str) -> bytes | None:
        try:
            return zlib.decompress(base64.b64decode(
                text.translate(str.maketrans("*-_", "+/=")).encode("ascii"), validate=True))
        except (binascii.Error, UnicodeEncodeError, ValueError, zlib.error):
            return None
    return document(usersig) == document(TENCENT_USERSIG)


async def frozen(emulator: Any) -> Any:
    emulator.clock.freeze()
    emulator.clock.set(NOW)
    return emulator.client


async def zego_call(emulator: Any, signature: str) -> dict[str, Any]:
    client = await frozen(emulator)
    response = await client.post("/", params={
        "Action": "QueryGroupsInfoOfUser", "AppId": ZEGO_APP_ID, "SignatureNonce": NONCE,
        "Timestamp": NOW, "SignatureVersion": "2.0", "Signature": signature},
        json={"FromUserId": "alice", "Limit": 10, "Next": ""})
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


async def rongcloud_call(emulator: Any, signature: str) -> tuple[int, dict[str, Any]]:
    client = await frozen(emulator)
    response = await client.post("/user/group/query.json", data={"userId": "alice"}, headers={
        "App-Key": RONGCLOUD_KEY, "Nonce": NONCE, "Timestamp": str(NOW),
        "Signature": signature})
    return response.status_code, response.json()


async def tencent_call(emulator: Any, usersig: str) -> dict[str, Any]:
    client = await frozen(emulator)
    response = await client.post("/v4/group_open_http_svc/get_joined_group_list", params={
        "sdkappid": TENCENT_APP, "identifier": TENCENT_ADMIN, "usersig": usersig,
        "random": 1, "contenttype": "json"}, json={"Member_Account": "alice"})
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


async def openim_call(emulator: Any, token: str) -> dict[str, Any]:
    client = await frozen(emulator)
    response = await client.post("/group/get_joined_group_list",
                                 headers={"operationID": "mutation", "token": token},
                                 json={"fromUserID": "alice",
                                       "pagination": {"pageNumber": 1, "showNumber": 10}})
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


async def test_the_unchanged_credentials_read_alices_groups(im_emulator: Any) -> None:
    assert (await zego_call(im_emulator, ZEGO_SIGNATURE))["GroupInfoList"]
    status, data = await rongcloud_call(im_emulator, RONGCLOUD_SIGNATURE)
    assert status == 200 and data["groups"]
    assert (await tencent_call(im_emulator, TENCENT_USERSIG))["GroupIdList"]
    assert (await openim_call(im_emulator, OPENIM_TOKEN))["data"]["groups"]


@given(signature=edits(ZEGO_SIGNATURE, any_character))
async def test_a_changed_zego_signature_is_refused(im_emulator: Any, signature: str) -> None:
    data = await zego_call(im_emulator, signature)
    assert list(data) == ["Code", "Message", "RequestId"], data
    assert (data["Code"], data["Message"]) == (100000005, "Signature error."), data


@given(signature=edits(RONGCLOUD_SIGNATURE, visible_ascii))
async def test_a_changed_rongcloud_signature_is_refused(im_emulator: Any,
                                                        signature: str) -> None:
    status, data = await rongcloud_call(im_emulator, signature)
    if signature.lower() == RONGCLOUD_SIGNATURE:
        assert status == 200 and data["groups"], data
        return
    assert status == 401
    assert data == {"code": 1004, "errorMessage":
                    "Signature error, please check the App Key and App Secret."}


@given(usersig=edits(TENCENT_USERSIG, any_character))
async def test_a_changed_usersig_is_refused(im_emulator: Any, usersig: str) -> None:
    data = await tencent_call(im_emulator, usersig)
    if same_usersig(usersig):
        assert data["ErrorCode"] == 0 and data["GroupIdList"], data
        assert decode_usersig(usersig) == decode_usersig(TENCENT_USERSIG)
        return
    assert list(data) == ["ActionStatus", "ErrorInfo", "ErrorCode"], data
    assert data["ActionStatus"] == "FAIL" and data["ErrorCode"] in (70003, 70009), data


@given(token=edits(OPENIM_TOKEN, visible_ascii).filter(lambda token: not same_token(token)))
async def test_a_changed_openim_token_is_refused(im_emulator: Any, token: str) -> None:
    data = await openim_call(im_emulator, token)
    assert list(data) == ["errCode", "errMsg", "errDlt"], data
    assert data["errCode"] in (1503, 1505), data


async def test_a_signature_differing_only_in_unused_bits_is_the_same_token(
        im_emulator: Any) -> None:
    variants = [OPENIM_TOKEN[:-1] + character for character in
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                if character != OPENIM_TOKEN[-1]]
    token = next(variant for variant in variants if same_token(variant))
    data = await openim_call(im_emulator, token)
    assert data["errCode"] == 0 and data["data"]["groups"], data
