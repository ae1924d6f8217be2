"""The group Actions that change or read one group: DismissGroup and TransferGroupOwner (GET,
one call per second per group), QueryGroupInfo and UpdateGroupData (POST), SetGroupMemberRole
(GET), as ZEGO's ZIM server docs describe them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def roles(im_emulator, group_id: str) -> dict[str, str]:
    return {m.user_id: m.role for m in await im_emulator.store.members(group_id)}


# ---- DismissGroup ------------------------------------------------------------------------

async def test_dismiss_by_any_registered_user(im_emulator, zego) -> None:
    data = await zego.get("DismissGroup", FromUserId="zoe", GroupId="g-hiking")
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}
    assert (await im_emulator.store.get_group("g-hiking")).status == "dismissed"
    assert "g-hiking" not in await zego.joined_ids("alice")
    im_emulator.clock.advance(1)
    again = await zego.get("DismissGroup", FromUserId="alice", GroupId="g-hiking")
    assert again["Code"] == 660600001


@pytest.mark.parametrize(("params", "code"), [
    ({"GroupId": "g-hiking"}, 660000002),
    ({"FromUserId": "alice"}, 660000002),
    ({"FromUserId": "alice", "GroupId": "a b"}, 660000002),
    ({"FromUserId": "ghost", "GroupId": "g-hiking"}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere"}, 660600001),
    ({"FromUserId": "alice", "GroupId": "g-old-project"}, 660600001),
])
async def test_dismiss_refused(im_emulator, zego, params, code) -> None:
    assert (await zego.get("DismissGroup", **params))["Code"] == code
    assert (await im_emulator.store.get_group("g-hiking")).status != "dismissed"


async def test_dismiss_is_limited_to_one_call_per_second_per_group(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.5)
    first = await zego.get("DismissGroup", FromUserId="alice", GroupId="g-nowhere")
    assert first["Code"] == 660600001
    limited = await zego.get("DismissGroup", FromUserId="alice", GroupId="g-nowhere")
    assert limited["Code"] == 660300006
    assert (await zego.get("DismissGroup", FromUserId="alice", GroupId="g-hiking"))["Code"] == 0
    im_emulator.clock.advance(0.5)
    assert (await zego.get("DismissGroup", FromUserId="alice",
                           GroupId="g-nowhere"))["Code"] == 660600001


async def test_dismiss_in_a_post_body_works_too(zego) -> None:
    data = await zego.call("DismissGroup", {"FromUserId": "alice", "GroupId": "g-hiking"})
    assert data["Code"] == 0


# ---- TransferGroupOwner ------------------------------------------------------------------

async def test_transfer_owner(im_emulator, zego) -> None:
    data = await zego.get("TransferGroupOwner", FromUserId="alice", GroupId="g-hiking",
                          NewOwner="carol")
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}
    after = await roles(im_emulator, "g-hiking")
    assert (after["carol"], after["alice"]) == ("owner", "member")
    assert (await im_emulator.store.get_group("g-hiking")).owner == "carol"


@pytest.mark.parametrize(("params", "code"), [
    ({"FromUserId": "alice", "GroupId": "g-hiking"}, 660000002),
    ({"FromUserId": "ghost", "GroupId": "g-hiking", "NewOwner": "carol"}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "NewOwner": "carol"}, 660600001),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "NewOwner": "erin"}, 660600024),
])
async def test_transfer_refused(im_emulator, zego, params, code) -> None:
    assert (await zego.get("TransferGroupOwner", **params))["Code"] == code
    assert (await im_emulator.store.get_group("g-hiking")).owner == "alice"


async def test_transfer_is_limited_to_one_call_per_second_per_group(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.5)
    params = {"FromUserId": "alice", "GroupId": "g-hiking", "NewOwner": "carol"}
    assert (await zego.get("TransferGroupOwner", **params))["Code"] == 0
    assert (await zego.get("TransferGroupOwner", **params))["Code"] == 660300006
    im_emulator.clock.advance(0.5)
    assert (await zego.get("TransferGroupOwner", **params))["Code"] == 0


# ---- SetGroupMemberRole ------------------------------------------------------------------

async def test_set_admin_then_member(im_emulator, zego) -> None:
    data = await zego.get("SetGroupMemberRole", FromUserId="alice", GroupId="g-hiking",
                          ToUserId="carol", Role=2)
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}
    assert (await roles(im_emulator, "g-hiking"))["carol"] == "admin"
    await zego.get("SetGroupMemberRole", FromUserId="alice", GroupId="g-hiking",
                   ToUserId="bob", Role=3)
    assert (await roles(im_emulator, "g-hiking"))["bob"] == "member"


async def test_a_custom_role_is_kept_as_a_member(im_emulator, zego) -> None:
    data = await zego.get("SetGroupMemberRole", FromUserId="alice", GroupId="g-hiking",
                          ToUserId="bob", Role=100)
    assert data["Code"] == 0
    assert (await roles(im_emulator, "g-hiking"))["bob"] == "member"


@pytest.mark.parametrize(("params", "code"), [
    ({"FromUserId": "alice", "GroupId": "g-hiking", "ToUserId": "carol"}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "ToUserId": "carol", "Role": "x"},
     660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "ToUserId": "carol", "Role": 1}, 660600029),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "ToUserId": "carol", "Role": 0}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "ToUserId": "carol", "Role": 256},
     660000002),
    ({"FromUserId": "carol", "GroupId": "g-hiking", "ToUserId": "carol", "Role": 2}, 660600030),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "ToUserId": "carol", "Role": 2},
     660600001),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "ToUserId": "erin", "Role": 2}, 660600024),
    ({"FromUserId": "bob", "GroupId": "g-hiking", "ToUserId": "alice", "Role": 3}, 660000002),
])
async def test_set_role_refused(im_emulator, zego, params, code) -> None:
    assert (await zego.get("SetGroupMemberRole", **params))["Code"] == code
    assert (await roles(im_emulator, "g-hiking"))["carol"] == "member"


# ---- QueryGroupInfo ----------------------------------------------------------------------

async def test_query_group_info_fields_in_the_docs_order(im_emulator, zego) -> None:
    await im_emulator.store.set_attributes("g-hiking", {"k1": "v1"}, now_ms=1)
    data = await zego.call("QueryGroupInfo", {"FromUserId": "zoe", "GroupId": "g-hiking"})
    group = await im_emulator.store.get_group("g-hiking")
    assert zego.without_id(data) == {
        "Code": 0, "Message": "success", "GroupName": "Hiking", "GroupNotice": "Bring water",
        "GroupDataSeq": group.info_seq, "GroupAvatar": "https://example.com/g/hiking.png",
        "IsAllForbid": False,
        "LimitInfo": {"MemberCountLimit": group.max_members, "JoinMode": 1, "InviteMode": 0,
                      "BeInvitedMode": 0, "NumberMessage": 0},
        "ForbidExpireTime": 0, "GroupCreateTime": 1687753739612, "GroupId": "g-hiking",
        "GroupAttributes": [{"Key": "k1", "Value": "v1"}]}


async def test_query_group_info_mute_all_and_roles(im_emulator, zego) -> None:
    now = im_emulator.clock.now_ms()
    await im_emulator.store.mute_all("g-hiking", now_ms=now,
                                     roles=("owner", "admin", "member"))
    data = await zego.call("QueryGroupInfo", {"FromUserId": "alice", "GroupId": "g-hiking"})
    assert (data["IsAllForbid"], "ForbidList" in data, data["ForbidExpireTime"]) == (
        True, False, -1)
    await im_emulator.store.mute_all("g-hiking", now_ms=now, until_ms=now + 60_000,
                                     roles=("member",))
    data = await zego.call("QueryGroupInfo", {"FromUserId": "alice", "GroupId": "g-hiking"})
    assert ("IsAllForbid" in data, data["ForbidList"], data["ForbidExpireTime"]) == (
        False, [3], now + 60_000)


@pytest.mark.parametrize(("body", "code"), [
    ({"GroupId": "g-hiking"}, 660000002),
    ({"FromUserId": "ghost", "GroupId": "g-hiking"}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere"}, 660600001),
    ({"FromUserId": "alice", "GroupId": "g-old-project"}, 660600001),
])
async def test_query_group_info_refused(zego, body, code) -> None:
    data = await zego.call("QueryGroupInfo", body)
    assert (data["Code"], list(data)) == (code, ["Code", "Message", "RequestId"])


# ---- UpdateGroupData ---------------------------------------------------------------------

async def test_update_absent_unchanged_empty_clears(im_emulator, zego) -> None:
    before = (await im_emulator.store.get_group("g-hiking")).info_seq
    data = await zego.call("UpdateGroupData", {"FromUserId": "carol", "GroupId": "g-hiking",
                                               "GroupName": "Hikers", "GroupNotice": ""})
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}
    group = await im_emulator.store.get_group("g-hiking")
    assert (group.name, group.notification, group.face_url) == (
        "Hikers", "", "https://example.com/g/hiking.png")
    info = await zego.call("QueryGroupInfo", {"FromUserId": "alice", "GroupId": "g-hiking"})
    assert (info["GroupName"], info["GroupDataSeq"]) == ("Hikers", before + 1)


@pytest.mark.parametrize(("body", "code"), [
    ({"GroupId": "g-hiking", "GroupName": "x"}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "GroupName": 3}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "GroupName": "x" * 51}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "GroupNotice": "x" * 301}, 660000002),
    ({"FromUserId": "alice", "GroupId": "g-hiking", "GroupAvatar": "x" * 501}, 660000002),
    ({"FromUserId": "ghost", "GroupId": "g-hiking", "GroupName": "x"}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "GroupName": "x"}, 660600001),
])
async def test_update_refused(im_emulator, zego, body, code) -> None:
    assert (await zego.call("UpdateGroupData", body))["Code"] == code
    assert (await im_emulator.store.get_group("g-hiking")).name == "Hiking"


# ---- QueryAppGroupList -------------------------------------------------------------------

async def live_group_ids(im_emulator) -> list[str]:
    state = (await im_emulator.client.get("/_emulator/state")).json()
    return [g["id"] for g in state["groups"] if g["status"] != "dismissed"]


async def test_app_group_list_walk_by_page_index(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    expected = await live_group_ids(im_emulator)
    seen: list[str] = []
    index = 0
    while True:
        data = await zego.get("QueryAppGroupList", Limit=2, Next=index)
        assert list(data) == ["Code", "Message", "RequestId", "TotalCount", "Next",
                              "GroupIdList"]
        assert (data["Code"], data["TotalCount"]) == (0, len(expected))
        assert all(set(item) == {"GroupId", "GroupName"} for item in data["GroupIdList"])
        seen += [item["GroupId"] for item in data["GroupIdList"]]
        im_emulator.clock.advance(1)
        if data["Next"] == 0:
            break
        assert data["Next"] == index + 1
        index = data["Next"]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    assert "g-old-project" not in seen


async def test_app_group_list_defaults_and_past_the_end(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    everything = await zego.get("QueryAppGroupList")
    assert (everything["Code"], everything["Next"]) == (0, 0)
    assert len(everything["GroupIdList"]) == everything["TotalCount"]
    im_emulator.clock.advance(1)
    past = await zego.get("QueryAppGroupList", Limit=2, Next=10**6)
    assert (past["Code"], past["GroupIdList"], past["Next"]) == (0, [], 0)


@pytest.mark.parametrize("params", [{"Limit": -1}, {"Limit": "x"}, {"Next": -1},
                                    {"Next": "abc"}])
async def test_app_group_list_refused(zego, params) -> None:
    assert (await zego.get("QueryAppGroupList", **params))["Code"] == 660000002


async def test_app_group_list_is_limited_to_one_call_per_second(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.5)
    assert (await zego.get("QueryAppGroupList", Limit=1))["Code"] == 0
    limited = await zego.get("QueryAppGroupList", Limit=1)
    assert (limited["Code"], limited["Message"]) == (
        660600007, "QueryAppGroupList calls exceed the rate limit.")
    im_emulator.clock.advance(0.5)
    assert (await zego.get("QueryAppGroupList", Limit=1))["Code"] == 0
