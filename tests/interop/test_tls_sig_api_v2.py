"""Tencent's official UserSig library (``tls-sig-api-v2``) against a real socket: its UserSigs
are accepted, one carrying a userbuf is refused with an explanation, and an expired one gets
70001 once the server's clock has moved past it."""

from __future__ import annotations

from typing import Any

import httpx
from TLSSigAPIv2 import TLSSigAPIv2

from emulator.pytest_plugin import ServerEmulator

SDKAPPID = 1400000000
KEY = "test-secret-key"
JOINED = "/v4/group_open_http_svc/get_joined_group_list"


def joined(server: ServerEmulator, usersig: str, account: str = "alice") -> httpx.Response:
    query = {"sdkappid": SDKAPPID, "identifier": "administrator", "usersig": usersig,
             "random": 2803936592, "contenttype": "json"}
    response = httpx.post(f"{server.url}{JOINED}", params=query,
                          json={"Member_Account": account}, timeout=10)
    assert response.status_code == 200
    return response


def fail(code: int, info: str) -> dict[str, Any]:
    return {"ActionStatus": "FAIL", "ErrorInfo": info, "ErrorCode": code}


def test_official_usersig_is_accepted(im_emulator_server: ServerEmulator) -> None:
    response = joined(im_emulator_server, TLSSigAPIv2(SDKAPPID, KEY).gen_sig("administrator"))
    assert response.json()["ActionStatus"] == "OK"
    assert response.json()["TotalCount"] == 17
    entry = im_emulator_server.assert_called("tencent", JOINED, times=1)[0]
    assert (entry["app"], entry["user"], entry["code"]) == ("1400000000", "alice", 0)


def test_usersig_with_userbuf_is_refused(im_emulator_server: ServerEmulator) -> None:
    sig = TLSSigAPIv2(SDKAPPID, KEY).gen_sig_with_userbuf("administrator", 300, b"abc")
    response = joined(im_emulator_server, sig)
    assert response.json() == fail(
        70009, "UserSig verification failed: it was signed with another key")
    explain = response.headers["x-emulator-explain"]
    assert "TLS.userbuf" in explain and KEY not in explain


def test_usersig_of_another_key_and_expiry(im_emulator_server: ServerEmulator) -> None:
    other = joined(im_emulator_server, TLSSigAPIv2(SDKAPPID, "not-the-key").gen_sig(
        "administrator"))
    assert other.json()["ErrorCode"] == 70009
    short = TLSSigAPIv2(SDKAPPID, KEY).gen_sig("administrator", 60)
    assert joined(im_emulator_server, short).json()["ErrorCode"] == 0
    im_emulator_server.clock.advance(3600)
    expired = joined(im_emulator_server, short)
    assert expired.json() == fail(70001, "UserSig expired, please generate a new one")
    assert KEY not in expired.headers.get("x-emulator-explain", "")
