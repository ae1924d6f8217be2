"""The token endpoints (get_admin_token, get_user_token, parse_token) and the token service:
tokens are HS256 JWTs with OpenIM's claims, checked against the clock, the secret and the token
store on every use."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from emulator.clock import ManualClock
from emulator.errors import VendorError
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.tokens import TokenService
from tests.vendors.openim.helpers import NOW, SECRET, envelope

pytestmark = pytest.mark.anyio

START = 1_800_000_000.0


# ---- get_admin_token ----------------------------------------------------------------------

async def test_admin_token_is_an_hs256_jwt_with_openim_claims(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW)
    response = await openim.post("/auth/get_admin_token", {"secret": SECRET, "userID": "imAdmin"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["errCode", "errMsg", "errDlt", "data"]
    assert body["errCode"] == 0 and body["errMsg"] == "" and body["errDlt"] == ""
    assert body["data"]["expireTimeSeconds"] == 7776000
    token = body["data"]["token"]
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims == {"UserID": "imAdmin", "PlatformID": 10, "exp": NOW + 7776000,
                      "iat": NOW - 5}


@pytest.mark.parametrize(("body", "expected"), [
    ({"secret": SECRET}, envelope(1001, "ArgsError", "userID is empty")),
    ({"secret": "wrong", "userID": ""}, envelope(1001, "ArgsError", "userID is empty")),
    ({"secret": "wrong", "userID": "imAdmin"}, envelope(1002, "NoPermissionError",
                                                        "secret invalid")),
    ({"secret": SECRET, "userID": "alice"}, envelope(
        1001, "ArgsError", "userID is error., userID=alice, adminUserID=[imAdmin]")),
])
async def test_admin_token_checks_in_order(openim, body: dict[str, Any],
                                           expected: dict[str, Any]) -> None:
    response = await openim.post("/auth/get_admin_token", body)
    assert response.status_code == 200
    assert response.json() == expected


async def test_wrong_secret_is_explained_without_the_secret(openim) -> None:
    response = await openim.post("/auth/get_admin_token", {"secret": "nope", "userID": "imAdmin"})
    explain = response.headers["x-emulator-explain"]
    assert "secret" in explain and SECRET not in explain


@pytest.mark.im_emulator_settings(explain=False)
async def test_the_explanation_can_be_turned_off(openim) -> None:
    response = await openim.post("/auth/get_admin_token", {"secret": "nope", "userID": "imAdmin"})
    assert response.json() == envelope(1002, "NoPermissionError", "secret invalid")
    assert "x-emulator-explain" not in response.headers


@pytest.mark.im_emulator_settings(openim_admin="root,imAdmin", openim_secret="s3cret")
async def test_admins_and_secret_come_from_settings(openim) -> None:
    ok = await openim.post("/auth/get_admin_token", {"secret": "s3cret", "userID": "root"})
    assert ok.json()["errCode"] == 0
    wrong = await openim.post("/auth/get_admin_token", {"secret": "s3cret", "userID": "x"})
    assert wrong.json()["errDlt"] == "userID is error., userID=x, adminUserID=[root imAdmin]"


@pytest.mark.im_emulator_settings(openim_token_expire_days=2)
async def test_the_token_lifetime_comes_from_settings(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW)
    response = await openim.post("/auth/get_admin_token", {"secret": SECRET, "userID": "imAdmin"})
    assert response.json()["data"]["expireTimeSeconds"] == 2 * 86400


# ---- get_user_token -----------------------------------------------------------------------

@pytest.mark.parametrize(("body", "expected"), [
    ({"userID": "imAdmin", "platformID": 1}, envelope(1002, "NoPermissionError",
                                                      "don't get Admin token")),
    ({"userID": "alice", "platformID": 10}, envelope(
        1002, "NoPermissionError", "platformID invalid. platformID must not be adminPlatformID")),
    ({"userID": "ghost", "platformID": 1}, envelope(1004, "RecordNotFoundError",
                                                    "record not found")),
])
async def test_get_user_token_errors(openim, body: dict[str, Any],
                                     expected: dict[str, Any]) -> None:
    response = await openim.post("/auth/get_user_token", body, token=await openim.admin_token())
    assert response.json() == expected


async def test_get_user_token_needs_an_admin(openim) -> None:
    token = await openim.user_token("alice")
    response = await openim.post("/auth/get_user_token", {"userID": "bob", "platformID": 1},
                                 token=token)
    assert response.json() == envelope(1002, "NoPermissionError",
                                       "user alice is not admin userID")


# ---- parse_token --------------------------------------------------------------------------

async def test_parse_token_needs_no_token_header(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    token = await openim.user_token("bob", 2)
    response = await openim.post("/auth/parse_token", {"token": token})
    assert response.json() == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {
        "userID": "bob", "platformID": 2, "expireTimeSeconds": NOW + 7776000}}
    bad = await openim.post("/auth/parse_token", {"token": "x"})
    assert bad.json() == envelope(1503, "TokenMalformedError")


# ---- the token service --------------------------------------------------------------------

def service(clock: ManualClock, secret: str = SECRET) -> TokenService:
    return TokenService(secret, ("imAdmin",), expire_days=1, clock=clock)


def code_of(tokens: TokenService, token: str) -> int:
    with pytest.raises(VendorError) as caught:
        tokens.verify(token)
    return caught.value.code


def test_a_verified_token_still_expires_on_the_clock() -> None:
    clock = ManualClock(START)
    tokens = service(clock)
    for user in ("imAdmin", "u1"):
        token = tokens.issue(user, 1)
        clock.set(START)
        assert tokens.verify(token).user_id == user
        assert tokens.verify(token).user_id == user
        clock.advance(86400)
        assert code_of(tokens, token) == e.TOKEN_EXPIRED
        clock.set(START - 10)
        assert code_of(tokens, token) == e.TOKEN_UNKNOWN
        clock.set(START)
        assert tokens.verify(token).user_id == user


def test_a_verified_token_is_still_kicked_by_a_newer_one() -> None:
    clock = ManualClock(START)
    tokens = service(clock)
    first = tokens.issue("u1", 1)
    assert tokens.verify(first).platform_id == 1
    clock.advance(1)
    tokens.issue("u1", 1)
    assert code_of(tokens, first) == e.TOKEN_KICKED


def test_a_token_one_service_accepted_is_checked_afresh_by_another() -> None:
    clock = ManualClock(START)
    issuer = service(clock)
    token = issuer.issue("u1", 1)
    assert issuer.verify(token).user_id == "u1"
    assert code_of(service(clock), token) == e.TOKEN_NOT_EXIST
    assert code_of(service(clock, secret="other"), token) == e.TOKEN_UNKNOWN
    admin = issuer.issue("imAdmin", 10)
    assert issuer.verify(admin).user_id == "imAdmin"
    assert code_of(service(clock, secret="other"), admin) == e.TOKEN_UNKNOWN


def test_many_tokens_in_turn_each_verify_and_the_first_still_does() -> None:
    clock = ManualClock(START)
    tokens = service(clock)
    issued = []
    for second in range(1500):
        clock.set(START + second)
        issued.append(tokens.issue("imAdmin", 1))
    for token in issued:
        assert tokens.verify(token).user_id == "imAdmin"
    assert tokens.verify(issued[0]).user_id == "imAdmin"
