"""OpenIM's /auth/force_logout: admins only; every token of the user on that platform is then
kicked and refused with 1506 (open-im-server internal/rpc/auth/auth.go ForceLogout and
forceKickOff, protocol auth/auth.go ForceLogoutReq.Check)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.anyio

LOGOUT = "/auth/force_logout"
PROBE = "/group/get_joined_group_list"
KICKED = {"errCode": 1506, "errMsg": "TokenKickedError", "errDlt": ""}


async def probe(openim, token: str) -> Any:
    return await openim.call(PROBE, {"fromUserID": "alice", "pagination": {
        "pageNumber": 1, "showNumber": 10}}, token)


@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "userID is empty"),
    ({"platformID": 1}, "userID is empty"),
    ({"userID": "alice"}, "platformID is invalidate"),
    ({"userID": "alice", "platformID": 11}, "platformID is invalidate"),
    ({"userID": "alice", "platformID": -1}, "platformID is invalidate"),
])
async def test_force_logout_check(openim, body: dict[str, Any], dlt: str) -> None:
    answer = await openim.call(LOGOUT, body, await openim.admin_token())
    assert answer == {"errCode": 1001, "errMsg": "ArgsError", "errDlt": dlt}


async def test_force_logout_kicks_the_platforms_tokens(openim) -> None:
    web = await openim.user_token("alice", platform=5)
    ios = await openim.user_token("alice", platform=1)
    assert (await probe(openim, web))["errCode"] == 0
    answer = await openim.call(LOGOUT, {"userID": "alice", "platformID": 5},
                               await openim.admin_token())
    assert answer == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {}}
    assert await probe(openim, web) == KICKED
    # The other platform's token is untouched.
    assert (await probe(openim, ios))["errCode"] == 0
    # parse_token checks the token store too.
    parsed = await openim.call("/auth/parse_token", {"token": web}, await openim.admin_token())
    assert parsed == KICKED
    # A new login on that platform works again.
    openim.emulator.services.clock.advance(1)
    again = await openim.user_token("alice", platform=5)
    assert (await probe(openim, again))["errCode"] == 0


async def test_force_logout_needs_an_admin(openim) -> None:
    token = await openim.user_token("alice", platform=5)
    denied = await openim.call(LOGOUT, {"userID": "alice", "platformID": 5}, token)
    assert denied == {"errCode": 1002, "errMsg": "NoPermissionError",
                      "errDlt": "user alice is not admin userID"}
    assert (await probe(openim, token))["errCode"] == 0


async def test_force_logout_of_nobody_is_a_success(openim) -> None:
    for body in ({"userID": "ghost", "platformID": 3}, {"userID": "alice", "platformID": 2}):
        answer = await openim.call(LOGOUT, body, await openim.admin_token())
        assert answer["errCode"] == 0


async def test_force_logout_of_an_admin_keeps_admin_tokens(openim) -> None:
    token = await openim.admin_token()
    answer = await openim.call(LOGOUT, {"userID": "imAdmin", "platformID": 10}, token)
    assert answer["errCode"] == 0
    assert (await probe(openim, token))["errCode"] == 0
