"""ZEGO authentication: signature v2.0, the public-parameter checks in their order, the
±600 s Timestamp window, the explanation of a refused signature and the client-side signer."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from emulator.signing import ZegoAuth, zego_signature
from emulator.vendors.zego.client import signed_params

pytestmark = pytest.mark.anyio

APP_ID = 1234567890
SECRET = "0123456789abcdef0123456789abcdef"
QUERY = "QueryGroupsInfoOfUser"


# ---- signature ----------------------------------------------------------------------------

def test_official_vector() -> None:
    assert zego_signature(12345, "4fd24687296dd9f3", "9193cc662a4c0ec135ec71fb57194b38",
                          1615186943) == "43e5cfcca828314675f91b001390566a"


def test_own_vector() -> None:
    assert zego_signature(APP_ID, "a1b2c3d4e5f60718", SECRET,
                          1700000000) == "c90a56c08221a571fbf3007d1d7300d6"


async def test_docs_sample_request_shape(im_emulator) -> None:
    """The raw request captured from the ZEGO docs' sample, replayed byte for byte."""
    await im_emulator.seed({"users": [{"id": "user1"}], "groups": [
        {"id": "g-u1", "name": "U1", "type": "public", "owner": "user1"}]})
    im_emulator.clock.freeze()
    im_emulator.clock.set(1795374268)
    response = await im_emulator.client.post(
        "/?Action=QueryGroupsInfoOfUser&AppId=1234567890&Signature=8b2eb8eac66cfcce6eee04217c"
        "69348b&SignatureNonce=834022cf3584124c&SignatureVersion=2.0&Timestamp=1795374268",
        content=b'{"FromUserId": "user1", "Limit": 10, "Next": ""}',
        headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["RequestId"]) == 32
    del body["RequestId"]
    assert body == {"Code": 0, "Message": "success", "NextRsp": "0", "HasJoinGroupNum": 1,
                    "GroupInfoList": [{"GroupId": "g-u1", "GroupName": "U1", "GroupAvatar": ""}]}


async def test_parameters_in_any_order_and_is_test(im_emulator) -> None:
    now = im_emulator.clock.now()
    params = {**signed_params(APP_ID, SECRET, int(now)), "IsTest": "False", "Action": QUERY}
    ordered = "/?" + urlencode(dict(reversed(list(params.items()))))
    response = await im_emulator.client.post(ordered, json={"FromUserId": "bob", "Limit": 1})
    assert response.json()["Code"] == 0


# ---- public-parameter checks --------------------------------------------------------------

AUTH_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("empty Action", {"Action": ""}, 100000006, "Action is empty."),
    ("unknown Action", {"Action": "QueryGroups"}, 100000007, "Unsupported Action."),
    ("missing AppId", {"drop": ("AppId",)}, 100000001, "AppId field format error."),
    ("AppId not a number", {"AppId": "12ab"}, 100000001, "AppId field format error."),
    ("AppId over uint32", {"AppId": "4294967296"}, 100000001, "AppId field format error."),
    ("negative AppId", {"AppId": "-1"}, 100000001, "AppId field format error."),
    ("missing Timestamp", {"drop": ("Timestamp",)}, 100000002, "Timestamp field is empty."),
    ("Timestamp not an integer", {"Timestamp": "17e8"}, 100000003,
     "Timestamp field format error."),
    ("Timestamp in ms as float", {"Timestamp": "1700000000.5"}, 100000003,
     "Timestamp field format error."),
    ("missing SignatureNonce", {"drop": ("SignatureNonce",)}, 100000008,
     "SignatureNonce field is empty."),
    ("missing Signature", {"drop": ("Signature",)}, 100000009, "Signature field is empty."),
    ("missing SignatureVersion", {"drop": ("SignatureVersion",)}, 100000013,
     "SignatureVersion field is empty."),
    ("SignatureVersion 1.0", {"SignatureVersion": "1.0"}, 100000014,
     "Unsupported SignatureVersion."),
    ("unknown AppId", {"AppId": "1234567891"}, 100000010, "Get ServerSecret failed."),
    ("wrong Signature", {"Signature": "0" * 32}, 100000005, "Signature error."),
]


