"""RongCloud request signatures: plain and RC- headers, seconds and milliseconds, the error
codes and HTTP statuses of rejected credentials, the opt-in strict checks, the rate limit and
what the journal records of a signed call."""

from __future__ import annotations

import pytest

from emulator.signing import RongCloudAuth, rongcloud_signature

pytestmark = pytest.mark.anyio

SECRET = "test-app-secret"
QUERY = "/user/group/query.json"
BODY = b"userId=alice"
SIGNATURE_ERROR = {"code": 1004,
                   "errorMessage": "Signature error, please check the App Key and App Secret."}


def test_docs_vector() -> None:
    assert rongcloud_signature("Y1W2MeFwwwRxa0", "14314", "1408710653000") == \
        "30be0bbca9c9b2e27578701e9fda2358a814c88f"


def test_spec_vectors_seconds_and_milliseconds() -> None:
    assert rongcloud_signature(SECRET, "123456", "1700000000") == \
        "3d1323c3144135229e01e97ec86bd6d6ce82db5a"
    assert rongcloud_signature(SECRET, "123456", "1700000000000") == \
        "4716c7a1fe6bbac3d767972f1c9e189e62fc9975"


def test_captured_wire_signatures() -> None:
    assert rongcloud_signature(SECRET, "20064091", "1795374216") == \
        "09def2e3f1024e80901944e060ee5e7b46e43ae6"
    assert rongcloud_signature(SECRET, "0.5749625810763338", "1795374228000") == \
        "6df70eb321187c213168dbab565f25d6b6e8ce01"


async def test_plain_headers_in_seconds(rongcloud, signed) -> None:
    response = await rongcloud.post(QUERY, BODY, headers=signed())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == 200


@pytest.mark.parametrize("prefix", ["RC-", "rc-", "Rc-"])
async def test_legacy_rc_headers_with_milliseconds(rongcloud, signed, prefix: str) -> None:
    headers = signed("0.5749625810763338", "1795374228000", prefix=prefix)
    response = await rongcloud.post(QUERY, BODY, headers=headers)
    assert response.status_code == 200 and response.json()["code"] == 200


async def test_header_names_in_any_case(rongcloud, signed) -> None:
    headers = {key.lower(): value for key, value in signed().items()}
    assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200
    headers = {key.upper(): value for key, value in signed().items()}
    assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200


async def test_uppercase_hex_signature_accepted(rongcloud, signed) -> None:
    headers = signed()
    headers["Signature"] = headers["Signature"].upper()
    assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200


async def test_plain_header_wins_over_prefixed(rongcloud, signed) -> None:
    headers = {**signed(), "RC-Signature": "0" * 40}
    assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200


async def test_httpx_auth_both_styles(im_emulator) -> None:
    for auth in (RongCloudAuth(), RongCloudAuth(prefix="RC-", milliseconds=True)):
        response = await im_emulator.client.post(QUERY, content=BODY, auth=auth)
        assert response.status_code == 200, response.text


async def test_wrong_signature(rongcloud, signed) -> None:
    response = await rongcloud.post(QUERY, BODY, headers=signed(secret="not-the-secret"))
    assert response.status_code == 401
    assert response.json() == SIGNATURE_ERROR
    explain = response.headers["x-emulator-explain"]
    assert "sha1 of AppSecret + Nonce + Timestamp" in explain
    assert "40 hex chars" in explain and "not-the-secret" not in explain
    assert SECRET not in explain


@pytest.mark.parametrize("missing", ["App-Key", "Nonce", "Timestamp", "Signature"])
async def test_missing_header(rongcloud, signed, missing: str) -> None:
    headers = signed()
    del headers[missing]
    response = await rongcloud.post(QUERY, BODY, headers=headers)
    assert response.status_code == 401
    assert response.json() == SIGNATURE_ERROR
    assert missing in response.headers["x-emulator-explain"]


async def test_unknown_app_key(rongcloud, signed) -> None:
    response = await rongcloud.post(QUERY, BODY, headers=signed(app_key="someone-else"))
    assert response.status_code == 401
    assert response.json() == {"code": 1001, "errorMessage": "App Key and App Secret do not match."}
    assert "someone-else" in response.headers["x-emulator-explain"]


@pytest.mark.im_emulator_settings(explain=False)
async def test_explain_header_can_be_turned_off(rongcloud, signed) -> None:
    response = await rongcloud.post(QUERY, BODY, headers=signed(secret="nope"))
    assert response.status_code == 401 and "x-emulator-explain" not in response.headers


@pytest.mark.im_emulator_settings(rongcloud_app_key="my-key", rongcloud_app_secret="my-secret")
async def test_configured_credentials(rongcloud, signed) -> None:
    mine = signed(app_key="my-key", secret="my-secret")
    assert (await rongcloud.post(QUERY, BODY, headers=mine)).status_code == 200
    default = await rongcloud.post(QUERY, BODY, headers=signed())
    assert default.status_code == 401 and default.json()["code"] == 1001


