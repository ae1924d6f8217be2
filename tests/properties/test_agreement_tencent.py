"""Property: what Tencent's group commands change is what the other vendors read, and
Tencent's paged lists walk every item exactly once whatever the page size.

- Members deleted and added, owners changed and groups renamed through Tencent are what ZEGO's
  ``QueryGroupsInfoOfUser`` and OpenIM's ``get_joined_group_list`` show for each user (group ids
  and names), and what Tencent's own ``get_role_in_group`` and the store answer.
- Roles (``modify_group_member_info`` ``Role``, ``change_group_owner``) and name cards
  (``NameCard``) set through Tencent are what OpenIM's ``get_group_member_list`` (roleLevel,
  nickname) and ZEGO's ``QueryGroupMemberList`` (owner first, ``UserNickName``) show.
- ``get_appid_group_list`` walked with any ``Limit`` (``Next`` cursor) lists every live group
  once, in creation order, with ``TotalCount`` the number of live groups.
- ``get_group_member_info`` walked with any ``Limit`` (``Offset``; ``Next`` in a Community group)
  lists every member once.
- A group, members and messages imported through Tencent (``import_group`` with its
  ``CreateTime``, ``import_group_member`` with roles and ``JoinTime``, ``import_group_msg`` with
  ``SendTime``, then ``delete_group_msg_by_sender``) are what OpenIM's ``get_group_members_info``
  (roleLevel, joinTime) and ZEGO's ``QueryGroupInfo`` (GroupCreateTime), ``QueryGroupMsg``
  (seq, sender, time; the deleted sender's as empty messages) and ``QueryGroupsInfoOfUser`` show.
"""

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

EXAMPLES = max(10, settings.default.max_examples // 5)
G = "/v4/group_open_http_svc/"
USERS = ["u0", "u1", "u2", "u3", "u4", "u5"]
TYPES = ["work", "public", "meeting", "community"]


def fixture(group_types: list[str]) -> dict[str, Any]:
    groups = []
    for index, kind in enumerate(group_types):
        groups.append({"id": f"@TGS#_c{index}" if kind == "community" else f"g{index}",
                       "name": f"G{index}", "type": kind, "owner": "u0",
                       "members": USERS[1:1 + index % 5]})
    return {"users": [{"id": user} for user in USERS], "groups": groups}


async def tencent(client: httpx.AsyncClient, auth: httpx.Auth, command: str,
                  body: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = (await client.post(G + command, auth=auth, json=body)).json()
    assert data["ErrorCode"] == 0, (command, body, data)
    return data


async def zego_groups(client: httpx.AsyncClient, auth: httpx.Auth, user: str) -> dict[str, str]:
    data = (await client.post("/", params={"Action": "QueryGroupsInfoOfUser"}, auth=auth,
                              json={"FromUserId": user, "Limit": 100, "Next": ""})).json()
    assert data["Code"] == 0, data
    return {group["GroupId"]: group["GroupName"] for group in data["GroupInfoList"]}


async def openim_groups(client: httpx.AsyncClient, token: str, user: str) -> dict[str, str]:
    data = (await client.post("/group/get_joined_group_list",
                              headers={"operationID": "agree", "token": token},
                              json={"fromUserID": user, "pagination": {
                                  "pageNumber": 1, "showNumber": 100}})).json()
    assert data["errCode"] == 0, data
    return {group["groupID"]: group["groupName"] for group in data["data"]["groups"] or []}


operations = st.lists(st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 5), st.sampled_from(USERS[1:])),
    st.tuples(st.just("add"), st.integers(0, 5), st.sampled_from(USERS[1:])),
    st.tuples(st.just("rename"), st.integers(0, 5), st.sampled_from(["x", "名前", "Team 🎉"])),
    st.tuples(st.just("owner"), st.integers(0, 5), st.sampled_from(USERS)),
), max_size=8)


