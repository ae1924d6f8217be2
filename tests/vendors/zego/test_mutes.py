"""MuteGroup and MuteGroupMembers (GET, owner or admin only, Duration -1 / 0 / up to 2592000 s)
and FetchForbidGroupList, from ZEGO's "设置群禁言", "设置群成员禁言" and "查询 App 下的禁言群组列表"
pages; mutes show in QueryGroupInfo and are read against the emulator's clock.

g-hiking: alice owner, bob admin, carol, dave and heavy members."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

G = "g-hiking"


async def info(zego) -> dict:
    return await zego.call("QueryGroupInfo", {"FromUserId": "alice", "GroupId": G})


# ---- MuteGroup ---------------------------------------------------------------------------

async def test_mute_all_for_a_while_shows_in_group_info_and_expires(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    now = im_emulator.clock.now_ms()
    data = await zego.get("MuteGroup", FromUserId="alice", GroupId=G, IsAllMuted="true",
                          Duration=100)
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}
    shown = await info(zego)
    assert (shown["IsAllForbid"], "ForbidList" in shown, shown["ForbidExpireTime"]) == (
        True, False, now + 100_000)
    im_emulator.clock.advance(100)
    after = await info(zego)
    assert (after["IsAllForbid"], after["ForbidExpireTime"]) == (False, 0)


async def test_mute_roles_replace_and_cancel(im_emulator, zego) -> None:
    assert (await zego.get("MuteGroup", FromUserId="bob", GroupId=G, MuteRoleList=[3],
                           Duration=-1))["Code"] == 0
    shown = await info(zego)
    assert ("IsAllForbid" in shown, shown["ForbidList"], shown["ForbidExpireTime"]) == (
        False, [3], -1)
    group = await im_emulator.store.get_group(G)
    assert group.mute_all and group.muted_roles == {"member"} and group.mute_all_until_ms == 0
    assert (await zego.get("MuteGroup", FromUserId="alice", GroupId=G,
                           MuteRoleList=[2, 3, 150], Duration=60))["Code"] == 0
    assert (await info(zego))["ForbidList"] == [2, 3]
    assert (await zego.get("MuteGroup", FromUserId="alice", GroupId=G,
                           Duration=0))["Code"] == 0
    assert (await info(zego))["IsAllForbid"] is False
    assert not (await im_emulator.store.get_group(G)).mute_all


async def test_no_parameters_at_all_lift_the_group_mute(im_emulator, zego) -> None:
    await zego.get("MuteGroup", FromUserId="alice", GroupId=G, IsAllMuted="true", Duration=-1)
    assert (await zego.get("MuteGroup", FromUserId="alice", GroupId=G))["Code"] == 0
    assert not (await im_emulator.store.get_group(G)).mute_all


async def test_mute_group_in_a_post_body_works_too(im_emulator, zego) -> None:
    data = await zego.call("MuteGroup", {"FromUserId": "alice", "GroupId": G,
                                         "IsAllMuted": True, "Duration": 5})
    assert data["Code"] == 0
    assert (await im_emulator.store.get_group(G)).mute_all


@pytest.mark.parametrize(("params", "code"), [
    ({"GroupId": G, "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "IsAllMuted": "maybe", "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "MuteRoleList": ["x"], "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "MuteRoleList": [0], "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "MuteRoleList": list(range(100, 121)),
      "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "IsAllMuted": "true", "Duration": -2}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "IsAllMuted": "true", "Duration": 2592001},
     660000002),
    ({"FromUserId": "ghost", "GroupId": G, "IsAllMuted": "true", "Duration": 5}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "IsAllMuted": "true", "Duration": 5},
     660600001),
    ({"FromUserId": "alice", "GroupId": "g-old-project", "IsAllMuted": "true", "Duration": 5},
     660600001),
    ({"FromUserId": "erin", "GroupId": G, "IsAllMuted": "true", "Duration": 5}, 660600024),
    ({"FromUserId": "carol", "GroupId": G, "IsAllMuted": "true", "Duration": 5}, 660600032),
    ({"FromUserId": "bob", "GroupId": G, "MuteRoleList": [1, 3], "Duration": 5}, 660600032),
])
async def test_mute_group_refused(im_emulator, zego, params, code) -> None:
    data = await zego.get("MuteGroup", **params)
    assert (data["Code"], list(data)) == (code, ["Code", "Message", "RequestId"])
    assert not (await im_emulator.store.get_group(G)).mute_all


async def test_limits_are_accepted_at_their_edges(zego) -> None:
    assert (await zego.get("MuteGroup", FromUserId="alice", GroupId=G,
                           MuteRoleList=list(range(100, 120)), Duration=2592000))["Code"] == 0


# ---- MuteGroupMembers --------------------------------------------------------------------

async def test_mute_members_with_error_users(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    now = im_emulator.clock.now_ms()
    data = await zego.get("MuteGroupMembers", FromUserId="bob", GroupId=G,
                          UserIds=["carol", "erin", "alice", "bob", "dave"], Duration=30)
    assert zego.without_id(data) == {"Code": 0, "Message": "success", "ErrorUsers": [
        {"UserId": "erin", "SubCode": 660600024}, {"UserId": "alice", "SubCode": 660600032},
        {"UserId": "bob", "SubCode": 660600032}]}
    carol = await im_emulator.store.member(G, "carol")
    assert carol.mute_until_ms == now + 30_000
    assert [m.user_id for m in await im_emulator.store.muted_members(G, now_ms=now)] == [
        "carol", "dave"]
    im_emulator.clock.advance(30)
    assert await im_emulator.store.muted_members(G, now_ms=im_emulator.clock.now_ms()) == []


async def test_all_succeeded_has_no_error_users(zego) -> None:
    data = await zego.get("MuteGroupMembers", FromUserId="alice", GroupId=G,
                          UserIds=["bob", "carol"], Duration=-1)
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}


async def test_forever_and_unmute(im_emulator, zego) -> None:
    now = im_emulator.clock.now_ms()
    await zego.get("MuteGroupMembers", FromUserId="alice", GroupId=G, UserIds=["carol"],
                   Duration=-1)
    assert (await im_emulator.store.member(G, "carol")).muted(now + 10 * 365 * 86_400_000)
    assert (await zego.get("MuteGroupMembers", FromUserId="alice", GroupId=G,
                           UserIds=["carol"], Duration=0))["Code"] == 0
    assert not (await im_emulator.store.member(G, "carol")).muted(now)


async def test_every_target_failed_is_660600033(im_emulator, zego) -> None:
    data = await zego.get("MuteGroupMembers", FromUserId="bob", GroupId=G,
                          UserIds=["alice", "nobody"], Duration=30)
    assert zego.without_id(data) == {
        "Code": 660600033, "Message": "The operation failed for every specified user.",
        "ErrorUsers": [{"UserId": "alice", "SubCode": 660600032},
                       {"UserId": "nobody", "SubCode": 660600024}]}


@pytest.mark.parametrize(("params", "code"), [
    ({"FromUserId": "alice", "GroupId": G, "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "UserIds": [f"u{i}" for i in range(21)],
      "Duration": 5}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "UserIds": ["carol"], "Duration": 2592001},
     660000002),
    ({"FromUserId": "alice", "GroupId": G, "UserIds": ["carol"], "Duration": "soon"},
     660000002),
    ({"FromUserId": "ghost", "GroupId": G, "UserIds": ["carol"], "Duration": 5}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "UserIds": ["carol"], "Duration": 5},
     660600001),
    ({"FromUserId": "erin", "GroupId": G, "UserIds": ["carol"], "Duration": 5}, 660600024),
    ({"FromUserId": "dave", "GroupId": G, "UserIds": ["carol"], "Duration": 5}, 660600032),
])
async def test_mute_members_refused(im_emulator, zego, params, code) -> None:
    data = await zego.get("MuteGroupMembers", **params)
    assert (data["Code"], list(data)) == (code, ["Code", "Message", "RequestId"])
    assert not (await im_emulator.store.member(G, "carol")).muted(im_emulator.clock.now_ms())


# ---- FetchForbidGroupList ----------------------------------------------------------------

async def forbidden(zego) -> dict[str, int]:
    data = await zego.call("FetchForbidGroupList", {"FromUserId": "alice", "StartFlag": 0})
    assert data["Code"] == 0 and data["FetchEnd"] == 1 and data["NextFlag"] == 0
    assert list(data) == ["Code", "Message", "RequestId", "FetchEnd", "NextFlag", "GroupList"]
    return {item["GroupId"]: item["ForbidType"] for item in data["GroupList"]}


async def test_fetch_forbid_group_list_bit_mask(im_emulator, zego) -> None:
    before = await forbidden(zego)
    assert G not in before and "g-book-club" not in before
    await zego.get("MuteGroup", FromUserId="alice", GroupId=G, IsAllMuted="true", Duration=-1)
    await zego.get("MuteGroupMembers", FromUserId="alice", GroupId=G, UserIds=["carol"],
                   Duration=-1)
    await zego.get("MuteGroup", FromUserId="carol", GroupId="g-book-club", MuteRoleList=[3],
                   Duration=60)
    now = await forbidden(zego)
    assert (now[G], now["g-book-club"]) == (5, 2)
    im_emulator.clock.advance(61)
    assert "g-book-club" not in await forbidden(zego)


@pytest.mark.parametrize(("body", "code"), [
    ({"StartFlag": 0}, 660000002),
    ({"FromUserId": "alice"}, 660000002),
    ({"FromUserId": "alice", "StartFlag": -1}, 660000002),
    ({"FromUserId": "ghost", "StartFlag": 0}, 660500002),
])
async def test_fetch_forbid_group_list_refused(zego, body, code) -> None:
    assert (await zego.call("FetchForbidGroupList", body))["Code"] == code


async def test_fetch_forbid_group_list_pages_by_next_flag(im_emulator, zego,
                                                          monkeypatch) -> None:
    from emulator.vendors.zego import mutes
    monkeypatch.setattr(mutes, "FORBID_PAGE", 2)
    monkeypatch.setattr(mutes, "SCAN_PAGE", 3)
    owners = {"g-hiking": "alice", "g-book-club": "carol", "g-standup": "bob",
              "g-live": "grace", "g-community": "heidi"}
    for group_id, owner in owners.items():
        assert (await zego.get("MuteGroup", FromUserId=owner, GroupId=group_id,
                               IsAllMuted="true", Duration=-1))["Code"] == 0
    seen: list[str] = []
    flag = 0
    for _ in range(20):
        data = await zego.call("FetchForbidGroupList", {"FromUserId": "alice",
                                                        "StartFlag": flag})
        assert len(data["GroupList"]) <= 2
        seen += [item["GroupId"] for item in data["GroupList"]]
        if data["FetchEnd"] == 1:
            break
        flag = data["NextFlag"]
        assert flag > 0
    assert len(seen) == len(set(seen)) and set(owners) <= set(seen)
