"""Real SDKs and clients, unmodified and given no base URL at all, against ``intercept()``:
each sends to the vendor's real host (``https://console.tim.qq.com``, RongCloud's default
``api-cn.ronghub.com``, ``https://zim-api.zego.im``, an OpenIM host the test names) and the
in-process emulator answers, with no socket."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any

import aiohttp
import httpx
import pytest
import requests
from rongcloud.rongcloud import RongCloud
from tencentcloud_im.tcim_client import GroupMemObj, GroupObj, TCIMClient
from timsdk.tim_client import TimClient

from emulator import intercept
from emulator.intercept import InterceptedEmulator

OK = {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}
ZEGO_APP_ID = 1234567890
ZEGO_SECRET = "0123456789abcdef0123456789abcdef"
OPENIM_HOST = "openim.backend.internal:10002"


def test_timsdk_creates_a_group_and_lists_joined_groups(
        im_emulator_intercept: InterceptedEmulator) -> None:
    im_emulator_intercept.sync.seed({"users": [{"id": "tim-owner"}, {"id": "tim-member"}]})
    tim = TimClient(1400000000, "test-secret-key", "administrator")
    created = tim.group_open_http_svc.create_group(
        "TIM Group", owner_account="tim-owner", member_list=[{"Member_Account": "tim-member"}])
    assert created["ErrorCode"] == 0 and created["GroupId"].startswith("@TGS#")
    joined = tim.group_open_http_svc.get_joined_group_list("tim-member")
    assert joined == {**OK, "TotalCount": 1, "GroupIdList": [{"GroupId": created["GroupId"]}]}
    im_emulator_intercept.assert_called("tencent", "group_open_http_svc/create_group", times=1)


def test_tencentcloud_sdk_with_its_default_host(
        im_emulator_intercept: InterceptedEmulator) -> None:
    im = TCIMClient(1400000000, "test-secret-key", "administrator")
    for account in ("tc-owner", "tc-admin"):
        assert im.add_single_user(account, account.upper(), "").json() == OK
    group = GroupObj("tc-owner", "Public", "TC Group",
                     mem_list=[GroupMemObj("tc-admin", "Admin")], group_id="tc-group")
    assert im.create_group(group).json() == {**OK, "GroupId": "tc-group"}
    listed = im.get_joined_groups("tc-admin", limit_count=10).json()
    assert listed == {**OK, "TotalCount": 1, "GroupIdList": [{"GroupId": "tc-group"}]}
    wrong = TCIMClient(1400000000, "not-the-key", "administrator").get_joined_groups("tc-owner")
    assert wrong.json()["ErrorCode"] == 70009


def test_rongcloud_sdk_with_its_default_hosts(
        im_emulator_intercept: InterceptedEmulator) -> None:
    group = RongCloud("test-app-key", "test-app-secret").get_group()  # api-cn.ronghub.com
    assert group.create(["rc-a", "rc-b"], "rc-group", "RC Group") == {"code": 200}
    assert group.query_user_group("rc-b") == {"code": 200, "groups": [
        {"name": "RC Group", "id": "rc-group"}]}
    assert group.query("rc-group") == {"code": 200, "users": [{"id": "rc-a"}, {"id": "rc-b"}]}
    wrong = RongCloud("test-app-key", "wrong").get_group().query_user_group("rc-a")
    assert json.loads(wrong)["code"] == 1004  # HTTP 401: the SDK hands back the raw body


def zego_call(action: str, body: dict[str, Any]) -> Any:
    """ZEGO's documented recipe with ``requests``: md5(AppId + nonce + ServerSecret + timestamp),
    the public parameters in the query, the business ones as JSON, to the real host."""
    nonce = secrets.token_hex(8)
    timestamp = int(time.time())
    signature = hashlib.md5(f"{ZEGO_APP_ID}{nonce}{ZEGO_SECRET}{timestamp}".encode()).hexdigest()
    params = {"Action": action, "AppId": ZEGO_APP_ID, "SignatureNonce": nonce,
              "Timestamp": timestamp, "Signature": signature, "SignatureVersion": "2.0",
              "IsTest": "false"}
    response = requests.post("https://zim-api.zego.im/", params=params, json=body, timeout=10)
    assert response.status_code == 200
    return response.json()


def test_zego_docs_recipe_against_the_real_host(
        im_emulator_intercept: InterceptedEmulator) -> None:
    users = [{"UserId": f"zg-{name}", "UserName": name} for name in ("a", "b")]
    assert zego_call("UserRegister", {"UserInfo": users})["Code"] == 0
    assert zego_call("CreateGroup", {"GroupId": "zg-g", "GroupName": "G", "GroupOwner": "zg-a",
                                     "UserIds": ["zg-b"]})["Code"] == 0
    page = zego_call("QueryGroupsInfoOfUser", {"FromUserId": "zg-b", "Limit": 10, "Next": ""})
    assert [g["GroupId"] for g in page["GroupInfoList"]] == ["zg-g"]
    assert zego_call("NoSuchAction", {})["Code"] == 100000007
    im_emulator_intercept.assert_called("zego", times=4)


def openim_headers(token: str | None = None) -> dict[str, str]:
    headers = {"operationID": secrets.token_hex(4)}
    if token:
        headers["token"] = token
    return headers


@pytest.mark.im_emulator_intercept(hosts={"openim": [OPENIM_HOST]})
def test_httpx_against_a_named_openim_host(im_emulator_intercept: InterceptedEmulator) -> None:
    with httpx.Client(base_url=f"http://{OPENIM_HOST}") as client:
        answer = client.post("/auth/get_admin_token", headers=openim_headers(),
                             json={"secret": "openIM123", "userID": "imAdmin"}).json()
        token = answer["data"]["token"]
        joined = client.post("/group/get_joined_group_list", headers=openim_headers(token),
                             json={"fromUserID": "alice",
                                   "pagination": {"pageNumber": 1, "showNumber": 5}}).json()
    assert joined["errCode"] == 0 and len(joined["data"]["groups"]) == 5


@pytest.mark.anyio
@pytest.mark.im_emulator_intercept(hosts={"openim": [OPENIM_HOST]})
async def test_aiohttp_against_a_named_openim_host(
        im_emulator_intercept: InterceptedEmulator) -> None:
    await im_emulator_intercept.seed({"users": [{"id": "ah-a"}], "groups": [
        {"id": "ah-g", "name": "AH", "type": "work", "owner": "ah-a"}]})
    async with aiohttp.ClientSession(f"http://{OPENIM_HOST}") as session:
        async with session.post("/auth/get_admin_token", headers=openim_headers(),
                                json={"secret": "openIM123", "userID": "imAdmin"}) as response:
            token = (await response.json())["data"]["token"]
        for _ in range(2):  # the second request reuses the pooled connection
            async with session.post("/group/get_joined_group_list",
                                    headers=openim_headers(token),
                                    json={"fromUserID": "ah-a", "pagination": {
                                        "pageNumber": 1, "showNumber": 10}}) as response:
                assert response.status == 200
                joined = await response.json()
            assert [g["groupID"] for g in joined["data"]["groups"]] == ["ah-g"]
    im_emulator_intercept.assert_called("openim", "/group/get_joined_group_list", times=2)


def test_the_decorator_form() -> None:
    @intercept()
    def backend_job(im_emulator: InterceptedEmulator) -> Any:
        tim = TimClient(1400000000, "test-secret-key", "administrator")
        return tim.group_open_http_svc.get_joined_group_list("alice")["TotalCount"]

    assert backend_job() > 0
