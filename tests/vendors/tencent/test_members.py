"""``group_open_http_svc/add_group_member``: per-member results and errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.tencent.helpers import TencentClient, OK, fail

pytestmark = pytest.mark.anyio


async def test_add_group_member_results(im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000500)
    result = await tencent.post("group_open_http_svc/add_group_member", {
        "GroupId": "g-hiking", "Silence": 1,
        "MemberList": [{"Member_Account": "alice"}, {"Member_Account": "zoe"},
                       {"Member_Account": "ghost"}, {"Member_Account": "zoe"}]})
    assert result == {**OK, "MemberList": [{"Member_Account": "alice", "Result": 2},
                                           {"Member_Account": "zoe", "Result": 1},
                                           {"Member_Account": "ghost", "Result": 0}]}
    listed = await tencent.post("group_open_http_svc/get_joined_group_list", {
        "Member_Account": "zoe", "GroupType": "Private",
        "ResponseFilter": {"SelfInfoFilter": ["Role", "JoinTime"]}})
    assert {"GroupId": "g-hiking", "SelfInfo": {"Role": "Member", "JoinTime": 1700000500}} in (
        listed["GroupIdList"])


@pytest.mark.parametrize("body, code, info", [
    ({"MemberList": [{"Member_Account": "bob"}]}, 10004, "invalid parameter: GroupId is required"),
    ({"GroupId": "g-hiking"}, 10004, "invalid parameter: MemberList is required"),
    ({"GroupId": "g-hiking", "MemberList": []}, 10004,
     "invalid parameter: MemberList must not be empty"),
    ({"GroupId": "g-hiking", "MemberList": [{"Member_Account": f"u{i}"} for i in range(301)]},
     10004, "invalid parameter: MemberList has more than 300 items"),
    ({"GroupId": "g-hiking", "MemberList": [{}]}, 10004,
     "invalid parameter: MemberList[0].Member_Account is required"),
    ({"GroupId": "no-such-group", "MemberList": [{"Member_Account": "bob"}]}, 10015,
     "group id not found"),
    ({"GroupId": "g-old-project", "MemberList": [{"Member_Account": "bob"}]}, 10010,
     "the group does not exist or has been dismissed"),
    ({"GroupId": "g-live", "MemberList": [{"Member_Account": "bob"}]}, 10007,
     "insufficient permission for this operation: AVChatRoom members join from the client SDK"),
])
async def test_add_group_member_errors(im_emulator: Any, tencent: TencentClient, body: dict[str, Any], code: int,
                                       info: str) -> None:
    assert await tencent.post("group_open_http_svc/add_group_member", body) == fail(
        code, info)
