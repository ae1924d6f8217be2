"""Property: what ZEGO lists and changes agrees with the shared store. Walking
QueryGroupMemberList with any constant Limit yields every member exactly once, owner first and
then by role, with TotalCount the full count; members removed with KickoutGroupUser are gone from
``/_emulator/state`` (what every other vendor reads) and from the next walk."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.signing import ZegoAuth
from tests.properties.strategies import ZEGO_APP_ID, ZEGO_SECRET

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

EXAMPLES = max(20, settings.default.max_examples // 5)
USER_IDS = [f"u{i:02d}" for i in range(40)]
ROLE_RANK = {"owner": 0, "admin": 1, "member": 2}


@st.composite
def groups(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str]]:
    """A fixture with one group and its members by role (the expectation)."""
    people = draw(st.lists(st.sampled_from(USER_IDS), min_size=1, max_size=len(USER_IDS),
                           unique=True))
    owner, rest = people[0], people[1:]
    admins = rest[:draw(st.integers(0, len(rest)))]
    members = rest[len(admins):]
    fixture = {"users": [{"id": user} for user in USER_IDS], "groups": [{
        "id": "zg-walk", "name": "Walk", "type": "public", "owner": owner,
        "createTime": 1_700_000_000_000,
        "admins": [{"id": user, "joinTime": draw(st.integers(0, 3))} for user in admins],
        "members": [{"id": user, "joinTime": draw(st.integers(0, 3))} for user in members]}]}
    roles = {owner: "owner", **{u: "admin" for u in admins}, **{u: "member" for u in members}}
    return fixture, roles


async def walk(client: httpx.AsyncClient, auth: httpx.Auth, limit: int) -> list[str]:
    ids: list[str] = []
    index = 0
    for _ in range(200):
        data = (await client.post("/", params={"Action": "QueryGroupMemberList"}, auth=auth,
                                  json={"GroupId": "zg-walk", "Limit": limit,
                                        "Next": index})).json()
        assert data["Code"] == 0, data
        ids += [member["UserId"] for member in data["MemberList"]]
        index = data["Next"]
        if index == 0:
            break
    assert data["TotalCount"] == len(ids), (data, ids)
    assert len(ids) == len(set(ids)), f"a member was listed twice: {ids}"
    return ids


@settings(max_examples=EXAMPLES)
@given(group=groups(), limit=st.integers(1, 12) | st.sampled_from([1000, 5000]),
       kicked=st.lists(st.sampled_from(USER_IDS), max_size=5, unique=True))
async def test_member_walks_and_kicks_agree_with_the_store(
        im_emulator: Any, group: tuple[dict[str, Any], dict[str, str]], limit: int,
        kicked: list[str]) -> None:
    fixture, roles = group
    client = im_emulator.client
    reset = await client.post("/_emulator/reset", json={"fixture": fixture})
    assert reset.status_code == 200, reset.text
    im_emulator.clock.freeze()
    auth = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    ids = await walk(client, auth, limit)
    assert set(ids) == set(roles)
    assert [ROLE_RANK[roles[user]] for user in ids] == sorted(ROLE_RANK[roles[u]] for u in ids)
    if not kicked:
        return
    data = (await client.post("/", params={"Action": "KickoutGroupUser"}, auth=auth,
                              json={"FromUserId": USER_IDS[0], "GroupId": "zg-walk",
                                    "UserId": kicked})).json()
    removed = set(kicked) & set(roles)
    assert data["Code"] == (0 if removed else 660600008), data
    state = (await client.get("/_emulator/state")).json()
    kept = {m["user_id"] for m in state["memberships"] if m["group_id"] == "zg-walk"}
    left = set(roles) - removed
    status = next(g["status"] for g in state["groups"] if g["id"] == "zg-walk")
    if not left:
        assert status == "dismissed"
        return
    assert kept == left
    owners = [m["user_id"] for m in state["memberships"]
              if m["group_id"] == "zg-walk" and m["role"] == "owner"]
    assert len(owners) == 1
    assert set(await walk(client, auth, limit)) == left


@settings(max_examples=EXAMPLES)
@given(statuses=st.lists(st.sampled_from(["normal", "muted", "dismissed"]), max_size=25),
       limit=st.integers(1, 7) | st.sampled_from([10000, 20000]))
async def test_app_group_walks_list_every_live_group_once(im_emulator: Any, statuses: list[str],
                                                          limit: int) -> None:
    fixture = {"users": [{"id": "owner"}], "groups": [
        {"id": f"ag{i:02d}", "name": f"G{i}", "type": "public", "owner": "owner",
         "status": status, "createTime": 1_700_000_000_000 + i}
        for i, status in enumerate(statuses)]}
    client = im_emulator.client
    reset = await client.post("/_emulator/reset", json={"fixture": fixture})
    assert reset.status_code == 200, reset.text
    auth = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    state = (await client.get("/_emulator/state")).json()
    live = {g["id"] for g in state["groups"] if g["status"] != "dismissed"}
    ids: list[str] = []
    index = 0
    for _ in range(100):
        data = (await client.get("/", params={"Action": "QueryAppGroupList", "Limit": limit,
                                              "Next": index}, auth=auth)).json()
        assert (data["Code"], data["TotalCount"]) == (0, len(live)), data
        ids += [item["GroupId"] for item in data["GroupIdList"]]
        index = data["Next"]
        if index == 0:
            break
    assert len(ids) == len(set(ids)), f"a group was listed twice: {ids}"
    assert set(ids) == live