@pytest.mark.parametrize(("case", "change", "code", "message"), AUTH_CASES,
                         ids=[case[0] for case in AUTH_CASES])
async def test_public_parameter_errors(im_emulator, zego, case: str, change: dict[str, Any],
                                       code: int, message: str) -> None:
    change = dict(change)
    drop = change.pop("drop", ())
    action = change.pop("Action", QUERY)
    target = zego.url(action, drop=drop, **change)
    response = await im_emulator.client.post(target, json={"FromUserId": "alice", "Limit": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["Code"], body["Message"]) == (code, message)
    assert list(body) == ["Code", "Message", "RequestId"]


async def test_uppercase_signature_is_refused_and_explained(im_emulator) -> None:
    params = signed_params(APP_ID, SECRET, int(im_emulator.clock.now()))
    params["Signature"] = params["Signature"].upper()
    response = await im_emulator.client.post(f"/?Action={QUERY}&" + urlencode(params),
                                             json={"FromUserId": "alice", "Limit": 1})
    assert response.json()["Code"] == 100000005
    explain = response.headers["x-emulator-explain"]
    assert explain.startswith("Signature mismatch: expected lowercase hex md5 of AppId + "
                              "SignatureNonce + ServerSecret + Timestamp; got 32 hex chars "
                              "(uppercase hex is not accepted) for AppId 1234567890")
    assert SECRET not in explain


@pytest.mark.im_emulator_settings(explain=False)
async def test_explain_header_can_be_turned_off(im_emulator, zego) -> None:
    response = await im_emulator.client.post(zego.url(QUERY, Signature="f" * 32), json={})
    assert response.json()["Code"] == 100000005
    assert "x-emulator-explain" not in response.headers


@pytest.mark.im_emulator_settings(zego_unknown_app_code=100000011)
async def test_unknown_app_code_is_configurable(im_emulator, zego) -> None:
    body = (await im_emulator.client.post(zego.url(QUERY, AppId="42"), json={})).json()
    assert (body["Code"], body["Message"]) == (100000011, "Get App configuration failed.")


@pytest.mark.parametrize(("skew", "code"), [(600, 0), (-600, 0), (601, 100000004),
                                            (-601, 100000004)])
async def test_timestamp_window_is_600_seconds_either_way(im_emulator, zego, skew: int,
                                                          code: int) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000)
    target = zego.url(QUERY, now=1_800_000_000 + skew)
    body = (await im_emulator.client.post(target, json={"FromUserId": "bob", "Limit": 1})).json()
    assert body["Code"] == code
    if code:
        assert body["Message"] == "Signature expired."


async def test_signature_is_checked_against_the_timestamp_sent(im_emulator) -> None:
    now = int(im_emulator.clock.now())
    params = signed_params(APP_ID, SECRET, now, "abc")
    params["Timestamp"] = str(now + 1)
    response = await im_emulator.client.post(f"/?Action={QUERY}&" + urlencode(params),
                                             json={"FromUserId": "bob", "Limit": 1})
    assert response.json()["Code"] == 100000005


async def test_rejected_credentials_do_not_count_against_the_rate_limit(im_emulator,
                                                                        zego) -> None:
    im_emulator.clock.freeze()
    for _ in range(25):
        target = zego.url(QUERY, Signature="0" * 32)
        assert (await im_emulator.client.post(target, json={})).json()["Code"] == 100000005
    assert (await zego.query("bob", 1))["Code"] == 0


# ---- the client-side signer ---------------------------------------------------------------

async def test_signer_on_a_plain_client(im_emulator) -> None:
    transport = httpx.ASGITransport(app=im_emulator.app)
    auth = ZegoAuth(APP_ID, SECRET, clock=im_emulator.clock, nonce=lambda: "0011223344556677")
    async with httpx.AsyncClient(transport=transport, base_url="http://zim-api.zego.im",
                                 auth=auth) as client:
        response = await client.post("/", params={"Action": QUERY},
                                     json={"FromUserId": "carol", "Limit": 5})
    assert response.json()["Code"] == 0
    sent = response.request.url.params
    assert sent["SignatureNonce"] == "0011223344556677"
    assert sent["Signature"] == zego_signature(APP_ID, "0011223344556677", SECRET,
                                               sent["Timestamp"])
