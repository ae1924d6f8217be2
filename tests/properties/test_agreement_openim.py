"""Property: what OpenIM lists and changes agrees with what the other vendors read from the
shared store. Walking get_group_member_list page by page with any showNumber yields every
member exactly once, by role level (highest first), with ``total`` the full count; members
invited or kicked through OpenIM appear in / disappear from RongCloud's member query, ZEGO's
member walk and ``/_emulator/state``; group info set through OpenIM is what ZEGO's
QueryGroupInfo shows, and ZEGO's changes are what OpenIM's get_groups_info shows. (Tencent
serves no member or group-info read yet.)"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.signing import ZegoAuth
from tests.properties.strategies import (ZEGO_APP_ID, ZEGO_SECRET, openim_admin_token,
                                         rongcloud_headers)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

EXAMPLES = max(20, settings.default.max_examples // 5)
USER_IDS = [f"u{i:02d}" for i in range(30)]
LEVELS = {"owner": 100, "admin": 60, "member": 20}
GROUP = "og-walk"


@st.composite
def groups(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str]]:
    """A fixture with one group and its members by role (the expectation)."""
    people = draw(st.lists(st.sampled_from(USER_IDS), min_size=1, max_size=20, unique=True))
    owner, rest = people[0], people[1:]
    admins = rest[:draw(st.integers(0, len(rest)))]
    members = rest[len(admins):]
    fixture = {"users": [{"id": user} for user in USER_IDS], "groups": [{
        "id": GROUP, "name": "Walk", "type": "public", "owner": owner,
        "createTime": 1_700_000_000_000,
        "admins": [{"id": user, "joinTime": draw(st.integers(0, 3))} for user in admins],
        "members": [{"id": user, "joinTime": draw(st.integers(0, 3))} for user in members]}]}
    roles = {owner: "owner", **{u: "admin" for u in admins}, **{u: "member" for u in members}}
    return fixture, roles


async def openim(client: httpx.AsyncClient, token: str, path: str, body: Any) -> Any:
    data = (await client.post(path, headers={"operationID": "agree", "token": token},
                              json=body)).json()
    assert data["errCode"] == 0, data
    return data["data"]


async def walk_openim(client: httpx.AsyncClient, token: str, show: int) -> list[tuple[str, int]]:
    seen: list[tuple[str, int]] = []
    for page in range(1, 200):
        data = await openim(client, token, "/group/get_group_member_list", {
            "groupID": GROUP, "pagination": {"pageNumber": page, "showNumber": show}})
        if not data["members"]:
            break
        seen += [(m["userID"], m["roleLevel"]) for m in data["members"]]
    ids = [user for user, _ in seen]
    assert len(ids) == len(set(ids)), f"a member was listed twice: {ids}"
    assert data["total"] == len(ids), (data, ids)
    levels = [level for _, level in seen]
    assert levels == sorted(levels, reverse=True), seen
    return seen


async def rongcloud_members(client: httpx.AsyncClient, now: float) -> set[str]:
    data = (await client.post("/group/user/query.json", headers=dict(rongcloud_headers(now)),
                              data={"groupId": GROUP})).json()
    assert data["code"] == 200, data
    return {user["id"] for user in data["users"]}


async def zego_members(client: httpx.AsyncClient, auth: httpx.Auth, owner: str) -> set[str]:
    ids: list[str] = []
    index = 0
    for _ in range(100):
        data = (await client.post("/", params={"Action": "QueryGroupMemberList"}, auth=auth,
                                  json={"GroupId": GROUP, "Limit": 7, "Next": index})).json()
        assert data["Code"] == 0, data
        ids += [member["UserId"] for member in data["MemberList"]]
        index = data["Next"]
        if index == 0:
            break
    assert len(ids) == len(set(ids)), ids
    return set(ids)


@settings(max_examples=EXAMPLES)
@given(group=groups(), show=st.integers(1, 12) | st.sampled_from([1000, 5000]),
       invited=st.lists(st.sampled_from(USER_IDS), max_size=5, unique=True),
       kick_count=st.integers(0, 5))
async def test_member_walks_invites_and_kicks_agree_across_vendors(
        im_emulator: Any, group: tuple[dict[str, Any], dict[str, str]], show: int,
        invited: list[str], kick_count: int) -> None:
    fixture, roles = group
    client = im_emulator.client
    reset = await client.post("/_emulator/reset", json={"fixture": fixture})
    assert reset.status_code == 200, reset.text
    im_emulator.clock.freeze()
    token = await openim_admin_token(client)
    seen = await walk_openim(client, token, show)
    assert {user: level for user, level in seen} == {u: LEVELS[r] for u, r in roles.items()}

    newcomers = [user for user in invited if user not in roles]
    if newcomers:
        await openim(client, token, "/group/invite_user_to_group",
                     {"groupID": GROUP, "invitedUserIDs": newcomers})
    owner = next(user for user, role in roles.items() if role == "owner")
    kicked = [user for user in [*roles, *newcomers] if user != owner][:kick_count]
    if kicked:
        await openim(client, token, "/group/kick_group",
                     {"groupID": GROUP, "kickedUserIDs": kicked})
    expected = (set(roles) | set(newcomers)) - set(kicked)

    assert await rongcloud_members(client, im_emulator.clock.now()) == expected
    auth = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    assert await zego_members(client, auth, owner) == expected
    state = (await client.get("/_emulator/state")).json()
    assert {m["user_id"] for m in state["memberships"] if m["group_id"] == GROUP} == expected
    assert {user for user, _ in await walk_openim(client, token, show)} == expected


names = st.text(alphabet="abcdefghij KLMNOP-_", min_size=1, max_size=20).filter(
    lambda text: text.strip() != "")


@settings(max_examples=EXAMPLES)
@given(name=names, notice=names, face=st.sampled_from(["", "https://x/y.png"]),
       zego_name=names)
async def test_group_info_agrees_with_zego(im_emulator: Any, name: str, notice: str, face: str,
                                           zego_name: str) -> None:
    fixture = {"users": [{"id": user} for user in USER_IDS[:3]], "groups": [{
        "id": GROUP, "name": "Walk", "type": "public", "owner": "u00",
        "members": [{"id": "u01"}]}]}
    client = im_emulator.client
    assert (await client.post("/_emulator/reset", json={"fixture": fixture})).status_code == 200
    im_emulator.clock.freeze()
    token = await openim_admin_token(client)
    await openim(client, token, "/group/set_group_info_ex", {
        "groupID": GROUP, "groupName": name, "notification": notice, "faceURL": face})
    auth = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    info = (await client.post("/", params={"Action": "QueryGroupInfo"}, auth=auth,
                              json={"FromUserId": "u00", "GroupId": GROUP})).json()
    assert info["Code"] == 0, info
    assert (info["GroupName"], info["GroupNotice"], info["GroupAvatar"]) == (
        name, notice.strip(" \t\n\r\v\f"), face)

    changed = (await client.post("/", params={"Action": "UpdateGroupData"}, auth=auth,
                                 json={"FromUserId": "u00", "GroupId": GROUP,
                                       "GroupName": zego_name})).json()
    assert changed["Code"] == 0, changed
    [read] = (await openim(client, token, "/group/get_groups_info",
                           {"groupIDs": [GROUP]}))["groupInfos"]
    assert (read["groupName"], read["notification"], read["faceURL"], read["ownerUserID"],
            read["memberCount"]) == (zego_name, notice.strip(" \t\n\r\v\f"), face, "u00", 2)
