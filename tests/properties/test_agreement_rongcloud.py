"""Property: what RongCloud's writes do is what the other vendors and the shared store read.

- Memberships made by any sequence of RongCloud join/quit/sync/dismiss calls are the groups
  OpenIM's and Tencent's joined-group lists show for each user, and each group's members are
  what RongCloud's and OpenIM's member lists show.
- Mutes (gag add/rollback, ban add/rollback, whitelist) are what the canonical
  ``models.muted`` reads from the store; the gag list names exactly the muted members, and so do
  OpenIM's member infos (``muteEndTime``); Tencent's joined-group list shows each mute-all
  (``ShutUpAllMember``).
- Walking ``/group/ban/query.json`` page by page yields every muted group once, whatever the
  page size.
- Recalls (``/message/recall.json``, by the sender or by anyone else) mark recalled exactly the
  messages their own senders named: RongCloud's history leaves them out, Tencent's
  (``WithRecalledMsg``) shows them as placeholders and ZEGO's (``WithEmptyMsg``) as empty.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.signing import TencentAuth, ZegoAuth
from emulator.store.models import muted
from tests.properties.strategies import (TENCENT_ADMIN, TENCENT_APP, TENCENT_KEY, ZEGO_APP_ID,
                                         ZEGO_SECRET, openim_admin_token, rongcloud_headers)
from tests.properties.test_agreement import read_openim, read_tencent

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

EXAMPLES = max(20, settings.default.max_examples // 5)
USERS = ["r0", "r1", "r2", "r3"]
GROUPS = ["rg0", "rg1", "rg2"]
EMPTY: dict[str, Any] = {"users": [{"id": user} for user in USERS], "groups": []}

member_ops = st.one_of(
    st.tuples(st.just("join"), st.sampled_from(GROUPS), st.lists(st.sampled_from(USERS),
                                                               min_size=1, max_size=3)),
    st.tuples(st.just("quit"), st.sampled_from(GROUPS), st.lists(st.sampled_from(USERS),
                                                               min_size=1, max_size=3)),
    st.tuples(st.just("sync"), st.sampled_from(USERS), st.lists(st.sampled_from(GROUPS),
                                                              min_size=1, max_size=3)),
    st.tuples(st.just("dismiss"), st.sampled_from(GROUPS), st.just([])))


async def openim_data(client: Any, token: str, path: str, body: Any) -> Any:
    data = (await client.post(path, headers={"operationID": "agree", "token": token},
                              json=body)).json()
    assert data["errCode"] == 0, data
    return data["data"]


async def call(client: Any, now: float, path: str, data: Any) -> dict[str, Any]:
    answer = (await client.post(path, headers=dict(rongcloud_headers(now)), data=data)).json()
    assert answer["code"] == 200, (path, data, answer)
    return answer


async def reset(im_emulator: Any) -> float:
    response = await im_emulator.client.post("/_emulator/reset", json={"fixture": EMPTY})
    assert response.status_code == 200, response.text
    im_emulator.clock.freeze()
    return float(im_emulator.clock.now())


@settings(max_examples=EXAMPLES)
@given(ops=st.lists(member_ops, max_size=10), size=st.integers(1, 3))
async def test_memberships_agree_across_vendors(im_emulator: Any, ops: list[Any],
                                                size: int) -> None:
    now = await reset(im_emulator)
    client = im_emulator.client
    model: dict[str, set[str]] = {}
    dismissed: dict[str, set[str]] = {}   # kept member rows of dismissed groups
    for op, target, names in ops:
        if op == "join":
            await call(client, now, "/group/join.json", {"userId": names, "groupId": target})
            dismissed.pop(target, None)
            model.setdefault(target, set()).update(names)
        elif op == "quit":
            await call(client, now, "/group/quit.json", {"userId": names, "groupId": target})
            model.get(target, set()).difference_update(names)
        elif op == "dismiss":
            await call(client, now, "/group/dismiss.json", {"userId": "r0", "groupId": target})
            if target in model:
                dismissed[target] = model.pop(target)
        else:
            await call(client, now, "/group/sync.json",
                       {"userId": target, **{f"group[{g}]": "n" for g in names}})
            for group_id, members in model.items():
                members.discard(target)
            for group_id in names:
                dismissed.pop(group_id, None)
                model.setdefault(group_id, set()).add(target)
    token = await openim_admin_token(client)
    tencent = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    for user in USERS:
        expected = {group for group, members in model.items() if user in members}
        # OpenIM's rule: a user's only group shows whatever its status.
        gone = {group for group, members in dismissed.items() if user in members}
        openim = expected | gone if len(expected | gone) <= 1 else expected
        assert await read_openim(client, token, user, size) == openim
        assert await read_tencent(client, tencent, user, size,
                                  {"WithHugeGroups": 1, "WithNoActiveGroups": 1}) == expected
    for group_id, members in model.items():
        listed = await call(client, now, "/group/user/query.json", {"groupId": group_id})
        assert sorted(user["id"] for user in listed["users"]) == sorted(members)
        if members:
            data = await openim_data(client, token, "/group/get_group_member_list", {
                "groupID": group_id, "pagination": {"pageNumber": 1, "showNumber": 100}})
            assert sorted(m["userID"] for m in data["members"]) == sorted(members)


mute_ops = st.one_of(
    st.tuples(st.just("gag"), st.sampled_from(["rg0", "rg1", ""]),
              st.lists(st.sampled_from(USERS), min_size=1, max_size=3), st.integers(0, 3)),
    st.tuples(st.just("ungag"), st.sampled_from(["rg0", "rg1", ""]),
              st.lists(st.sampled_from(USERS), min_size=1, max_size=3), st.just(0)),
    st.tuples(st.just("ban"), st.sampled_from(["rg0", "rg1"]), st.just([]), st.just(0)),
    st.tuples(st.just("unban"), st.sampled_from(["rg0", "rg1"]), st.just([]), st.just(0)),
    st.tuples(st.just("white"), st.sampled_from(["rg0", "rg1"]),
              st.lists(st.sampled_from(USERS), min_size=1, max_size=2), st.just(0)),
    st.tuples(st.just("unwhite"), st.sampled_from(["rg0", "rg1"]),
              st.lists(st.sampled_from(USERS), min_size=1, max_size=2), st.just(0)),
    st.tuples(st.just("tick"), st.just(""), st.just([]), st.integers(1, 3)))


@settings(max_examples=EXAMPLES)
@given(ops=st.lists(mute_ops, max_size=12))
async def test_mutes_agree_with_the_store(im_emulator: Any, ops: list[Any]) -> None:
    now = await reset(im_emulator)
    client = im_emulator.client
    for group_id in ("rg0", "rg1"):
        await call(client, now, "/group/create.json",
                   {"userId": USERS, "groupId": group_id, "groupName": group_id})
    clock = im_emulator.clock
    until: dict[tuple[str, str], float] = {}   # (group, user) -> end (s); inf = permanent
    banned: set[str] = set()
    white: dict[str, set[str]] = {"rg0": set(), "rg1": set()}
    for op, group_id, names, minutes in ops:
        now = float(clock.now())
        groups = [group_id] if group_id else ["rg0", "rg1"]
        if op == "gag":
            await call(client, now, "/group/user/gag/add.json",
                       {"userId": names, "groupId": group_id, "minute": minutes})
            for gid in groups:
                for user in names:
                    until[gid, user] = float("inf") if minutes == 0 else now + 60 * minutes
        elif op == "ungag":
            await call(client, now, "/group/user/gag/rollback.json",
                       {"userId": names, "groupId": group_id})
            for gid in groups:
                for user in names:
                    until.pop((gid, user), None)
        elif op in ("ban", "unban"):
            await call(client, now, f"/group/ban/{'add' if op == 'ban' else 'rollback'}.json",
                       {"groupId": group_id})
            (banned.add if op == "ban" else banned.discard)(group_id)
        elif op in ("white", "unwhite"):
            path = "add" if op == "white" else "rollback"
            await call(client, now, f"/group/user/ban/whitelist/{path}.json",
                       {"userId": names, "groupId": group_id})
            (white[group_id].update if op == "white" else white[group_id].difference_update)(
                names)
        else:
            clock.advance(60 * minutes)
    now = float(clock.now())
    now_ms = clock.now_ms()
    store = im_emulator.store
    token = await openim_admin_token(client)
    tencent = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=clock)
    joined = (await client.post("/v4/group_open_http_svc/get_joined_group_list", auth=tencent,
                                json={"Member_Account": "r0", "ResponseFilter": {
                                    "GroupBaseInfoFilter": ["ShutUpAllMember"]}})).json()
    assert joined["ErrorCode"] == 0, joined
    shut_up = {g["GroupId"]: g["ShutUpAllMember"] for g in joined["GroupIdList"]}
    for group_id in ("rg0", "rg1"):
        group = await store.get_group(group_id)
        gagged = {user for user in USERS if until.get((group_id, user), 0) > now}
        listed = await call(client, now, "/group/user/gag/list.json", {"groupId": group_id})
        assert {user["userId"] for user in listed["users"]} == gagged
        infos = await openim_data(client, token, "/group/get_group_members_info",
                             {"groupID": group_id, "userIDs": USERS})
        assert {m["userID"] for m in infos["members"] if m["muteEndTime"] > now_ms} == gagged
        assert shut_up[group_id] == ("On" if group_id in banned else "Off")
        assert set(await store.whitelist(group_id)) == white[group_id]
        for user in USERS:
            member = await store.member(group_id, user)
            expected = user in gagged or (group_id in banned and user not in white[group_id])
            assert muted(group, member, now_ms, user in white[group_id]) == expected, \
                (group_id, user)


@settings(max_examples=EXAMPLES)
@given(flags=st.lists(st.booleans(), min_size=0, max_size=12), size=st.integers(1, 5))
async def test_ban_query_walk_lists_each_muted_group_once(im_emulator: Any, flags: list[bool],
                                                          size: int) -> None:
    now = await reset(im_emulator)
    client = im_emulator.client
    expected = []
    for index, flag in enumerate(flags):
        group_id = f"b{index:02d}"
        await call(client, now, "/group/create.json",
                   {"userId": "r0", "groupId": group_id, "groupName": "x"})
        if flag:
            await call(client, now, "/group/ban/add.json", {"groupId": group_id})
            expected.append(group_id)
    seen: list[str] = []
    for page in range(1, 20):
        rows = (await call(client, now, "/group/ban/query.json",
                           {"page": page, "size": size}))["groupinfo"]
        if not rows:
            break
        assert len(rows) <= size
        seen += [row["groupId"] for row in rows]
    assert seen == expected


hosted_ops = st.one_of(
    st.tuples(st.just("join"), st.lists(st.sampled_from(USERS), min_size=1, max_size=3)),
    st.tuples(st.just("kick"), st.lists(st.sampled_from(USERS), min_size=1, max_size=2)),
    st.tuples(st.just("manager"), st.lists(st.sampled_from(USERS), min_size=1, max_size=2)),
    st.tuples(st.just("unmanager"), st.lists(st.sampled_from(USERS), min_size=1, max_size=2)),
    st.tuples(st.just("transfer"), st.lists(st.sampled_from(USERS), min_size=1, max_size=1)))
ROLE_CODES = {"owner": 3, "admin": 2, "member": 1}


@settings(max_examples=EXAMPLES)
@given(ops=st.lists(hosted_ops, max_size=10), size=st.integers(1, 4),
       order=st.sampled_from(["0", "1"]))
async def test_hosted_roles_agree_with_the_store_and_pages(im_emulator: Any, ops: list[Any],
                                                           size: int, order: str) -> None:
    now = await reset(im_emulator)
    client = im_emulator.client
    headers = dict(rongcloud_headers(now))
    await call(client, now, "/entrust/group/create.json",
               {"groupId": "hg", "name": "h", "owner": "r0"})
    roles = {"r0": "owner"}
    for op, names in ops:
        body = {"groupId": "hg", "userIds": ",".join(names)}
        if op == "join":
            await call(client, now, "/entrust/group/join.json", body)
            for user in names:
                roles.setdefault(user, "member")
        elif op == "kick":
            answer = (await client.post("/entrust/group/member/kick.json", headers=headers,
                                        data=body)).json()
            owner = next(user for user, role in roles.items() if role == "owner")
            assert (answer["code"] == 1002) == (owner in names)
            if owner not in names:
                for user in names:
                    roles.pop(user, None)
        elif op in ("manager", "unmanager"):
            path = "add" if op == "manager" else "remove"
            await call(client, now, f"/entrust/group/manager/{path}.json", body)
            for user in names:
                if roles.get(user) == ("member" if op == "manager" else "admin"):
                    roles[user] = "admin" if op == "manager" else "member"
        else:
            answer = (await client.post("/entrust/group/transfer/owner.json", headers=headers,
                                        data={"groupId": "hg", "newOwner": names[0]})).json()
            assert (answer["code"] == 200) == (names[0] in roles)
            if names[0] in roles and roles[names[0]] != "owner":
                old = next(user for user, role in roles.items() if role == "owner")
                roles[old], roles[names[0]] = "member", "owner"
    store = im_emulator.store
    assert {m.user_id: m.role for m in await store.members("hg")} == roles
    assert (await store.get_group("hg")).owner == next(u for u, r in roles.items()
                                                        if r == "owner")
    seen: list[tuple[str, int]] = []
    token = ""
    for _ in range(20):
        answer = await call(client, now, "/entrust/group/member/query.json",
                            {"groupId": "hg", "size": size, "order": order,
                             "pageToken": token})
        assert answer["totalCount"] == len(roles) and len(answer["members"]) <= size
        seen += [(m["userId"], m["role"]) for m in answer["members"]]
        token = answer["pageToken"]
        if not token:
            break
    assert len(seen) == len(set(seen))
    assert dict(seen) == {user: ROLE_CODES[role] for user, role in roles.items()}


@settings(max_examples=EXAMPLES)
@given(senders=st.lists(st.sampled_from(USERS), min_size=1, max_size=6),
       recalls=st.lists(st.tuples(st.integers(0, 5), st.sampled_from(USERS)), max_size=8))
async def test_recalls_agree_across_vendors(im_emulator: Any, senders: list[str],
                                            recalls: list[tuple[int, str]]) -> None:
    now = await reset(im_emulator)
    client = im_emulator.client
    await call(client, now, "/group/create.json",
               {"userId": USERS, "groupId": "rg0", "groupName": "rg0"})
    uids = []
    for index, sender in enumerate(senders):
        answer = await call(client, now, "/message/group/publish.json", {
            "fromUserId": sender, "toGroupId": "rg0", "objectName": "RC:TxtMsg",
            "content": f'{{"content":"m{index}"}}'})
        uids.append(answer["messageUIDs"][0]["messageUID"])
    expected: set[int] = set()
    for index, user in recalls:
        index %= len(uids)
        await call(client, now, "/message/recall.json", {
            "fromUserId": user, "conversationType": "3", "targetId": "rg0",
            "messageUID": uids[index]})
        if user == senders[index]:
            expected.add(index)
    kept = [uid for index, uid in enumerate(uids) if index not in expected]
    time_ms = im_emulator.services.clock.now_ms()
    history = (await client.post("/v3/message/group/query.json", headers=dict(
        rongcloud_headers(now)), json={"userId": "r0", "targetId": "rg0", "startTime": time_ms,
                                       "endTime": time_ms, "includeStart": True})).json()
    assert [item["messageUID"] for item in history["data"]] == kept
    tencent = TencentAuth(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=im_emulator.clock)
    listed = (await client.post("/v4/group_open_http_svc/group_msg_get_simple", auth=tencent,
                                json={"GroupId": "rg0", "ReqMsgNumber": 20,
                                      "WithRecalledMsg": 1})).json()
    assert {item["MsgSeq"] - 1 for item in listed["RspMsgList"] if item["IsPlaceMsg"]} == \
        expected
    zego = ZegoAuth(ZEGO_APP_ID, ZEGO_SECRET, clock=im_emulator.clock)
    found = (await client.post("/", params={"Action": "QueryGroupMsg"}, auth=zego, json={
        "GroupId": "rg0", "Limit": 100, "WithEmptyMsg": 1})).json()
    assert {item["MsgSeq"] - 1 for item in found["List"] if item["IsEmpty"]} == expected
