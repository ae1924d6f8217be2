"""Concurrent writes: a race for one OpenIM group id over the real socket has exactly one winner,
and a thousand concurrent creates spread over the four vendors' write APIs all land, as the
admin state and each vendor's own read API show."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from emulator.pytest_plugin import InProcessEmulator, ServerEmulator
from emulator.signing import OpenIMAuth, RongCloudAuth, TencentAuth, ZegoAuth

pytestmark = pytest.mark.anyio

OWNER, MEMBER = "cc-owner", "cc-member"
PER_VENDOR = 250


def openim_create(group_id: str) -> dict[str, Any]:
    return {"groupInfo": {"groupID": group_id, "groupName": group_id, "groupType": 2},
            "ownerUserID": OWNER, "memberUserIDs": [MEMBER]}


async def admin_token(client: httpx.AsyncClient) -> str:
    answer = await client.post("/auth/get_admin_token", headers={"operationID": "op-token"},
                               json={"secret": "openIM123", "userID": "imAdmin"})
    token: str = answer.json()["data"]["token"]
    return token


async def test_one_group_id_raced_a_hundred_times(im_emulator_server: ServerEmulator) -> None:
    im_emulator_server.seed({"users": [{"id": OWNER}, {"id": MEMBER}]})
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=im_emulator_server.url, limits=limits,
                                 timeout=30) as client:
        auth = OpenIMAuth(token=await admin_token(client))
        answers = await asyncio.gather(*[
            client.post("/group/create_group", auth=auth, json=openim_create("raced"))
            for _ in range(100)])
    assert {response.status_code for response in answers} == {200}
    codes = Counter(response.json()["errCode"] for response in answers)
    assert codes == Counter({0: 1, 1202: 99})
    refused = {response.json()["errMsg"] for response in answers if response.json()["errCode"]}
    assert refused == {"GroupIDExisted"}
    state = im_emulator_server.admin.get("/_emulator/state").json()
    assert [g["id"] for g in state["groups"]].count("raced") == 1
    members = sorted(m["user_id"] for m in state["memberships"] if m["group_id"] == "raced")
    assert members == sorted([OWNER, MEMBER])
    im_emulator_server.assert_called("openim", "/group/create_group", times=100)
    assert len(im_emulator_server.journal(endpoint="/group/create_group", code=1202)) == 99


def creates(clock: Any) -> list[tuple[str, str, dict[str, Any], httpx.Auth]]:
    """(vendor, group id, request keywords, auth) for PER_VENDOR creates on each vendor."""
    zego, rongcloud = ZegoAuth(clock=clock), RongCloudAuth(clock=clock.now)
    tencent = TencentAuth(clock=clock)
    made: list[tuple[str, str, dict[str, Any], httpx.Auth]] = []
    for i in range(PER_VENDOR):
        made.append(("openim", f"oim-{i}", {"url": "/group/create_group",
                                            "json": openim_create(f"oim-{i}")}, None))
        made.append(("zego", f"zego-{i}", {
            "url": "/", "params": {"Action": "CreateGroup"},
            "json": {"GroupId": f"zego-{i}", "GroupName": f"Z{i}", "GroupOwner": OWNER,
                     "UserIds": [MEMBER]}}, zego))
        made.append(("rongcloud", f"rc-{i}", {
            "url": "/group/create.json",
            "data": {"userId": [OWNER, MEMBER], "groupId": f"rc-{i}", "groupName": f"R{i}"}},
            rongcloud))
        made.append(("tencent", f"tc-{i}", {
            "url": "/v4/group_open_http_svc/create_group",
            "json": {"Owner_Account": OWNER, "Type": "Public", "Name": f"T{i}",
                     "GroupId": f"tc-{i}", "MemberList": [{"Member_Account": MEMBER}]}},
            tencent))
    return made


def succeeded(vendor: str, response: httpx.Response) -> bool:
    body = response.json()
    return {"openim": lambda: body["errCode"] == 0, "zego": lambda: body["Code"] == 0,
            "rongcloud": lambda: body["code"] == 200,
            "tencent": lambda: body["ErrorCode"] == 0}[vendor]()


async def openim_ids(client: httpx.AsyncClient, auth: httpx.Auth, user: str) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        data = (await client.post("/group/get_joined_group_list", auth=auth, json={
            "fromUserID": user, "pagination": {"pageNumber": page, "showNumber": 100}}
        )).json()["data"]
        ids += [group["groupID"] for group in data.get("groups") or []]
        if page * 100 >= data["total"]:
            return ids
        page += 1


async def zego_ids(client: httpx.AsyncClient, auth: httpx.Auth, user: str) -> list[str]:
    ids: list[str] = []
    cursor = ""
    while True:
        page = (await client.post("/", params={"Action": "QueryGroupsInfoOfUser"}, auth=auth,
                                  json={"FromUserId": user, "Limit": 100, "Next": cursor})).json()
        ids += [group["GroupId"] for group in page["GroupInfoList"]]
        cursor = page["NextRsp"]
        if cursor == "0":
            return ids


async def rongcloud_ids(client: httpx.AsyncClient, auth: httpx.Auth, user: str) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        groups = (await client.post("/user/group/query.json", auth=auth, data={
            "userId": user, "page": str(page), "size": "100"})).json()["groups"]
        if not groups:
            return ids
        ids += [group["id"] for group in groups]
        page += 1


async def tencent_ids(client: httpx.AsyncClient, auth: httpx.Auth, user: str) -> list[str]:
    ids: list[str] = []
    while True:
        page = (await client.post("/v4/group_open_http_svc/get_joined_group_list", auth=auth,
                                  json={"Member_Account": user, "Limit": 100,
                                        "Offset": len(ids)})).json()
        ids += [group["GroupId"] for group in page["GroupIdList"]]
        if len(ids) >= page["TotalCount"]:
            return ids


@pytest.mark.im_emulator_settings(rate_limits=False, journal_size=5000)
async def test_a_thousand_concurrent_creates_over_four_vendors(
        im_emulator: InProcessEmulator) -> None:
    await im_emulator.seed({"users": [{"id": OWNER}, {"id": MEMBER}]})
    client = im_emulator.client
    openim = OpenIMAuth(token=await admin_token(client))
    made = creates(im_emulator.clock)
    answers = await asyncio.gather(*[
        client.post(auth=auth or openim, **request) for _, _, request, auth in made])
    failed = [(vendor, response.text) for (vendor, _, _, _), response in zip(made, answers)
              if response.status_code != 200 or not succeeded(vendor, response)]
    assert failed == []
    wanted = {group_id for _, group_id, _, _ in made}
    assert len(wanted) == 4 * PER_VENDOR

    state = (await client.get("/_emulator/state")).json()
    assert wanted <= {group["id"] for group in state["groups"]}
    memberships = Counter(m["group_id"] for m in state["memberships"] if m["group_id"] in wanted)
    assert all(memberships[group_id] >= 2 for group_id in wanted)

    listed = {
        "openim": await openim_ids(client, openim, MEMBER),
        "zego": await zego_ids(client, ZegoAuth(clock=im_emulator.clock), MEMBER),
        "rongcloud": await rongcloud_ids(client, RongCloudAuth(clock=im_emulator.clock.now),
                                         MEMBER),
        "tencent": await tencent_ids(client, TencentAuth(clock=im_emulator.clock), MEMBER),
    }
    for vendor, ids in listed.items():
        assert len(ids) == len(set(ids)), vendor
        assert set(ids) == wanted, vendor
    for vendor, endpoint, code in (("openim", "/group/create_group", 0),
                                   ("zego", "CreateGroup", 0),
                                   ("rongcloud", "/group/create.json", 200),
                                   ("tencent", "group_open_http_svc/create_group", 0)):
        calls = im_emulator.assert_called(vendor, endpoint, times=PER_VENDOR)
        assert {(call["status"], call["code"]) for call in calls} == {(200, code)}
