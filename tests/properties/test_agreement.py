"""Property: the four vendors agree with the shared store. For a generated store (users, groups of
every type and status, activated or not, memberships with every role), each user's group ids read
through OpenIM (every page), ZEGO (every cursor), RongCloud (every page) and Tencent (Limit/Offset
walks, every flag combination and GroupType) are the set each vendor's documented rule selects.

The expectation is computed here from the generated fixture, not read from the store, and every
walk must also see each group once (no duplicates across pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.signing import TencentAuth, ZegoAuth
from tests.properties.strategies import (TENCENT_ADMIN, TENCENT_APP, TENCENT_KEY, ZEGO_APP_ID, ZEGO_SECRET,
                        openim_admin_token, rongcloud_headers)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

# Each generated store is a few dozen requests per example, so this suite runs a fifth of the
# profile's examples (50 by default, 500 under HYPOTHESIS_PROFILE=fuzz).
EXAMPLES = max(20, settings.default.max_examples // 5)
TYPES = ("work", "public", "meeting", "avchatroom", "community")
STATUSES = ("normal", "muted", "dismissed")
TENCENT_TYPES = {"Public": {"public"}, "Private": {"work"}, "Work": {"work"},
                 "ChatRoom": {"meeting"}, "Meeting": {"meeting"}, "AVChatRoom": {"avchatroom"},
                 "Community": {"community"}, "BChatRoom": set()}
USER_IDS = ["u0", "u1", "u2", "user_3", "Zed"]
GROUP_NAMES = ["", "a", "a", "B", "b", "中文", "Team 🎉"]


@dataclass(frozen=True)
class GroupSpec:
    """What the rules need to know about one generated group."""

    id: str
    type: str
    status: str
    activated: bool
    members: frozenset[str]


@st.composite
def stores(draw: st.DrawFn) -> tuple[dict[str, Any], list[GroupSpec]]:
    """A fixture object and the plain facts about its groups."""
    user_ids = USER_IDS[:draw(st.integers(1, len(USER_IDS)))]
    fixture_groups: list[dict[str, Any]] = []
    specs: list[GroupSpec] = []
    for index in range(draw(st.integers(0, 9))):
        group_id = draw(st.sampled_from([f"g{index}", f"G-{index}", f"z{index:02d}"]))
        people = draw(st.permutations(user_ids))
        owner, rest = people[0], people[1:]
        admins = rest[:draw(st.integers(0, len(rest)))]
        members = [user for user in rest[len(admins):] if draw(st.booleans())]
        group_type = draw(st.sampled_from(TYPES))
        group = {"id": group_id, "name": draw(st.sampled_from(GROUP_NAMES)), "type": group_type,
                 "status": draw(st.sampled_from(STATUSES)),
                 # Only work groups have an activation state (the fixture format's rule).
                 "activated": group_type != "work" or draw(st.booleans()), "owner": owner,
                 "createTime": draw(st.sampled_from([1_600_000_000_000, 1_700_000_000_000])),
                 "admins": [{"id": user, "joinTime": draw(st.integers(0, 3))} for user in admins],
                 "members": [{"id": user, "joinTime": draw(st.integers(0, 3))}
                             for user in members]}
        fixture_groups.append(group)
        specs.append(GroupSpec(group_id, group["type"], group["status"], group["activated"],
                               frozenset([owner, *admins, *members])))
    return {"users": [{"id": user} for user in user_ids], "groups": fixture_groups}, specs


def joined(specs: list[GroupSpec], user: str) -> list[GroupSpec]:
    return [spec for spec in specs if user in spec.members]


def expected_openim(specs: list[GroupSpec], user: str) -> set[str]:
    """OpenIM: a user's only group shows whatever its status; with two or more, no dismissed."""
    mine = joined(specs, user)
    if len(mine) <= 1:
        return {spec.id for spec in mine}
    return {spec.id for spec in mine if spec.status != "dismissed"}


def expected_visible(specs: list[GroupSpec], user: str) -> set[str]:
    """ZEGO and RongCloud: every group but the dismissed ones."""
    return {spec.id for spec in joined(specs, user) if spec.status != "dismissed"}


def expected_tencent(specs: list[GroupSpec], user: str, huge: bool, inactive: bool,
                     group_type: str | None) -> set[str]:
    """Tencent: no dismissed; AVChatRoom only with WithHugeGroups; not activated only with
    WithNoActiveGroups; GroupType narrows the types."""
    types = TENCENT_TYPES[group_type] if group_type else set(TYPES)
    return {spec.id for spec in joined(specs, user)
            if spec.status != "dismissed" and spec.type in types
            and (huge or spec.type != "avchatroom") and (inactive or spec.activated)}


