"""Property: whatever the path, headers and body, a RongCloud request gets RongCloud's envelope
(``code`` + ``errorMessage``, or ``code`` 200) with the HTTP status of its code, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.signing import rongcloud_signature
from emulator.vendors.rongcloud.errors import CODES

pytestmark = pytest.mark.anyio

PATHS = ["/user/group/query.json", "/user/getToken.json", "/group/create.json",
         "/group/join.json", "/group/quit.json", "/group/dismiss.json", "/group/user/query.json"]
FIELDS = ["userId", "groupId", "groupName", "page", "size", "name", "portraitUri"]
HEADER_NAMES = ["App-Key", "Nonce", "Timestamp", "Signature", "RC-App-Key", "RC-Nonce",
                "RC-Timestamp", "RC-Signature", "Content-Type"]

printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
path_text = st.text("abcxyz019-_/", max_size=20).map(lambda p: "/" + p.lstrip("/") + ".json")
values = (st.sampled_from(["alice", "heavy", "g-hiking", "g-old-project", "", "0", "1", "50",
                           "1000", "1001", "-1", "99999999999999999999", "中文 群", "%zz", "%ff",
                           "a+b", "x" * 65])
          | st.text(max_size=20))
fields = st.lists(st.tuples(st.sampled_from(FIELDS) | st.text(max_size=8), values), max_size=8)


def form_body(pairs: list[tuple[str, str]]) -> bytes:
    """A form body written raw (unencoded), the way the official Python SDK writes it."""
    return "&".join(f"{key}={value}" for key, value in pairs).encode("utf-8", "surrogatepass")


bodies = st.binary(max_size=80) | fields.map(form_body) | fields.map(form_body)
junk_headers = st.dictionaries(st.sampled_from(HEADER_NAMES) | st.sampled_from(
    ["app-key", "rc-signature", "NONCE"]), printable | st.binary(max_size=20), max_size=5)


@pytest.mark.im_emulator_settings(rate_limits=False)
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS) | st.sampled_from(PATHS) | path_text,
       auth=st.sampled_from(["good", "good", "good", "good-rc", "bad", "junk"]),
       nonce=printable, extra=junk_headers, method=st.sampled_from(["POST", "POST", "GET", "PUT"]),
       body=bodies)
async def test_any_request_gets_the_rongcloud_envelope(im_emulator, path: str, auth: str,
                                                       nonce: str, extra: dict[str, Any],
                                                       method: str, body: bytes) -> None:
    headers: dict[str, Any] = {}
    timestamp = str(int(im_emulator.clock.now()))
    if auth in ("good", "good-rc"):
        prefix = "RC-" if auth == "good-rc" else ""
        nonce = nonce or "1"
        headers = {f"{prefix}App-Key": "test-app-key", f"{prefix}Nonce": nonce,
                   f"{prefix}Timestamp": timestamp,
                   f"{prefix}Signature": rongcloud_signature("test-app-secret", nonce, timestamp)}
    elif auth == "bad":
        headers = {"App-Key": "test-app-key", "Nonce": nonce, "Timestamp": timestamp,
                   "Signature": rongcloud_signature("wrong", nonce, timestamp)}
    else:
        headers = extra
    response = await im_emulator.client.request(method, path, headers=headers,
                                                content=body if method != "GET" else None)
    data: dict[str, Any] = response.json()
    assert isinstance(data["code"], int)
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    if data["code"] == 200:
        assert response.status_code == 200 and "errorMessage" not in data
        return
    assert list(data) == ["code", "errorMessage"]
    assert isinstance(data["errorMessage"], str) and data["errorMessage"]
    assert data["code"] != 1000 and response.status_code != 500
    expected = {CODES[data["code"]][0]} | ({405} if data["code"] == 1502 else set())
    assert response.status_code in expected
