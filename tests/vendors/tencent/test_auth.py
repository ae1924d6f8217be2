"""Tencent REST authentication: UserSig v2 decoding and checks, the query parameters, the admin
rule, unknown commands, bad bodies and the per-API rate limit, each with its exact envelope."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import pytest

from emulator.vendors.tencent.client import TencentAuth, tencent_usersig
from emulator.vendors.tencent import usersig
from tests.vendors.tencent.helpers import TencentClient, fail

pytestmark = pytest.mark.anyio

JOINED = "/v4/group_open_http_svc/get_joined_group_list"
SDKAPPID = 1400000000
KEY = "test-secret-key"
T4_KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
NODE_SIG = ("eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZ"
            "mqOKplYUZBalKllZmJnAhIoz05WslIL93EzccsOcA0qT8yOKnfwLksLcjNPcnNNMzb0Ccg1Sq6IMs1LDPH1y"
            "wpJtlWoBGRkxcA__")
PYTHON_SIG = ("eJyrVgrxCdYrSy1SslJQMtIzUNJRAItkpqTmlWSmZUIkKjIT87NK82CSxSnZiQUFmSlAKUMTAyiAyqVWFGQW"
              "pQJlLMxM4IIlmbkgIUNzNMXFmekg44P93EzccsOcA0qT8yOKnfwLksLcjNPcnNNMzb0Ccg1Sq6IMs1LDP"
              "H1ywpJtlWoBk68y0A__")
WORKED = pytest.mark.im_emulator_settings(tencent_key=T4_KEY, tencent_admin="xiaojun")


async def call(emulator: Any, query: dict[str, Any], body: bytes = b'{"Member_Account":"alice"}',
               path: str = JOINED) -> Any:
    response = await emulator.client.post(path, params=query, content=body)
    assert response.status_code == 200
    return response


def signed(emulator: Any, identifier: str = "administrator", **overrides: Any) -> dict[str, Any]:
    return TencentClient(emulator).query(identifier, **overrides)


def make_sig(document: dict[str, Any]) -> str:
    packed = zlib.compress(json.dumps(document).encode())
    return base64.b64encode(packed).decode().replace("+", "*").replace("/", "-").replace("=", "_")


def test_worked_example_fields() -> None:
    content = usersig.content_to_sign("xiaojun", SDKAPPID, 1700000000, 86400)
    assert content == ("TLS.identifier:xiaojun\nTLS.sdkappid:1400000000\nTLS.time:1700000000\n"
                       "TLS.expire:86400\n")
    assert usersig.hmac_sig(T4_KEY, "xiaojun", SDKAPPID, 1700000000, 86400) == (
        "SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc=")
    for sig in (NODE_SIG, PYTHON_SIG):
        decoded = usersig.decode(sig)
        assert (decoded.identifier, decoded.sdkappid, decoded.time, decoded.expire) == (
            "xiaojun", SDKAPPID, 1700000000, 86400)
        assert usersig.sig_matches(decoded, T4_KEY)
        assert not usersig.sig_matches(decoded, KEY)


@WORKED
@pytest.mark.parametrize("sig", [NODE_SIG, PYTHON_SIG], ids=["node", "python"])
async def test_worked_example_valid_until_time_plus_expire(im_emulator: Any, sig: str) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700086400)
    query = {"sdkappid": SDKAPPID, "identifier": "xiaojun", "usersig": sig, "random": 1}
    ok = await call(im_emulator, query)
    assert ok.json()["ActionStatus"] == "OK"
    im_emulator.clock.set(1700086400.999)
    assert (await call(im_emulator, query)).json()["ErrorCode"] == 0
    im_emulator.clock.set(1700086401)
    expired = await call(im_emulator, query)
    assert expired.json() == fail(70001, "UserSig expired, please generate a new one")
    assert "1700086400 is before now (1700086401)" in expired.headers["x-emulator-explain"]


@WORKED
async def test_worked_example_mismatches(im_emulator: Any) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    base = {"sdkappid": SDKAPPID, "identifier": "xiaojun", "usersig": PYTHON_SIG}
    other_id = await call(im_emulator, {**base, "identifier": "bob"})
    assert other_id.json() == fail(
        70013, "the identifier in the URL differs from the one in UserSig")
    other_app = await call(im_emulator, {**base, "sdkappid": 1400000001})
    assert other_app.json()["ErrorCode"] == 60006


@pytest.mark.im_emulator_settings(tencent_key=T4_KEY, tencent_admin="xiaojun",
                                  tencent_sdkappid=1400000001)
async def test_worked_example_sdkappid_mismatch(im_emulator: Any) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    query = {"sdkappid": 1400000001, "identifier": "xiaojun", "usersig": NODE_SIG}
    response = await call(im_emulator, query)
    assert response.json() == fail(
        70014, "the sdkappid in the URL differs from the one in UserSig")


async def test_worked_example_wrong_key(im_emulator: Any) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    query = {"sdkappid": SDKAPPID, "identifier": "xiaojun", "usersig": NODE_SIG}
    response = await call(im_emulator, query)
    assert response.json() == fail(
        70009, "UserSig verification failed: it was signed with another key")
    explain = response.headers["x-emulator-explain"]
    assert "HMAC-SHA256" in explain and KEY not in explain


async def test_httpx_auth_signs_requests(im_emulator: Any) -> None:
    auth = TencentAuth(SDKAPPID, KEY, clock=im_emulator.clock, random=7)
    response = await im_emulator.client.post(JOINED, json={"Member_Account": "alice"}, auth=auth)
    assert response.json()["ErrorCode"] == 0
    assert response.request.url.params["random"] == "7"
    assert response.request.url.params["contenttype"] == "json"


async def test_sdkappid_missing_and_unknown(im_emulator: Any) -> None:
    missing = await call(im_emulator, signed(im_emulator, sdkappid=None))
    assert missing.json() == fail(60012, "the request URL has no sdkappid")
    for value in ("1400000001", "abc", "", "-1"):
        unknown = await call(im_emulator, signed(im_emulator, sdkappid=value))
        assert unknown.json() == fail(60006, "SDKAppID is invalid, please check it")


async def test_usersig_empty_and_undecodable(im_emulator: Any) -> None:
    for value in (None, ""):
        empty = await call(im_emulator, signed(im_emulator, usersig=value))
        assert empty.json() == fail(70002, "UserSig is empty")
    good = tencent_usersig(SDKAPPID, KEY, "administrator", 300, clock=im_emulator.clock)
    undecodable = [
        "not-a-sig!", good[:-10], good[:-2] + "AAAA",
        base64.b64encode(b"plain text, not zlib").decode(),
        make_sig({"TLS.identifier": "administrator"}),
        make_sig({"TLS.ver": "2.0", "TLS.identifier": "administrator", "TLS.sdkappid": "1400000000",
                  "TLS.time": 1, "TLS.expire": 1, "TLS.sig": "x"}),
        base64.b64encode(zlib.compress(b"[1, 2]")).decode().replace("=", "_"),
    ]
    for value in undecodable:
        response = await call(im_emulator, signed(im_emulator, usersig=value))
        assert response.json() == fail(
            70003, "UserSig parse failed: it is not a valid UserSig or it is truncated"), value


async def test_url_safe_base64_is_not_accepted(im_emulator: Any) -> None:
    good = tencent_usersig(SDKAPPID, KEY, "administrator", 300, clock=im_emulator.clock)
    standard = good.replace("*", "+").replace("-", "/").replace("_", "=")
    url_safe = standard.replace("+", "-").replace("/", "_")
    if url_safe != good:
        response = await call(im_emulator, signed(im_emulator, usersig=url_safe))
        assert response.json()["ErrorCode"] in (70003, 70009)


async def test_identifier_and_sdkappid_mismatch(im_emulator: Any) -> None:
    sig_for_bob = tencent_usersig(SDKAPPID, KEY, "bob", 300, clock=im_emulator.clock)
    response = await call(im_emulator, signed(im_emulator, usersig=sig_for_bob))
    assert response.json()["ErrorCode"] == 70013
    assert "'bob'" in response.headers["x-emulator-explain"]
    query = signed(im_emulator)
    del query["identifier"]
    no_identifier = await call(im_emulator, query)
    assert no_identifier.json()["ErrorCode"] == 70013
    other_app = tencent_usersig(1400000009, KEY, "administrator", 300, clock=im_emulator.clock)
    response = await call(im_emulator, signed(im_emulator, usersig=other_app))
    assert response.json()["ErrorCode"] == 70014


async def test_hmac_mismatch(im_emulator: Any) -> None:
    other_key = tencent_usersig(SDKAPPID, "another-key", "administrator", 300,
                                clock=im_emulator.clock)
    response = await call(im_emulator, signed(im_emulator, usersig=other_key))
    assert response.json()["ErrorCode"] == 70009
    now = int(im_emulator.clock.now())
    tampered = make_sig({"TLS.ver": "2.0", "TLS.identifier": "administrator",
                         "TLS.sdkappid": SDKAPPID, "TLS.time": now, "TLS.expire": 999999,
                         "TLS.sig": usersig.hmac_sig(KEY, "administrator", SDKAPPID, now, 300)})
    response = await call(im_emulator, signed(im_emulator, usersig=tampered))
    assert response.json()["ErrorCode"] == 70009


async def test_usersig_json_key_order_and_spacing_do_not_matter(im_emulator: Any) -> None:
    now = int(im_emulator.clock.now())
    document = {"TLS.sig": usersig.hmac_sig(KEY, "administrator", SDKAPPID, now, 300),
                "TLS.time": now, "TLS.expire": 300, "TLS.sdkappid": SDKAPPID,
                "TLS.identifier": "administrator", "TLS.ver": "2.0"}
    packed = zlib.compress(json.dumps(document, indent=4).encode(), 0)
    sig = base64.b64encode(packed).decode().replace("+", "*").replace("/", "-").replace("=", "_")
    response = await call(im_emulator, signed(im_emulator, usersig=sig))
    assert response.json()["ErrorCode"] == 0


async def test_expiry_boundary_with_own_signer(im_emulator: Any) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1800000000)
    query = signed(im_emulator)
    im_emulator.clock.advance(300)
    assert (await call(im_emulator, query)).json()["ErrorCode"] == 0
    im_emulator.clock.advance(1)
    assert (await call(im_emulator, query)).json()["ErrorCode"] == 70001


async def test_non_admin_identifier(im_emulator: Any) -> None:
    response = await call(im_emulator, signed(im_emulator, identifier="alice"))
    assert response.json() == fail(60010, "the request requires an App admin identifier")
    assert "'alice' is not a configured app admin" in response.headers["x-emulator-explain"]


@pytest.mark.im_emulator_settings(tencent_admin="administrator, ops")
async def test_any_configured_admin_is_accepted(im_emulator: Any) -> None:
    response = await call(im_emulator, signed(im_emulator, identifier="ops"))
    assert response.json()["ErrorCode"] == 0


@pytest.mark.im_emulator_settings(explain=False)
async def test_explain_header_can_be_turned_off(im_emulator: Any) -> None:
    response = await call(im_emulator, signed(im_emulator, identifier="alice"))
    assert response.json()["ErrorCode"] == 60010
    assert "x-emulator-explain" not in response.headers


async def test_unknown_command(im_emulator: Any) -> None:
    for path in ("/v4/group_open_http_svc/no_such_command", "/v4/nothing", "/v4/",
                 "/v4/group_open_http_svc/get_joined_group_list/extra",
                 "/v4/group_open_http_svc/get_joined_group_list%3Fx"):
        response = await call(im_emulator, signed(im_emulator), path=path)
        assert response.json() == fail(
            60009, "request resource error, please check the request URL"), path


async def test_unknown_command_still_needs_credentials(im_emulator: Any) -> None:
    response = await call(im_emulator, {}, path="/v4/a/b")
    assert response.json()["ErrorCode"] == 60012


async def test_method_other_than_post(im_emulator: Any) -> None:
    response = await im_emulator.client.get(JOINED, params=signed(im_emulator))
    assert response.status_code == 200
    assert response.json() == fail(
        60002, "HTTP parse error, please check the request URL and method")


async def test_body_not_json_whatever_the_content_type(im_emulator: Any) -> None:
    expected = fail(60003, "Fail to parse the JSON body of the request, please check it")
    for body in (b"", b"{", b"Member_Account=alice", b"[1]", b'"x"', b"\xff\xfe"):
        for headers in ({}, {"content-type": "application/json"},
                        {"content-type": "text/plain"}):
            response = await im_emulator.client.post(JOINED, params=signed(im_emulator),
                                                     content=body, headers=headers)
            assert response.status_code == 200
            assert response.json() == expected, body


async def test_json_accepted_without_content_type(im_emulator: Any) -> None:
    request = im_emulator.client.build_request("POST", JOINED, params=signed(im_emulator),
                                               content=b'{"Member_Account": "alice", "Limit": 10}')
    assert "content-type" not in request.headers
    response = await im_emulator.client.send(request)
    assert response.json()["GroupIdList"][0] == {"GroupId": "g-hiking"}


async def test_rate_limit_201st_request_in_one_second(im_emulator: Any) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1800000000.5)
    query = signed(im_emulator)
    for _ in range(200):
        assert (await call(im_emulator, query)).json()["ErrorCode"] == 0
    limited = await call(im_emulator, query)
    assert limited.json() == fail(
        60007, "REST API calls exceed the frequency limit, please try again later")
    other_api = await call(im_emulator, query, b'{"UserID":"x"}',
                           "/v4/im_open_login_svc/account_import")
    assert other_api.json()["ErrorCode"] == 0
    im_emulator.clock.advance(0.5)
    assert (await call(im_emulator, query)).json()["ErrorCode"] == 0


@pytest.mark.im_emulator_settings(rate_limits=False)
async def test_rate_limits_off(im_emulator: Any) -> None:
    im_emulator.clock.freeze()
    query = signed(im_emulator)
    for _ in range(205):
        assert (await call(im_emulator, query)).json()["ErrorCode"] == 0


async def test_journal_records_the_call(im_emulator: Any) -> None:
    await call(im_emulator, signed(im_emulator, identifier="alice"))
    await call(im_emulator, signed(im_emulator))
    entries = list(im_emulator.services.journal.entries())
    assert [(e.endpoint, e.app, e.code) for e in entries[-2:]] == [
        ("group_open_http_svc/get_joined_group_list", "1400000000", 60010),
        ("group_open_http_svc/get_joined_group_list", "1400000000", 0)]
    assert entries[-1].user == "alice"
