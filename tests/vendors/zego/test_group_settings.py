"""SetGroupMembersNickname (POST, 1 call per second per group, ≤ 20 users, ErrorUsers),
ModifyGroupAttribute (POST; Action 0 set, 1 delete; keys ≤ 16 B, values ≤ 1024 B, ≤ 10 a group)
and ModifyGroupLimit (GET; a present but empty mode counts as 0), from ZEGO's "设置群成员昵称",
"修改群规格限制", the ModifyGroupAttribute page and the global return codes.
g-hiking: alice owner, bob admin, carol, dave, heavy members."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

G = "g-hiking"


# ---- SetGroupMembersNickname -------------------------------------------------------------

async def test_nicknames_show_in_the_member_list(im_emulator, zego) -> None:
    data = await zego.call("SetGroupMembersNickname", {
        "FromUserId": "alice", "GroupId": G,
        "UserIds": [{"UserId": "carol", "Nickname": "Caz"}, {"UserId": "erin", "Nickname": "E"},
                    {"UserId": "bob", "Nickname": "Bobby"}]})
    assert zego.without_id(data) == {"Code": 0, "Message": "success",
                                     "ErrorUsers": [{"UserId": "erin", "SubCode": 660600024}]}
    members = await zego.call("QueryGroupMemberList", {"GroupId": G, "Limit": 100, "Next": 0})
    nicknames = {m["UserId"]: m["UserNickName"] for m in members["MemberList"]}
    assert (nicknames["carol"], nicknames["bob"], nicknames["dave"]) == ("Caz", "Bobby", "")
    assert (await im_emulator.store.member(G, "carol")).nickname == "Caz"


async def test_nickname_all_failed_and_success_without_error_users(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    failed = await zego.call("SetGroupMembersNickname", {
        "FromUserId": "alice", "GroupId": G, "UserIds": [{"UserId": "erin", "Nickname": "E"}]})
    assert (failed["Code"], failed["ErrorUsers"]) == (
        660600033, [{"UserId": "erin", "SubCode": 660600024}])
    im_emulator.clock.advance(1)
    done = await zego.call("SetGroupMembersNickname", {
        "FromUserId": "dave", "GroupId": G, "UserIds": [{"UserId": "dave", "Nickname": ""}]})
    assert zego.without_id(done) == {"Code": 0, "Message": "success"}


async def test_nickname_is_limited_to_one_call_per_second_per_group(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.5)
    body = {"FromUserId": "alice", "GroupId": G,
            "UserIds": [{"UserId": "carol", "Nickname": "C"}]}
    assert (await zego.call("SetGroupMembersNickname", body))["Code"] == 0
    assert (await zego.call("SetGroupMembersNickname", body))["Code"] == 660300006
    other = {**body, "GroupId": "g-book-club"}
    assert (await zego.call("SetGroupMembersNickname", other))["Code"] == 0
    im_emulator.clock.advance(0.5)
    assert (await zego.call("SetGroupMembersNickname", body))["Code"] == 0


@pytest.mark.parametrize(("change", "code"), [
    ({"UserIds": []}, 660000002),
    ({"UserIds": ["carol"]}, 660000002),
    ({"UserIds": [{"UserId": "carol"}]}, 660000002),
    ({"UserIds": [{"UserId": "carol", "Nickname": "x" * 65}]}, 660000002),
    ({"UserIds": [{"UserId": f"u{i}", "Nickname": "n"} for i in range(21)]}, 660000011),
    ({"FromUserId": "ghost"}, 660500002),
    ({"GroupId": "g-nowhere"}, 660600001),
])
async def test_nickname_refused(im_emulator, zego, change, code) -> None:
    body = {"FromUserId": "alice", "GroupId": G,
            "UserIds": [{"UserId": "carol", "Nickname": "C"}], **change}
    assert (await zego.call("SetGroupMembersNickname", body))["Code"] == code
    assert (await im_emulator.store.member(G, "carol")).nickname == ""


# ---- ModifyGroupAttribute ----------------------------------------------------------------

async def attributes(zego) -> list[dict]:
    info = await zego.call("QueryGroupInfo", {"FromUserId": "alice", "GroupId": G})
    return info["GroupAttributes"]


async def test_set_and_delete_attributes(im_emulator, zego) -> None:
    before = (await im_emulator.store.get_group(G)).info_seq
    data = await zego.call("ModifyGroupAttribute", {
        "Action": 0, "FromUserId": "carol", "GroupId": G,
        "Attributes": [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}]})
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}
    assert await attributes(zego) == [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}]
    assert (await im_emulator.store.get_group(G)).info_seq > before
    assert (await zego.call("ModifyGroupAttribute", {
        "FromUserId": "carol", "GroupId": G,
        "Attributes": [{"Key": "k1", "Value": "new"}]}))["Code"] == 0
    assert (await zego.call("ModifyGroupAttribute", {
        "Action": 1, "FromUserId": "carol", "GroupId": G,
        "Attributes": [{"Key": "k2"}, {"Key": "absent"}]}))["Code"] == 0
    assert await attributes(zego) == [{"Key": "k1", "Value": "new"}]


async def test_at_most_ten_attributes(zego) -> None:
    ten = [{"Key": f"k{i}", "Value": "v"} for i in range(10)]
    body = {"FromUserId": "alice", "GroupId": G, "Attributes": ten}
    assert (await zego.call("ModifyGroupAttribute", body))["Code"] == 0
    more = {**body, "Attributes": [{"Key": "k10", "Value": "v"}]}
    assert (await zego.call("ModifyGroupAttribute", more))["Code"] == 660600019
    replace = {**body, "Attributes": [{"Key": "k0", "Value": "w"}]}
    assert (await zego.call("ModifyGroupAttribute", replace))["Code"] == 0


@pytest.mark.parametrize(("change", "code"), [
    ({"Action": 2}, 660000002),
    ({"Attributes": []}, 660000002),
    ({"Attributes": [{"Value": "v"}]}, 660000002),
    ({"Attributes": [{"Key": "k", "Value": 1}]}, 660000002),
    ({"Attributes": [{"Key": "k" * 17, "Value": "v"}]}, 660600020),
    ({"Attributes": [{"Key": "k", "Value": "v" * 1025}]}, 660600020),
    ({"FromUserId": "ghost"}, 660500002),
    ({"GroupId": "g-old-project"}, 660600001),
])
async def test_attribute_refused(zego, change, code) -> None:
    body = {"FromUserId": "alice", "GroupId": G, "Attributes": [{"Key": "k", "Value": "v"}],
            **change}
    assert (await zego.call("ModifyGroupAttribute", body))["Code"] == code
    assert await attributes(zego) == []


# ---- ModifyGroupLimit --------------------------------------------------------------------

async def limits(zego) -> dict:
    info = await zego.call("QueryGroupInfo", {"FromUserId": "alice", "GroupId": G})
    return info["LimitInfo"]


async def test_modify_limits_and_read_them_back(im_emulator, zego) -> None:
    data = await zego.get("ModifyGroupLimit", FromUserId="alice", GroupId=G, JoinMode=1,
                          InviteMode=1, BeInvitedMode=1, MemberCountLimit=100)
    assert zego.without_id(data) == {"Code": 0, "Message": "success"}
    assert await limits(zego) == {"MemberCountLimit": 100, "JoinMode": 1, "InviteMode": 1,
                                  "BeInvitedMode": 1, "NumberMessage": 0}
    group = await im_emulator.store.get_group(G)
    assert (group.apply_join_option, group.inviter_role, group.invitee_must_accept,
            group.max_members) == ("NeedPermission", "admin", True, 100)


async def test_absent_is_unchanged_present_but_empty_is_zero(zego) -> None:
    await zego.get("ModifyGroupLimit", FromUserId="alice", GroupId=G, JoinMode=2,
                   InviteMode=1, BeInvitedMode=1)
    await zego.get("ModifyGroupLimit", FromUserId="alice", GroupId=G, InviteMode="")
    after = await limits(zego)
    assert (after["JoinMode"], after["InviteMode"], after["BeInvitedMode"]) == (2, 0, 1)


@pytest.mark.parametrize(("params", "code"), [
    ({"GroupId": G, "JoinMode": 1}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "JoinMode": 3}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "InviteMode": 2}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "BeInvitedMode": "x"}, 660000002),
    ({"FromUserId": "alice", "GroupId": G, "MemberCountLimit": -1}, 660000002),
    ({"FromUserId": "ghost", "GroupId": G, "JoinMode": 1}, 660500002),
    ({"FromUserId": "alice", "GroupId": "g-nowhere", "JoinMode": 1}, 660600001),
])
async def test_modify_limit_refused(zego, params, code) -> None:
    before = await limits(zego)
    assert (await zego.get("ModifyGroupLimit", **params))["Code"] == code
    assert await limits(zego) == before
