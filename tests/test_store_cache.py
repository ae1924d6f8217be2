"""The joined-groups read cache: every kind of write (store methods, seed, load, restore, a
rolled-back transaction) is visible in the next read, a read that meets a write waits for it,
callers may change what they get, the cache is bounded, and a write through any vendor shows
in the next joined-groups read of every vendor."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from emulator.pytest_plugin import InProcessEmulator
from emulator.signing import OpenIMAuth, RongCloudAuth, TencentAuth, ZegoAuth
from emulator.store import (Group, GroupStore, JoinedQuery, Membership, open_template,
                            parse_fixture)
from emulator.store import groupstore

pytestmark = pytest.mark.anyio

FIXTURE = {
    "users": [{"id": u} for u in ("ann", "ben", "cat")],
    "groups": [
        {"id": "g1", "name": "Bravo", "type": "work", "owner": "ben", "createTime": 300,
         "members": [{"id": "ann", "joinTime": 30}]},
        {"id": "g2", "name": "Alpha", "type": "public", "owner": "cat", "createTime": 200,
         "members": [{"id": "ann", "joinTime": 10}]},
    ],
}
ANN = JoinedQuery("ann")
ANN_ALL = JoinedQuery("ann", include_dismissed=True, order="name", limit=10)


@pytest.fixture
async def store() -> AsyncIterator[GroupStore]:
    store = GroupStore()
    await store.open()
    await store.restore(open_template(parse_fixture(FIXTURE, source="t", now_ms=1000)))
    yield store
    await store.close()


async def listing(store: GroupStore, query: JoinedQuery = ANN) -> tuple[int, list[str]]:
    page = await store.joined(query)
    return page.total, [row.group.id for row in page.rows]


async def warm(store: GroupStore) -> None:
    """Read twice, so the second answer comes from the cache."""
    for query in (ANN, ANN_ALL):
        assert await listing(store, query) == await listing(store, query)
    assert store.cached_reads == 2


def g3() -> Group:
    return Group("g3", "Charlie", "work", "cat", create_time_ms=400)


Write = Callable[[GroupStore], Awaitable[Any]]
WRITES: dict[str, tuple[Write, tuple[int, list[str]]]] = {
    "create_group": (lambda s: s.create_group(g3(), [Membership("g3", "ann", join_time_ms=40)]),
                     (3, ["g2", "g1", "g3"])),
    "add_members": (lambda s: s.add_members("g3", [Membership("g3", "ann", join_time_ms=40)]),
                    (3, ["g2", "g1", "g3"])),
    "remove_members": (lambda s: s.remove_members("g1", ["ann"]), (1, ["g2"])),
    "update_group": (lambda s: s.update_group("g2", status="dismissed"), (1, ["g1"])),
    "delete_group": (lambda s: s.delete_group("g1"), (1, ["g2"])),
    "seed": (lambda s: s.seed(parse_fixture({"users": [{"id": "ben"}], "groups": [
        {"id": "g1", "name": "Bravo", "type": "work", "owner": "ben"}]}, source="t", now_ms=1)),
        (1, ["g2"])),
    "load": (lambda s: s.load(parse_fixture({"users": [{"id": "ann"}], "groups": [
        {"id": "g9", "name": "Nine", "type": "work", "owner": "ann"}]}, source="t", now_ms=1)),
        (1, ["g9"])),
    "restore": (lambda s: s.restore(open_template(parse_fixture(
        {"users": [{"id": "ann"}]}, source="t", now_ms=1))), (0, [])),
}


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_every_write_empties_the_cache(store: GroupStore, name: str) -> None:
    if name == "add_members":
        await store.create_group(g3(), [])
    await warm(store)
    write, expected = WRITES[name]
    await write(store)
    assert store.cached_reads == 0
    assert await listing(store) == expected


async def test_a_rolled_back_write_leaves_the_answer_unchanged(store: GroupStore) -> None:
    await warm(store)
    with pytest.raises(RuntimeError):
        async with store.transaction() as conn:
            await conn.execute("DELETE FROM memberships")
            raise RuntimeError("abandoned")
    assert store.cached_reads == 0
    assert await listing(store) == (2, ["g2", "g1"])


async def test_a_read_during_a_write_waits_and_sees_it(store: GroupStore) -> None:
    await warm(store)
    async with store.transaction() as conn:
        await conn.execute("DELETE FROM memberships WHERE group_id = 'g2'")
        reader = asyncio.ensure_future(listing(store))
        await asyncio.sleep(0)
        assert not reader.done()
    assert await reader == (1, ["g1"])
    assert await listing(store) == (1, ["g1"])


async def test_callers_may_change_what_they_get(store: GroupStore) -> None:
    await warm(store)
    page = await store.joined(ANN)
    page.rows[0].group.name = "changed"
    page.rows[0].membership.role = "owner"
    page.rows.clear()
    again = await store.joined(ANN)
    assert [(r.group.name, r.membership.role) for r in again.rows] == [
        ("Alpha", "member"), ("Bravo", "member")]
    assert again.rows[0].group.activated is True and again.rows[0].group.mute_all is False


async def test_the_cache_is_bounded(store: GroupStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(groupstore, "JOINED_CACHE_SIZE", 3)
    for offset in range(10):
        await store.joined(JoinedQuery("ann", offset=offset, limit=1))
    assert store.cached_reads == 3
    assert await listing(store, JoinedQuery("ann", offset=1, limit=1)) == (2, ["g1"])


# ---- through the vendors --------------------------------------------------------------------

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
