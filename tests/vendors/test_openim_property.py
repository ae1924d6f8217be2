"""Property: whatever the path, headers and body, an OpenIM request gets HTTP 200 with the
envelope (errCode, errMsg, errDlt first), or gin's documented plain 404 — never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.anyio

PATHS = ["/group/get_joined_group_list", "/group/create_group", "/auth/get_admin_token",
         "/auth/get_user_token", "/auth/parse_token", "/user/user_register"]
KEYS = ["fromUserID", "pagination", "pageNumber", "showNumber", "groupInfo", "groupType",
        "ownerUserID", "memberUserIDs", "adminUserIDs", "groupID", "users", "userID",
        "nickname", "secret", "token", "platformID", "FROMUSERID", "ſhowNumber"]
text = st.text(max_size=30)
ids = st.sampled_from(["alice", "bob", "imAdmin", "ghost", "g-hiking", "", "a:b"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | text | ids,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | text, inner, max_size=4),
    max_leaves=12)
plausible = st.fixed_dictionaries({}, optional={
    "fromUserID": ids | json_values, "ownerUserID": ids,
    "pagination": st.fixed_dictionaries({}, optional={
        "pageNumber": st.integers(-3, 2**32) | json_values,
        "showNumber": st.integers(-3, 2**32) | json_values}) | json_values,
    "memberUserIDs": st.lists(ids, max_size=3) | json_values,
    "adminUserIDs": st.lists(ids, max_size=2),
    "groupInfo": st.fixed_dictionaries({}, optional={
        "groupType": st.sampled_from([0, 1, 2, 3, "2"]), "groupID": ids | text,
        "groupName": text, "status": st.integers(-2**31, 2**31 - 1),
        "memberCount": st.integers(-1, 2**33)}) | json_values,
    "users": st.lists(st.fixed_dictionaries({"userID": ids | text}, optional={
        "nickname": text | json_values}) | st.none(), max_size=3) | json_values,
    "secret": st.sampled_from(["openIM123", "x"]), "userID": ids | text,
    "platformID": st.integers(-1, 11) | json_values, "token": text})
bodies = (st.binary(max_size=60) | plausible.map(lambda v: json.dumps(v).encode())
          | plausible.map(lambda v: json.dumps(v).encode()) | json_values.map(
              lambda v: json.dumps(v).encode()))
header_names = st.sampled_from(["operationID", "OperationID", "token", "TOKEN",
                                "reqFuncName", "Accept-Encoding", "Content-Type"]) \
    | st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,12}", fullmatch=True)
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)


@pytest.mark.im_emulator_settings(rate_limits=False)
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS) | st.sampled_from(PATHS) | st.sampled_from(["/", "/x/y"]),
       use_token=st.sampled_from(["admin", "admin", "garbage", "none"]),
       with_op=st.sampled_from([True, True, True, False]),
       extra=st.lists(st.tuples(header_names, header_values), max_size=4),
       method=st.sampled_from(["POST", "POST", "POST", "GET", "PUT", "OPTIONS"]), body=bodies)
async def test_any_request_gets_the_openim_envelope(im_emulator, path: str, use_token: str,
                                                    with_op: bool,
                                                    extra: list[tuple[str, str]], method: str,
                                                    body: bytes) -> None:
    headers: list[tuple[str, str]] = []
    if with_op:
        headers.append(("operationID", "prop"))
    if use_token == "admin":
        token = await im_emulator.client.post("/auth/get_admin_token",
                                              headers={"operationID": "t"},
                                              json={"secret": "openIM123", "userID": "imAdmin"})
        headers.append(("token", token.json()["data"]["token"]))
    elif use_token == "garbage":
        headers.append(("token", "e30.e30.x"))
    headers += extra
    response = await im_emulator.client.request(method, path, headers=headers,
                                                content=body if method != "GET" else None)
    if response.status_code == 404:
        assert response.text == "404 page not found"
        assert method != "POST" or path not in PATHS
        return
    assert response.status_code == 200
    data: Any = response.json()
    if method == "OPTIONS":
        assert data == "Options Request!"
        return
    assert list(data)[:3] == ["errCode", "errMsg", "errDlt"]
    assert isinstance(data["errCode"], int) and data["errCode"] != 500
    assert isinstance(data["errMsg"], str) and isinstance(data["errDlt"], str)
    assert ("data" in data) == (data["errCode"] == 0 and path not in (
        "/user/user_register",))
