"""The gateway's header checks and their order (operationID, then token), every token error a
request can get, and authverify's access rules for user tokens."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.vendors.openim.helpers import JOINED, NOW, claims, envelope, joined_body, sign

pytestmark = pytest.mark.anyio


async def test_operation_id_is_checked_before_the_token(openim) -> None:
    response = await openim.post(JOINED, joined_body(), op=None)
    assert response.status_code == 200
    assert response.json() == envelope(1001, "ArgsError", "header must have operationID")
    empty = await openim.post(JOINED, joined_body(), op="")
    assert empty.json() == envelope(1001, "ArgsError", "header must have operationID")


async def test_missing_token(openim) -> None:
    response = await openim.post(JOINED, joined_body())
    assert response.json() == envelope(1001, "ArgsError", "header must have token")
    empty = await openim.post(JOINED, joined_body(), token="")
    assert empty.json() == envelope(1001, "ArgsError", "header must have token")


async def test_header_names_in_any_case_and_extra_headers(openim) -> None:
    token = await openim.admin_token()
    response = await openim.client.post(
        JOINED, content=json.dumps(joined_body()),
        headers={"OPERATIONID": "x", "Token": token, "reqFuncName": "GetJoinedGroupListPage",
                 "Content-Type": "text/plain"})
    assert response.json()["errCode"] == 0


@pytest.mark.parametrize(("token", "expected"), [
    ("abc", envelope(1503, "TokenMalformedError")),
    ("a.b", envelope(1503, "TokenMalformedError")),
    ("a.b.c.d", envelope(1503, "TokenMalformedError")),
    ("!!!.???.***", envelope(1503, "TokenMalformedError")),
    (sign(claims(), "other-secret"), envelope(1505, "signature is invalid")),
    (sign(claims(exp=NOW - 10), "other-secret"), envelope(1505, "signature is invalid")),
    (sign(claims(), alg="none"), envelope(1505, "'none' signature type is not allowed")),
    (sign(claims(exp=NOW)), envelope(1501, "TokenExpiredError")),
    (sign(claims(nbf=NOW + 60)), envelope(1504, "TokenNotValidYetError")),
    (sign(claims(iat=NOW + 60)), envelope(1505, "token used before issued")),
    (sign(claims(UserID=7)), envelope(1503, "TokenMalformedError")),
    (sign(claims(exp="soon")), envelope(1503, "TokenMalformedError")),
    (sign(claims("alice", PlatformID=1)), envelope(1507, "TokenNotExistError")),
])
async def test_token_errors(openim, im_emulator, token: str, expected: dict[str, Any]) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    response = await openim.post(JOINED, joined_body(), token=token)
    assert response.status_code == 200
    assert response.json() == expected


async def test_hs512_with_the_secret_is_accepted(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW)
    response = await openim.post(JOINED, joined_body(), token=sign(claims(), alg="HS512"))
    assert response.json()["errCode"] == 0


async def test_admin_token_expires_on_the_manual_clock(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    token = await openim.admin_token()
    im_emulator.clock.advance(7776000 - 1)
    ok = await openim.post(JOINED, joined_body(), token=token)
    assert ok.json()["errCode"] == 0
    im_emulator.clock.advance(1)
    expired = await openim.post(JOINED, joined_body(), token=token)
    assert expired.json() == envelope(1501, "TokenExpiredError")


async def test_a_token_accepted_once_is_still_checked_against_the_clock(openim,
                                                                        im_emulator) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    for token in (await openim.admin_token(), await openim.user_token("alice")):
        for _ in range(2):
            assert (await openim.post(JOINED, joined_body(), token=token)).json()["errCode"] == 0
        im_emulator.clock.set(NOW + 7776000)
        expired = await openim.post(JOINED, joined_body(), token=token)
        assert expired.json() == envelope(1501, "TokenExpiredError")
        im_emulator.clock.set(NOW - 10)
        early = await openim.post(JOINED, joined_body(), token=token)
        assert early.json() == envelope(1505, "token used before issued")
        im_emulator.clock.set(NOW)
        assert (await openim.post(JOINED, joined_body(), token=token)).json()["errCode"] == 0


@pytest.mark.im_emulator_settings(openim_secret="another-secret")
async def test_a_token_of_another_secret_is_refused(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW)
    mine = await openim.admin_token(secret="another-secret")
    assert (await openim.post(JOINED, joined_body(), token=mine)).json()["errCode"] == 0
    theirs = sign(claims())
    for _ in range(2):
        refused = await openim.post(JOINED, joined_body(), token=theirs)
        assert refused.json() == envelope(1505, "signature is invalid")


async def test_user_token_for_oneself_works_and_for_someone_else_is_1002(openim) -> None:
    token = await openim.user_token("alice")
    own = await openim.post(JOINED, joined_body("alice"), token=token)
    assert own.json()["errCode"] == 0 and own.json()["data"]["total"] > 0
    other = await openim.post(JOINED, joined_body("bob"), token=token)
    assert other.json() == envelope(1002, "NoPermissionError", "ownerUserID, bob=MISSING")


async def test_a_new_user_token_kicks_the_older_one_on_that_platform(openim,
                                                                    im_emulator) -> None:
    im_emulator.clock.freeze()
    first = await openim.user_token("alice", 1)
    assert (await openim.post(JOINED, joined_body(), token=first)).json()["errCode"] == 0
    other_platform = await openim.user_token("alice", 5)
    im_emulator.clock.advance(1)
    second = await openim.user_token("alice", 1)
    kicked = await openim.post(JOINED, joined_body(), token=first)
    assert kicked.json() == envelope(1506, "TokenKickedError")
    for token in (second, other_platform):
        ok = await openim.post(JOINED, joined_body(), token=token)
        assert ok.json()["errCode"] == 0