async def test_reused_nonce_accepted_by_default(rongcloud, signed) -> None:
    headers = signed("14314", "1408710653000")
    for _ in range(3):
        assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200


@pytest.mark.im_emulator_settings(rongcloud_nonce_replay=True)
async def test_reused_nonce_refused_in_strict_mode(rongcloud, signed) -> None:
    assert (await rongcloud.post(QUERY, BODY, headers=signed("777"))).status_code == 200
    again = await rongcloud.post(QUERY, BODY, headers=signed("777"))
    assert again.status_code == 401 and again.json() == SIGNATURE_ERROR
    assert "already used" in again.headers["x-emulator-explain"]
    assert (await rongcloud.post(QUERY, BODY, headers=signed("778"))).status_code == 200


async def test_no_freshness_window_by_default(im_emulator, rongcloud, signed) -> None:
    im_emulator.clock.set(1_800_000_000)
    assert (await rongcloud.post(QUERY, BODY, headers=signed(timestamp="1408710653"))
            ).status_code == 200


@pytest.mark.im_emulator_settings(rongcloud_timestamp_window=300)
async def test_freshness_window_in_strict_mode(im_emulator, rongcloud, signed) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_700_000_000)

    async def status(timestamp: str) -> int:
        return (await rongcloud.post(QUERY, BODY, headers=signed(timestamp=timestamp))
                ).status_code

    assert await status("1700000299") == 200
    assert await status("1699999700000") == 200
    stale = await rongcloud.post(QUERY, BODY, headers=signed(timestamp="1699999699"))
    assert stale.status_code == 401 and stale.json() == SIGNATURE_ERROR
    assert "window is 300 s" in stale.headers["x-emulator-explain"]
    assert await status("1700000301000") == 401
    garbage = await rongcloud.post(QUERY, BODY, headers=signed(timestamp="soon"))
    assert garbage.status_code == 401 and "not an integer" in garbage.headers["x-emulator-explain"]


async def test_rate_limit_101st_request_in_one_second(im_emulator, rongcloud, signed) -> None:
    im_emulator.clock.freeze()
    headers = signed()
    for _ in range(100):
        assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200
    over = await rongcloud.post(QUERY, BODY, headers=headers)
    assert over.status_code == 429
    assert over.json() == {"code": 1008,
                           "errorMessage": "Too many requests: the limit is 100 per second."}
    other_endpoint = await rongcloud.post("/group/user/query.json", b"groupId=g-hiking",
                                          headers=headers)
    assert other_endpoint.status_code == 200
    im_emulator.clock.advance(1)
    assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200


@pytest.mark.im_emulator_settings(rongcloud_rate_limit=3)
async def test_rate_limit_setting(im_emulator, rongcloud, signed) -> None:
    im_emulator.clock.freeze()
    for _ in range(3):
        assert (await rongcloud.post(QUERY, BODY, headers=signed())).status_code == 200
    over = await rongcloud.post(QUERY, BODY, headers=signed())
    assert over.status_code == 429
    assert over.json() == {"code": 1008,
                           "errorMessage": "Too many requests: the limit is 3 per second."}


@pytest.mark.im_emulator_settings(rate_limits=False)
async def test_rate_limits_off(im_emulator, rongcloud, signed) -> None:
    im_emulator.clock.freeze()
    headers = signed()
    for _ in range(101):
        assert (await rongcloud.post(QUERY, BODY, headers=headers)).status_code == 200


async def test_rate_limit_counts_only_authenticated_requests(im_emulator, rongcloud,
                                                             signed) -> None:
    im_emulator.clock.freeze()
    for _ in range(120):
        assert (await rongcloud.post(QUERY, BODY, headers=signed(secret="bad"))).status_code == 401
    assert (await rongcloud.post(QUERY, BODY, headers=signed())).status_code == 200


async def test_journal_records_app_endpoint_user_and_code(im_emulator, rongcloud,
                                                          signed) -> None:
    await rongcloud.post(QUERY, b"userId=bob", headers=signed())
    entries = (await im_emulator.client.get("/_emulator/journal")).json()
    entry = (entries["entries"] if isinstance(entries, dict) else entries)[-1]
    assert entry["vendor"] == "rongcloud" and entry["endpoint"] == QUERY
    assert entry["app"] == "test-app-key" and entry["user"] == "bob" and entry["code"] == 200


async def test_journal_names_the_claimed_app_of_a_rejected_call(im_emulator, rongcloud,
                                                                signed) -> None:
    await rongcloud.post(QUERY, b"userId=bob", headers=signed(app_key="k" * 80))
    entry = im_emulator.journal()[-1]
    assert entry["endpoint"] == QUERY and entry["code"] == 1001 and entry["status"] == 401
    assert entry["app"] == "k" * 64 and entry["user"] == ""