@settings(max_examples=EXAMPLES)
@given(kinds=st.lists(st.sampled_from(TYPES), min_size=1, max_size=6), ops=operations)
async def test_changes_through_tencent_are_what_the_others_read(
        im_emulator: Any, kinds: list[str], ops: list[tuple[str, int, str]]) -> None:
    data = fixture(kinds)
    client = im_emulator.client
    assert (await client.post("/_emulator/reset", json={"fixture": data})).status_code == 200
    auth = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    zego = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    token = await openim_admin_token(client)
    ids = [group["id"] for group in data["groups"]]
    members = {group["id"]: {"u0", *group["members"]} for group in data["groups"]}
    owners = {group_id: "u0" for group_id in ids}
    names = {group["id"]: group["name"] for group in data["groups"]}
    for op, index, arg in ops:
        group_id = ids[index % len(ids)]
        if op == "delete" and arg != owners[group_id]:
            await tencent(client, auth, "delete_group_member",
                          {"GroupId": group_id, "MemberToDel_Account": [arg]})
            members[group_id].discard(arg)
        elif op == "add":
            await tencent(client, auth, "add_group_member",
                          {"GroupId": group_id, "MemberList": [{"Member_Account": arg}]})
            members[group_id].add(arg)
        elif op == "rename":
            await tencent(client, auth, "modify_group_base_info",
                          {"GroupId": group_id, "Name": arg})
            names[group_id] = arg
        elif op == "owner" and arg in members[group_id]:
            await tencent(client, auth, "change_group_owner",
                          {"GroupId": group_id, "NewOwner_Account": arg})
            owners[group_id] = arg
    for user in USERS:
        expected = {group_id: names[group_id] for group_id in ids if user in members[group_id]}
        assert await zego_groups(client, zego, user) == expected
        assert await openim_groups(client, token, user) == expected
    for group_id in ids:
        roles = await tencent(client, auth, "get_role_in_group",
                              {"GroupId": group_id, "User_Account": USERS})
        assert {row["Member_Account"]: row["Role"] for row in roles["UserIdList"]} == {
            # no admins in these groups: a former owner is a Member like everyone else
            user: ("Owner" if user == owners[group_id] else "NotMember"
                   if user not in members[group_id] else "Member")
            for user in USERS}
        stored = await im_emulator.store.members(group_id)
        assert {m.user_id for m in stored} == members[group_id]


@settings(max_examples=EXAMPLES)
@given(kinds=st.lists(st.sampled_from([*TYPES, "avchatroom"]), min_size=0, max_size=12),
       dismissed=st.sets(st.integers(0, 11)), limit=st.integers(1, 5))
async def test_appid_group_list_walks_every_live_group_once(
        im_emulator: Any, kinds: list[str], dismissed: set[int], limit: int) -> None:
    data = fixture(kinds)
    for index in dismissed:
        if index < len(data["groups"]):
            data["groups"][index]["status"] = "dismissed"
    client = im_emulator.client
    assert (await client.post("/_emulator/reset", json={"fixture": data})).status_code == 200
    auth = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    live = {group["id"] for group in data["groups"] if group.get("status") != "dismissed"}
    walked: list[str] = []
    cursor = 0
    for _ in range(100):
        page = await tencent(client, auth, "get_appid_group_list", {"Limit": limit,
                                                                     "Next": cursor})
        assert page["TotalCount"] == len(live)
        assert len(page["GroupIdList"]) <= limit
        walked += [item["GroupId"] for item in page["GroupIdList"]]
        cursor = page["Next"]
        if cursor == 0:
            break
    assert len(walked) == len(set(walked)) and set(walked) == live


@settings(max_examples=EXAMPLES)
@given(kind=st.sampled_from(TYPES), extra=st.lists(st.sampled_from(USERS[1:]), unique=True),
       admins=st.sets(st.sampled_from(USERS[1:])), limit=st.integers(1, 4))
