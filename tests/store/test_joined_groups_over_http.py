"""Over HTTP, through the pytest plugin: a group created through any vendor shows in the next
joined-groups read of every vendor (read twice before, so a cached answer would show)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from emulator.pytest_plugin import InProcessEmulator
from emulator.signing import OpenIMAuth, RongCloudAuth, TencentAuth, ZegoAuth
pytestmark = pytest.mark.anyio


OWNER, MEMBER = "cache-owner", "cache-member"


async def openim_ids(client: httpx.AsyncClient, auth: httpx.Auth) -> set[str]:
    data = (await client.post("/group/get_joined_group_list", auth=auth, json={
        "fromUserID": MEMBER, "pagination": {"pageNumber": 1, "showNumber": 100}})).json()["data"]
    return {group["groupID"] for group in data.get("groups") or []}


async def zego_ids(client: httpx.AsyncClient, auth: httpx.Auth) -> set[str]:
    page = (await client.post("/", params={"Action": "QueryGroupsInfoOfUser"}, auth=auth,
                              json={"FromUserId": MEMBER, "Limit": 100, "Next": ""})).json()
    return {group["GroupId"] for group in page["GroupInfoList"]}


async def rongcloud_ids(client: httpx.AsyncClient, auth: httpx.Auth) -> set[str]:
    groups = (await client.post("/user/group/query.json", auth=auth, data={
        "userId": MEMBER, "page": "1", "size": "100"})).json()["groups"]
    return {group["id"] for group in groups}


async def tencent_ids(client: httpx.AsyncClient, auth: httpx.Auth) -> set[str]:
    page = (await client.post("/v4/group_open_http_svc/get_joined_group_list", auth=auth,
                              json={"Member_Account": MEMBER, "Limit": 100})).json()
    return {group["GroupId"] for group in page["GroupIdList"]}


def create_request(vendor: str, group_id: str) -> dict[str, Any]:
    return {
        "openim": {"url": "/group/create_group", "json": {
            "groupInfo": {"groupID": group_id, "groupName": group_id, "groupType": 2},
            "ownerUserID": OWNER, "memberUserIDs": [MEMBER]}},
        "zego": {"url": "/", "params": {"Action": "CreateGroup"}, "json": {
            "GroupId": group_id, "GroupName": group_id, "GroupOwner": OWNER,
            "UserIds": [MEMBER]}},
        "rongcloud": {"url": "/group/create.json", "data": {
            "userId": [OWNER, MEMBER], "groupId": group_id, "groupName": group_id}},
        "tencent": {"url": "/v4/group_open_http_svc/create_group", "json": {
            "Owner_Account": OWNER, "Type": "Public", "Name": group_id, "GroupId": group_id,
            "MemberList": [{"Member_Account": MEMBER}]}},
    }[vendor]


@pytest.mark.im_emulator_settings(rate_limits=False)
async def test_a_write_through_any_vendor_shows_in_every_vendors_next_read(
        im_emulator: InProcessEmulator) -> None:
    await im_emulator.seed({"users": [{"id": OWNER}, {"id": MEMBER}]})
    client = im_emulator.client
    token = (await client.post("/auth/get_admin_token", headers={"operationID": "op"},
                               json={"secret": "openIM123", "userID": "imAdmin"})
             ).json()["data"]["token"]
    auths: dict[str, httpx.Auth] = {
        "openim": OpenIMAuth(token=token), "zego": ZegoAuth(clock=im_emulator.clock),
        "rongcloud": RongCloudAuth(clock=im_emulator.clock.now),
        "tencent": TencentAuth(clock=im_emulator.clock)}
    readers = {"openim": openim_ids, "zego": zego_ids, "rongcloud": rongcloud_ids,
               "tencent": tencent_ids}
    expected: set[str] = set()
    for writer in ("openim", "zego", "rongcloud", "tencent"):
        for vendor, read in readers.items():
            assert await read(client, auths[vendor]) == expected, (writer, vendor)
            assert await read(client, auths[vendor]) == expected, (writer, vendor)
        group_id = f"{writer}-made"
        answer = await client.post(auth=auths[writer], **create_request(writer, group_id))
        assert answer.status_code == 200, answer.text
        expected.add(group_id)
        for vendor, read in readers.items():
            assert await read(client, auths[vendor]) == expected, (writer, vendor)
