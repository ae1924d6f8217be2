"""Property: whatever the query string, method and body, a ZEGO request gets HTTP 200 and the
ZEGO envelope (Code, Message, RequestId), never a 500 or a traceback."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.vendors.zego.client import signed_params

pytestmark = pytest.mark.anyio

APP_ID = 1234567890
SECRET = "0123456789abcdef0123456789abcdef"
ACTIONS = ["QueryGroupsInfoOfUser", "UserRegister", "CreateGroup", "InviteUsersIntoGroup"]
NAMES = ["AppId", "SignatureNonce", "Timestamp", "SignatureVersion", "Signature", "IsTest",
         "FromUserId", "Limit", "Next", "GroupId", "GroupOwner", "UserIds", "UserIds[]",
         "UserInfo", "GroupMemberInfos", "GroupName"]


def dumps(value: Any) -> bytes:
    """JSON bytes, big integers and lone surrogates included."""
    return json.dumps(value).encode()


text = st.text(max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | text | st.sampled_from(["alice", "bob", "heavy", "g-hiking", "", "0", "10"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(NAMES + ["UserId", "EnterGroupTime", "UserName"]) | text,
                      inner, max_size=4),
    max_leaves=12)
ids = st.sampled_from(["alice", "bob", "heavy", "ghost", "g-hiking", "g-old-project", "#x", ""])
plausible = st.fixed_dictionaries({}, optional={
    "FromUserId": ids, "GroupOwner": ids, "GroupId": ids | text,
    "Limit": st.sampled_from([1, "2", 100, 0, 101, "x", 2.0]),
    "Next": st.sampled_from(["", "0", "AAAAAr8EiFX_aw"]) | text,
    "UserIds": st.lists(ids, max_size=3),
    "UserInfo": st.lists(st.fixed_dictionaries({"UserId": ids | text}, optional={
        "UserName": text, "UserAvatar": json_values}), max_size=3),
    "GroupMemberInfos": st.lists(st.fixed_dictionaries({"UserId": ids}, optional={
        "EnterGroupTime": st.integers(-5, 2**64)}), max_size=3),
    "GroupName": text})
bodies = (st.binary(max_size=60) | plausible.map(dumps) | plausible.map(dumps)
          | st.dictionaries(st.sampled_from(NAMES) | text, json_values, max_size=5).map(
              dumps)
          | json_values.map(dumps))
pairs = st.lists(st.tuples(st.sampled_from(NAMES) | text, text), max_size=6)


@pytest.mark.im_emulator_settings(rate_limits=False)
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(action=st.sampled_from(ACTIONS) | st.sampled_from(ACTIONS) | text,
       signed=st.sampled_from([True, True, True, False]), extra=pairs,
       method=st.sampled_from(["POST", "POST", "GET", "PUT"]), body=bodies)
async def test_any_request_gets_the_zego_envelope(im_emulator, action: str, signed: bool,
                                                  extra: list[tuple[str, str]], method: str,
                                                  body: bytes) -> None:
    params: list[tuple[str, str]] = [("Action", action)]
    if signed:
        params += list(signed_params(APP_ID, SECRET, int(im_emulator.clock.now())).items())
    params += extra
    response = await im_emulator.client.request(method, "/?" + urlencode(params),
                                                content=body if method != "GET" else None)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    assert list(data)[:3] == ["Code", "Message", "RequestId"]
    assert isinstance(data["Code"], int) and data["Code"] != 1
    assert isinstance(data["Message"], str) and data["RequestId"]