async def test_member_info_walks_every_member_once(im_emulator: Any, kind: str,
                                                   extra: list[str], admins: set[str],
                                                   limit: int) -> None:
    group_id = "@TGS#_walk" if kind == "community" else "walk"
    data = {"users": [{"id": user} for user in USERS],
            "groups": [{"id": group_id, "name": "W", "type": kind, "owner": "u0",
                        "admins": [user for user in extra if user in admins],
                        "members": [user for user in extra if user not in admins]}]}
    client = im_emulator.client
    assert (await client.post("/_emulator/reset", json={"fixture": data})).status_code == 200
    auth = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    walked: list[str] = []
    cursor = ""
    for offset in range(0, 100 * limit, limit):
        body: dict[str, Any] = {"GroupId": group_id, "Limit": limit}
        body.update({"Next": cursor} if kind == "community" else {"Offset": offset})
        page = await tencent(client, auth, "get_group_member_info", body)
        assert page["MemberNum"] == 1 + len(extra)
        walked += [row["Member_Account"] for row in page["MemberList"]]
        if kind == "community":
            cursor = page["Next"]
            if not cursor:
                break
        elif not page["MemberList"]:
            break
    assert len(walked) == len(set(walked)) and set(walked) == {"u0", *extra}
    assert walked[0] == "u0"


OPENIM_LEVELS = {"owner": 100, "admin": 60, "member": 20}
TENCENT_ROLES = {"Owner": "owner", "Admin": "admin", "Member": "member"}
member_changes = st.lists(st.one_of(
    st.tuples(st.just("role"), st.sampled_from(USERS[1:]), st.sampled_from(["Admin", "Member"])),
    st.tuples(st.just("card"), st.sampled_from(USERS), st.sampled_from(["", "Ann", "名片 🎉"])),
    st.tuples(st.just("owner"), st.sampled_from(USERS), st.just("")),
), max_size=8)


@settings(max_examples=EXAMPLES)
@given(kind=st.sampled_from(["public", "meeting", "community"]), changes=member_changes)
async def test_roles_and_name_cards_through_tencent_are_what_the_others_read(
        im_emulator: Any, kind: str, changes: list[tuple[str, str, str]]) -> None:
    group_id = "@TGS#_roles" if kind == "community" else "roles"
    data = {"users": [{"id": user} for user in USERS],
            "groups": [{"id": group_id, "name": "R", "type": kind, "owner": "u0",
                        "members": USERS[1:]}]}
    client = im_emulator.client
    assert (await client.post("/_emulator/reset", json={"fixture": data})).status_code == 200
    auth = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    roles = {user: "owner" if user == "u0" else "member" for user in USERS}
    cards = {user: "" for user in USERS}
    for change, user, value in changes:
        if change == "role" and roles[user] != "owner":
            await tencent(client, auth, "modify_group_member_info",
                          {"GroupId": group_id, "Member_Account": user, "Role": value})
            roles[user] = TENCENT_ROLES[value]
        elif change == "card":
            await tencent(client, auth, "modify_group_member_info",
                          {"GroupId": group_id, "Member_Account": user, "NameCard": value})
            cards[user] = value
        elif change == "owner" and roles[user] != "owner":
            await tencent(client, auth, "change_group_owner",
                          {"GroupId": group_id, "NewOwner_Account": user})
            roles = {**{u: "member" if r == "owner" else r for u, r in roles.items()},
                     user: "owner"}
    listed = await tencent(client, auth, "get_group_member_info",
                           {"GroupId": group_id, "MemberInfoFilter": ["Role", "NameCard"]})
    assert {row["Member_Account"]: (TENCENT_ROLES[row["Role"]], row["NameCard"])
            for row in listed["MemberList"]} == {u: (roles[u], cards[u]) for u in USERS}
    token = await openim_admin_token(client)
    openim = (await client.post("/group/get_group_member_list",
                                headers={"operationID": "agree", "token": token},
                                json={"groupID": group_id, "pagination": {
                                    "pageNumber": 1, "showNumber": 100}})).json()
    assert openim["errCode"] == 0, openim
    assert {m["userID"]: (m["roleLevel"], m["nickname"]) for m in openim["data"]["members"]} == {
        u: (OPENIM_LEVELS[roles[u]], cards[u]) for u in USERS}
    zego = (await client.post("/", params={"Action": "QueryGroupMemberList"},
                              auth=ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock),
                              json={"GroupId": group_id, "Limit": 100, "Next": 0})).json()
    assert zego["Code"] == 0, zego
    assert [(m["UserId"], m["UserNickName"]) for m in zego["MemberList"]] == [
        (row["Member_Account"], row["NameCard"]) for row in listed["MemberList"]]
    assert zego["MemberList"][0]["UserId"] == next(u for u, r in roles.items() if r == "owner")