def distinct(ids: list[str]) -> set[str]:
    assert len(ids) == len(set(ids)), f"a group was listed twice: {ids}"
    return set(ids)


async def read_openim(client: httpx.AsyncClient, token: str, user: str, size: int) -> set[str]:
    ids: list[str] = []
    for page in range(1, 100):
        data = (await client.post("/group/get_joined_group_list",
                                  headers={"operationID": "agree", "token": token},
                                  json={"fromUserID": user, "pagination": {
                                      "pageNumber": page, "showNumber": size}})).json()
        assert data["errCode"] == 0, data
        if not data["data"]["groups"]:
            break
        ids += [group["groupID"] for group in data["data"]["groups"]]
    assert data["data"]["total"] == len(ids), (data, ids)
    return distinct(ids)


async def read_zego(client: httpx.AsyncClient, auth: httpx.Auth, user: str, limit: int) -> set[str]:
    ids: list[str] = []
    cursor = ""
    for _ in range(100):
        data = (await client.post("/", params={"Action": "QueryGroupsInfoOfUser"}, auth=auth,
                                  json={"FromUserId": user, "Limit": limit,
                                        "Next": cursor})).json()
        assert data["Code"] == 0, data
        ids += [group["GroupId"] for group in data["GroupInfoList"]]
        cursor = data["NextRsp"]
        if cursor == "0":
            break
    assert data["HasJoinGroupNum"] == len(ids), (data, ids)
    return distinct(ids)


async def read_rongcloud(client: httpx.AsyncClient, now: float, user: str,
                         size: int) -> set[str]:
    ids: list[str] = []
    signed = dict(rongcloud_headers(now))
    for page in range(1, 100):
        data = (await client.post("/user/group/query.json", headers=signed,
                                  data={"userId": user, "page": page, "size": size})).json()
        assert data["code"] == 200, data
        if not data["groups"]:
            break
        ids += [group["id"] for group in data["groups"]]
    whole = (await client.post("/user/group/query.json", headers=signed,
                               data={"userId": user})).json()
    assert [group["id"] for group in whole["groups"]] == ids, (whole, ids)
    return distinct(ids)


async def read_tencent(client: httpx.AsyncClient, auth: httpx.Auth, user: str, limit: int,
                       flags: dict[str, Any]) -> set[str]:
    url = "/v4/group_open_http_svc/get_joined_group_list"
    ids: list[str] = []
    for offset in range(0, 100 * limit, limit):
        data = (await client.post(url, auth=auth, json={
            "Member_Account": user, "Limit": limit, "Offset": offset, **flags})).json()
        assert data["ErrorCode"] == 0, data
        if not data["GroupIdList"]:
            break
        ids += [group["GroupId"] for group in data["GroupIdList"]]
    assert data["TotalCount"] == len(ids), (data, ids)
    whole = (await client.post(url, auth=auth, json={"Member_Account": user, **flags})).json()
    assert [group["GroupId"] for group in whole["GroupIdList"]] == ids, (whole, ids)
    return distinct(ids)


@settings(max_examples=EXAMPLES)
@given(store=stores(), size=st.integers(1, 4),
       group_type=st.sampled_from([None, *TENCENT_TYPES]))
async def test_every_vendor_lists_the_groups_its_rule_selects(
        im_emulator: Any, store: tuple[dict[str, Any], list[GroupSpec]], size: int,
        group_type: str | None) -> None:
    fixture, specs = store
    client = im_emulator.client
    reset = await client.post("/_emulator/reset", json={"fixture": fixture})
    assert reset.status_code == 200, reset.text
    im_emulator.clock.freeze()
    now = im_emulator.clock.now()
    token = await openim_admin_token(client)
    zego = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    tencent = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    for user in [entry["id"] for entry in fixture["users"]]:
        assert await read_openim(client, token, user, size) == expected_openim(specs, user)
        visible = expected_visible(specs, user)
        assert await read_zego(client, zego, user, size) == visible
        assert await read_rongcloud(client, now, user, size) == visible
        for huge in (0, 1):
            for inactive in (0, 1):
                flags = {"WithHugeGroups": huge, "WithNoActiveGroups": inactive}
                if group_type is not None:
                    flags["GroupType"] = group_type
                assert await read_tencent(client, tencent, user, size, flags) == (
                    expected_tencent(specs, user, bool(huge), bool(inactive), group_type))
