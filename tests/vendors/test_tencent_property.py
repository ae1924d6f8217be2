"""Any query and any body on any /v4/ path get HTTP 200 and Tencent's envelope, never a 500 or an
internal error."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.signing import tencent_usersig

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

COMMANDS = ["group_open_http_svc/get_joined_group_list", "group_open_http_svc/create_group",
            "group_open_http_svc/add_group_member", "group_open_http_svc/destroy_group",
            "im_open_login_svc/account_import"]
FIELDS = ["Member_Account", "Limit", "Offset", "GroupType", "WithHugeGroups",
          "WithNoActiveGroups", "ResponseFilter", "GroupBaseInfoFilter", "SelfInfoFilter",
          "Type", "Name", "GroupId", "Owner_Account", "MemberList", "Role", "UserID",
          "Identifier", "Nick", "FaceUrl", "Introduction", "MaxMemberCount", "ApplyJoinOption",
          "Silence", "Notification"]
VALUES = ["alice", "heavy", "g-hiking", "g-live", "Public", "Private", "AVChatRoom", "Admin",
          "Name", "Role", "MsgSeq", "FreeAccess", ""]

scalars = (st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1)
           | st.sampled_from([-2**63, 2**63, 2**64 - 1, 2**32, -1, 0, 1, 5000, 5001])
           | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(VALUES)
           | st.text(max_size=40))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), inner, max_size=6),
    max_leaves=25)
bodies = (st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8).map(orjson.dumps)
          | json_values.map(orjson.dumps) | st.binary(max_size=200))
paths = st.sampled_from(COMMANDS) | st.text(max_size=40).map(lambda s: quote(s, safe="/"))
query_keys = st.sampled_from(["sdkappid", "identifier", "usersig", "random", "contenttype"])
raw_queries = st.dictionaries(query_keys | st.text(max_size=8), st.text(max_size=60),
                              max_size=6)


def signed_query(emulator: Any) -> dict[str, str]:
    return {"sdkappid": "1400000000", "identifier": "administrator", "random": "1",
            "contenttype": "json",
            "usersig": tencent_usersig(1400000000, "test-secret-key", "administrator",
                                       clock=emulator.clock)}


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=paths, body=bodies, query=raw_queries, sign=st.integers(0, 3),
       method=st.sampled_from(["POST", "POST", "POST", "GET", "PUT"]))
async def test_any_request_gets_the_envelope(im_emulator: Any, path: str, body: bytes,
                                             query: dict[str, str], sign: int,
                                             method: str) -> None:
    params = {**query, **signed_query(im_emulator)} if sign else query
    response = await im_emulator.client.request(method, f"/v4/{path}", params=params,
                                                content=body)
    assert response.status_code == 200
    result = response.json()
    assert result["ActionStatus"] in ("OK", "FAIL")
    assert isinstance(result["ErrorInfo"], str)
    assert isinstance(result["ErrorCode"], int)
    assert (result["ActionStatus"] == "OK") == (result["ErrorCode"] == 0)
    assert result["ErrorCode"] != 10002, result
    assert list(result)[:3] == ["ActionStatus", "ErrorInfo", "ErrorCode"]
