"""Real clients meeting injected faults over the socket: each sees the vendor error exactly as
the real service would send it, and the journal records the call."""

from __future__ import annotations

import json

from rongcloud.rongcloud import RongCloud
from tencentcloud_im.tcim_client import TCIMClient

from emulator.pytest_plugin import ServerEmulator


def test_rongcloud_sdk_sees_the_injected_1000(im_emulator_server: ServerEmulator) -> None:
    im_emulator_server.fault(vendor="rongcloud", endpoint="/user/group/query.json",
                             user="li_lei", times=1, error={"code": 1000})
    group = RongCloud("test-app-key", "test-app-secret",
                      host_url=im_emulator_server.url).get_group()
    answer = group.query_user_group("li_lei")
    assert json.loads(answer) == {"code": 1000,
                                  "errorMessage": "Internal server error, please try again later."}
    assert group.query_user_group("li_lei")["code"] == 200
    entries = im_emulator_server.assert_called("rongcloud", "/user/group/query.json", times=2)
    assert [(e["status"], e["code"]) for e in entries] == [(500, 1000), (200, 200)]


def test_tencent_sdk_sees_the_injected_10002(im_emulator_server: ServerEmulator) -> None:
    im_emulator_server.fault(vendor="tencent", endpoint="group_open_http_svc/get_joined_group_list",
                             app="1400000000", times=1, error={"code": 10002})
    im = TCIMClient(1400000000, "test-secret-key", "administrator",
                    tencent_url=f"{im_emulator_server.url}/v4")
    failed = im.get_joined_groups("alice")
    assert (failed.status_code, failed.json()) == (200, {
        "ActionStatus": "FAIL", "ErrorCode": 10002,
        "ErrorInfo": "internal server error, please try again"})
    assert im.get_joined_groups("alice").json()["ErrorCode"] == 0
    entries = im_emulator_server.assert_called(
        "tencent", "/v4/group_open_http_svc/get_joined_group_list", times=2)
    assert [e["code"] for e in entries] == [10002, 0]