imported_members = st.lists(st.tuples(st.sampled_from(USERS[1:]), st.sampled_from(["Admin",
                                                                                    "Member"]),
                                      st.integers(0, 1000)),
                            unique_by=lambda item: item[0], min_size=1, max_size=5)
imported_messages = st.lists(st.tuples(st.sampled_from(USERS), st.integers(0, 500)),
                             min_size=1, max_size=7)


@settings(max_examples=EXAMPLES)
@given(created=st.integers(1_500_000_000, 1_600_000_000), members=imported_members,
       messages=imported_messages, deleted=st.sampled_from(USERS))
async def test_what_tencent_imports_is_what_the_others_read(
        im_emulator: Any, created: int, members: list[tuple[str, str, int]],
        messages: list[tuple[str, int]], deleted: str) -> None:
    data = {"users": [{"id": user} for user in USERS], "groups": []}
    client = im_emulator.client
    assert (await client.post("/_emulator/reset", json={"fixture": data})).status_code == 200
    auth = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    await tencent(client, auth, "import_group", {"Owner_Account": "u0", "Type": "Public",
                                                 "GroupId": "imported", "Name": "Imported",
                                                 "CreateTime": created})
    await tencent(client, auth, "import_group_member", {"GroupId": "imported", "MemberList": [
        {"Member_Account": user, "Role": role, "JoinTime": created + offset}
        for user, role, offset in members]})
    times, at = [], created
    for _, step in messages:
        at += step
        times.append(at)
    imported = await tencent(client, auth, "import_group_msg", {"GroupId": "imported",
                                                                "MsgList": [
        {"From_Account": sender, "SendTime": time,
         "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "t"}}]}
        for (sender, _), time in zip(messages, times, strict=True)]})
    assert [row["MsgSeq"] for row in imported["ImportMsgResult"]] == list(
        range(1, len(messages) + 1))
    await tencent(client, auth, "delete_group_msg_by_sender",
                  {"GroupId": "imported", "Sender_Account": deleted})
    expected_members = {"u0": (100, created * 1000)} | {
        user: (60 if role == "Admin" else 20, (created + offset) * 1000)
        for user, role, offset in members}
    token = await openim_admin_token(client)
    openim = (await client.post("/group/get_group_members_info",
                                headers={"operationID": "agree", "token": token},
                                json={"groupID": "imported", "userIDs": USERS})).json()
    assert openim["errCode"] == 0, openim
    assert {m["userID"]: (m["roleLevel"], m["joinTime"])
            for m in openim["data"]["members"]} == expected_members
    zego = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    group = (await client.post("/", params={"Action": "QueryGroupInfo"}, auth=zego,
                               json={"FromUserId": "u0", "GroupId": "imported"})).json()
    assert group["GroupCreateTime"] == created * 1000, group
    history = (await client.post("/", params={"Action": "QueryGroupMsg"}, auth=zego,
                                 json={"GroupId": "imported", "Limit": 100, "Next": 0,
                                       "WithEmptyMsg": 1})).json()
    assert history["Code"] == 0, history
    assert sorted((m["MsgSeq"], m["Sender"], m["MsgTime"], m["IsEmpty"])
                  for m in history["List"]) == [
        (seq, sender, time * 1000, 2 if sender == deleted else 0)
        for seq, ((sender, _), time) in enumerate(zip(messages, times, strict=True), start=1)]
    for user in expected_members:
        assert "imported" in await zego_groups(client, zego, user)
