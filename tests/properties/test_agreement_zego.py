"""Property: what ZEGO lists and changes agrees with the shared store. Walking
QueryGroupMemberList with any constant Limit yields every member exactly once, owner first and
then by role, with TotalCount the full count; members removed with KickoutGroupUser are gone from
``/_emulator/state`` (what every other vendor reads) and from the next walk. Mutes set with
MuteGroup and MuteGroupMembers are what the store, OpenIM's member info, Tencent's
ShutUpAllMember and ZEGO's own QueryGroupInfo and FetchForbidGroupList show, as the clock
moves."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.signing import TencentAuth, ZegoAuth
from tests.properties.strategies import (TENCENT_ADMIN, TENCENT_APP, TENCENT_KEY, ZEGO_APP_ID,
                                         ZEGO_SECRET, openim_admin_token)

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


# ---- mutes set through ZEGO, read through the store, OpenIM, Tencent and ZEGO itself --------

MUTE_GROUP = "zg-mute"
MUTE_PEOPLE = [f"m{i}" for i in range(8)]
MUTE_ROLES = {"m0": "owner", "m1": "admin", "m2": "admin"}
RANK = {"owner": 0, "admin": 1, "member": 2}
DURATIONS = st.sampled_from([-1, 0]) | st.integers(1, 120)

member_mutes = st.tuples(st.just("members"), st.sampled_from(["m0", "m1"]),
                         st.lists(st.sampled_from(MUTE_PEOPLE + ["stranger"]), min_size=1,
                                  max_size=5), DURATIONS)
group_mutes = st.tuples(st.just("group"), st.sampled_from(["m0", "m1"]), st.booleans(),
                        st.lists(st.sampled_from([2, 3, 150]), max_size=3), DURATIONS)
waits = st.tuples(st.just("wait"), st.integers(1, 90))


async def zego_get(client: httpx.AsyncClient, auth: httpx.Auth, action: str,
                   items: list[tuple[str, Any]]) -> dict[str, Any]:
    params = [("Action", action), *((key, str(value)) for key, value in items)]
    data: dict[str, Any] = (await client.get("/", params=params, auth=auth)).json()
    return data


@settings(max_examples=EXAMPLES)
@given(steps=st.lists(member_mutes | group_mutes | waits, min_size=1, max_size=6))
async def test_mutes_set_through_zego_are_what_every_vendor_reads(
        im_emulator: Any, steps: list[tuple[Any, ...]]) -> None:
    fixture = {"users": [{"id": user} for user in MUTE_PEOPLE + ["stranger"]], "groups": [{
        "id": MUTE_GROUP, "name": "Mute", "type": "public", "owner": "m0",
        "createTime": 1_700_000_000_000,
        "admins": [{"id": "m1"}, {"id": "m2"}],
        "members": [{"id": user} for user in MUTE_PEOPLE[3:]]}]}
    client = im_emulator.client
    reset = await client.post("/_emulator/reset", json={"fixture": fixture})
    assert reset.status_code == 200, reset.text
    im_emulator.clock.freeze()
    auth = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    # the model: each member's mute end (ms, 0 none), the group mute (roles, end; 0 for good)
    member_until: dict[str, int] = {}
    group_roles: set[str] = set()
    group_until = 0
    for step in steps:
        now = im_emulator.clock.now_ms()
        if step[0] == "wait":
            im_emulator.clock.advance(step[1])
            continue
        if step[0] == "members":
            _, operator, targets, duration = step
            data = await zego_get(client, auth, "MuteGroupMembers",
                                  [("FromUserId", operator), ("GroupId", MUTE_GROUP),
                                   ("Duration", duration),
                                   *(("UserIds[]", user) for user in targets)])
            rank = RANK[MUTE_ROLES.get(operator, "member")]
            done = [user for user in dict.fromkeys(targets) if user != "stranger"
                    and RANK[MUTE_ROLES.get(user, "member")] > rank]
            assert data["Code"] == (0 if done else 660600033), data
            for user in done:
                member_until[user] = (0 if duration == 0 else 2**62 if duration == -1
                                      else now + duration * 1000)
        else:
            _, operator, all_muted, numbers, duration = step
            data = await zego_get(client, auth, "MuteGroup",
                                  [("FromUserId", operator), ("GroupId", MUTE_GROUP),
                                   ("IsAllMuted", str(all_muted).lower()),
                                   ("Duration", duration),
                                   *(("MuteRoleList[]", n) for n in numbers)])
            assert data["Code"] == 0, data
            roles = ({"owner", "admin", "member"} if all_muted
                     else {{2: "admin", 3: "member"}[n] for n in numbers if n in (2, 3)})
            if duration == 0 or not roles:
                group_roles, group_until = set(), 0
            else:
                group_roles, group_until = roles, 0 if duration == -1 else now + duration * 1000
    now = im_emulator.clock.now_ms()
    expected_members = {user for user, until in member_until.items() if until > now}
    group_active = bool(group_roles) and (group_until == 0 or now < group_until)
    # the shared store, as /_emulator/state shows it
    state = (await client.get("/_emulator/state")).json()
    rows = {m["user_id"]: m for m in state["memberships"] if m["group_id"] == MUTE_GROUP}
    assert {user for user, m in rows.items() if m["mute_until_ms"] > now} == expected_members
    group = next(g for g in state["groups"] if g["id"] == MUTE_GROUP)
    assert bool(group["mute_all"]) == bool(group_roles)
    # OpenIM's member info: muteEndTime
    token = await openim_admin_token(client)
    members = (await client.post("/group/get_group_members_info",
                                 headers={"operationID": "agree", "token": token},
                                 json={"groupID": MUTE_GROUP,
                                       "userIDs": MUTE_PEOPLE})).json()
    assert members["errCode"] == 0, members
    assert {m["userID"] for m in members["data"]["members"]
            if m["muteEndTime"] > now} == expected_members
    # Tencent's joined-group list: ShutUpAllMember
    tencent = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    joined = (await client.post("/v4/group_open_http_svc/get_joined_group_list", auth=tencent,
                                json={"Member_Account": "m0", "ResponseFilter": {
                                    "GroupBaseInfoFilter": ["ShutUpAllMember"]}})).json()
    assert joined["ErrorCode"] == 0, joined
    shut_up = next(g for g in joined["GroupIdList"] if g["GroupId"] == MUTE_GROUP)
    assert shut_up["ShutUpAllMember"] == ("On" if group_roles else "Off")
    # ZEGO's own reads: QueryGroupInfo and FetchForbidGroupList
    info = (await client.post("/", params={"Action": "QueryGroupInfo"}, auth=auth,
                              json={"FromUserId": "m0", "GroupId": MUTE_GROUP})).json()
    numbers = {"owner": 1, "admin": 2, "member": 3}
    if not group_active:
        assert (info["IsAllForbid"], info["ForbidExpireTime"]) == (False, 0), info
    elif group_roles == set(numbers):
        assert (info["IsAllForbid"], info["ForbidExpireTime"]) == (True, group_until or -1)
    else:
        assert info["ForbidList"] == sorted(numbers[role] for role in group_roles), info
    forbidden = (await client.post("/", params={"Action": "FetchForbidGroupList"}, auth=auth,
                                   json={"FromUserId": "m0", "StartFlag": 0})).json()
    kinds = {item["GroupId"]: item["ForbidType"] for item in forbidden["GroupList"]}
    kind = ((1 if group_roles == set(numbers) else 2) if group_active else 0) | (
        4 if expected_members else 0)
    assert kinds.get(MUTE_GROUP, 0) == kind, (kinds, kind)
