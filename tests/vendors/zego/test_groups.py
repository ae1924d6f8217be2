"""Action=QueryGroupsInfoOfUser (a user's groups, a page at a time, with a numeric Next
cursor as the docs' samples show) and Action=CreateGroup (a group write used to seed state)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.anyio

QUERY = "QueryGroupsInfoOfUser"


def fixture_with(user: str, groups: int) -> dict[str, Any]:
    """A user in ``groups`` groups, joined one second apart in reverse id order."""
    return {"users": [{"id": user, "name": user}],
            "groups": [{"id": f"g-{user}-{i:04d}", "name": f"N{i}", "type": "work",
                        "owner": user, "createTime": 1_600_000_000_000,
                        "members": []} for i in range(groups)]}


# ---- QueryGroupsInfoOfUser ----------------------------------------------------------------

PARAM_CASES: list[tuple[str, Any]] = [
    ("no FromUserId", {"Limit": 1}),
    ("empty FromUserId", {"FromUserId": "", "Limit": 1}),
    ("FromUserId 33 chars", {"FromUserId": "a" * 33, "Limit": 1}),
    ("FromUserId a number", {"FromUserId": 7, "Limit": 1}),
    ("no Limit", {"FromUserId": "alice"}),
    ("Limit 0", {"FromUserId": "alice", "Limit": 0}),
    ("Limit 101", {"FromUserId": "alice", "Limit": 101}),
    ("Limit '101'", {"FromUserId": "alice", "Limit": "101"}),
    ("Limit 'ten'", {"FromUserId": "alice", "Limit": "ten"}),
    ("Limit true", {"FromUserId": "alice", "Limit": True}),
    ("Limit 1.5", {"FromUserId": "alice", "Limit": 1.5}),
    ("Limit a list", {"FromUserId": "alice", "Limit": [1]}),
    ("Next a number", {"FromUserId": "alice", "Limit": 1, "Next": 3}),
    ("Next not numeric", {"FromUserId": "alice", "Limit": 1, "Next": "!!!"}),
    ("Next negative", {"FromUserId": "alice", "Limit": 1, "Next": "-1"}),
    ("Next a decimal", {"FromUserId": "alice", "Limit": 1, "Next": "1.5"}),
    ("body a list", [1, 2]),
]


@pytest.mark.parametrize(("case", "body"), PARAM_CASES, ids=[case[0] for case in PARAM_CASES])
async def test_query_parameter_errors(zego, case: str, body: Any) -> None:
    data = await zego.call(QUERY, body)
    assert data["Code"] == 660000002
    assert data["Message"].startswith("Parameter error. ")


async def test_unregistered_user(zego) -> None:
    data = await zego.query("nobody-here")
    assert (data["Code"], data["Message"]) == (660500002, "The operator user is not registered.")
    assert list(data) == ["Code", "Message", "RequestId"]


async def test_registered_user_without_visible_groups(im_emulator, zego) -> None:
    await im_emulator.seed({"users": [{"id": "loner"}, {"id": "quitter"}], "groups": [
        {"id": "g-gone", "name": "Gone", "type": "work", "owner": "quitter",
         "status": "dismissed"}]})
    for user in ("loner", "quitter"):
        data = await zego.query(user)
        assert (data["Code"], data["HasJoinGroupNum"], data["GroupInfoList"],
                data["NextRsp"]) == (0, 0, [], "0"), user


async def test_next_rsp_is_the_numeric_offset_of_the_next_page(zego) -> None:
    first = await zego.query("alice", 2)
    assert first["NextRsp"] == "2"
    second = await zego.query("alice", 2, "2")
    assert second["NextRsp"] == "4"
    everything = [g["GroupId"] for g in (await zego.query("alice", 100))["GroupInfoList"]]
    assert [g["GroupId"] for g in second["GroupInfoList"]] == everything[2:4]


async def test_a_numeric_next_built_by_the_client_is_an_offset(zego) -> None:
    # the docs' samples show numeric cursors; the real service takes one as a position, so a
    # cursor kept from another user's query or made up is read the same way
    everything = [g["GroupId"] for g in (await zego.query("alice", 100))["GroupInfoList"]]
    built = await zego.query("alice", 1, "3")
    assert (built["Code"], [g["GroupId"] for g in built["GroupInfoList"]]) == (
        0, everything[3:4])
    heavy = await zego.query("heavy", 2, "1")
    assert heavy["Code"] == 0 and heavy["NextRsp"] in ("0", "3")
    past = await zego.query("alice", 2, "99999999999999999")
    assert (past["Code"], past["GroupInfoList"], past["NextRsp"],
            past["HasJoinGroupNum"]) == (0, [], "0", len(everything))


async def test_zero_next_means_the_first_page(zego) -> None:
    first = await zego.query("alice", 3)
    for start in ("0", 0, None):
        again = await zego.query("alice", 3, start)
        assert again["GroupInfoList"] == first["GroupInfoList"]


async def test_dismissed_groups_are_invisible_and_avchatrooms_listed(im_emulator, zego) -> None:
    await im_emulator.seed({"users": [{"id": "dana"}], "groups": [
        {"id": "g-d1", "name": "D1", "type": "work", "owner": "dana",
         "createTime": 1_600_000_000_000},
        {"id": "g-d2", "name": "D2", "type": "avchatroom", "owner": "dana",
         "createTime": 1_600_000_001_000},
        {"id": "g-d3", "name": "D3", "type": "public", "owner": "dana", "status": "dismissed",
         "createTime": 1_600_000_002_000},
        {"id": "g-d4", "name": "D4", "type": "work", "owner": "dana", "activated": False,
         "createTime": 1_600_000_003_000}]})
    data = await zego.query("dana")
    assert data["HasJoinGroupNum"] == 3
    assert [g["GroupId"] for g in data["GroupInfoList"]] == ["g-d1", "g-d2", "g-d4"]


async def test_heavy_user_total_leaves_out_the_dismissed_group(im_emulator, zego) -> None:
    state = (await im_emulator.client.get("/_emulator/state")).json()
    dismissed = {g["id"] for g in state["groups"] if g["status"] == "dismissed"}
    mine = [m["group_id"] for m in state["memberships"] if m["user_id"] == "heavy"]
    expected = len([g for g in mine if g not in dismissed])
    assert (await zego.query("heavy", 1))["HasJoinGroupNum"] == expected


async def test_order_is_join_time_then_group_id(im_emulator, zego) -> None:
    await im_emulator.seed({"users": [{"id": "owner"}, {"id": "joiner"}], "groups": [
        {"id": "g-c", "name": "A", "type": "work", "owner": "owner",
         "members": [{"id": "joiner", "joinTime": 3000}]},
        {"id": "g-a", "name": "B", "type": "work", "owner": "owner",
         "members": [{"id": "joiner", "joinTime": 5000}]},
        {"id": "g-b", "name": "C", "type": "work", "owner": "owner",
         "members": [{"id": "joiner", "joinTime": 3000}]}]})
    data = await zego.query("joiner")
    assert [g["GroupId"] for g in data["GroupInfoList"]] == ["g-b", "g-c", "g-a"]


@pytest.mark.im_emulator_settings(rate_limits=False)
@pytest.mark.parametrize("groups", [0, 1, 100, 101, 250])
@pytest.mark.parametrize("limit", [1, 7, 100])
async def test_walking_next_yields_every_group_once(im_emulator, zego, groups: int,
                                                    limit: int) -> None:
    if groups:
        await im_emulator.seed(fixture_with("walker", groups))
    else:
        await im_emulator.seed({"users": [{"id": "walker"}]})
    seen: list[str] = []
    next_ = ""
    pages = 0
    while True:
        data = await zego.query("walker", limit, next_)
        assert data["Code"] == 0
        assert data["HasJoinGroupNum"] == groups
        assert len(data["GroupInfoList"]) <= limit
        seen += [g["GroupId"] for g in data["GroupInfoList"]]
        pages += 1
        next_ = data["NextRsp"]
        if next_ == "0":
            break
    assert len(seen) == len(set(seen)) == groups
    assert pages == max(1, -(-groups // limit))
    assert set(seen) == {f"g-walker-{i:04d}" for i in range(groups)}


async def test_last_page_has_next_zero(im_emulator, zego) -> None:
    await im_emulator.seed(fixture_with("pager", 4))
    first = await zego.query("pager", 2)
    second = await zego.query("pager", 2, first["NextRsp"])
    assert (len(second["GroupInfoList"]), second["NextRsp"]) == (2, "0")


async def test_cursor_past_the_end_after_leaving_groups(im_emulator, zego) -> None:
    await im_emulator.seed(fixture_with("leaver", 4))
    first = await zego.query("leaver", 3)
    for i in range(3):
        await im_emulator.store.remove_members(f"g-leaver-{i:04d}", ["leaver"])
    after = await zego.query("leaver", 3, first["NextRsp"])
    assert (after["Code"], after["GroupInfoList"], after["NextRsp"],
            after["HasJoinGroupNum"]) == (0, [], "0", 1)


# ---- CreateGroup --------------------------------------------------------------------------

async def test_create_group_with_id(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000)
    data = await zego.call("CreateGroup", {
        "GroupId": "zg-1", "GroupName": "Zego One", "GroupNotice": "hello",
        "GroupAvatar": "https://x/1.png", "GroupOwner": "alice", "UserIds": ["bob", "carol"]})
    assert zego.without_id(data) == {"Code": 0, "Message": "success", "GroupId": "zg-1",
                                     "ErrorList": []}
    group = await im_emulator.store.get_group("zg-1")
    assert (group.name, group.type, group.owner, group.notification, group.face_url,
            group.apply_join_option, group.create_time_ms, group.member_count) == (
        "Zego One", "public", "alice", "hello", "https://x/1.png", "FreeAccess",
        1_800_000_000_000, 3)
    roles = {m.user_id: m.role for m in await im_emulator.store.members("zg-1")}
    assert roles == {"alice": "owner", "bob": "member", "carol": "member"}
    assert "zg-1" in await zego.joined_ids("bob")


async def test_create_group_generates_an_id(im_emulator, zego) -> None:
    first = await zego.call("CreateGroup", {"GroupOwner": "alice", "GroupId": ""})
    second = await zego.call("CreateGroup", {"GroupOwner": "alice"})
    assert first["Code"] == second["Code"] == 0
    assert first["GroupId"].startswith("#") and second["GroupId"].startswith("#")
    assert first["GroupId"] != second["GroupId"] and len(first["GroupId"]) <= 32
    assert await im_emulator.store.get_group(first["GroupId"]) is not None


async def test_create_group_accepts_the_user_id_key(im_emulator, zego) -> None:
    data = await zego.call("CreateGroup",
                           {"GroupId": "zg-key", "GroupOwner": "alice", "UserId": ["bob"]})
    assert data["Code"] == 0
    assert {m.user_id for m in await im_emulator.store.members("zg-key")} == {"alice", "bob"}


async def test_create_group_reports_unregistered_members(im_emulator, zego) -> None:
    data = await zego.call("CreateGroup", {
        "GroupId": "zg-2", "GroupOwner": "alice", "UserIds": ["bob", "ghost", "alice", "bob"]})
    assert data["Code"] == 0
    assert data["ErrorList"] == [{"UserId": "ghost", "SubCode": 660500002,
                                  "SubMessage": "The user is not registered."}]
    assert {m.user_id for m in await im_emulator.store.members("zg-2")} == {"alice", "bob"}


@pytest.mark.parametrize(("body", "code"), [
    ({"GroupId": "zg-3"}, 660000002),
    ({"GroupId": "#zg", "GroupOwner": "alice"}, 660000002),
    ({"GroupId": "g" * 33, "GroupOwner": "alice"}, 660000012),
    ({"GroupId": "zg 3/", "GroupOwner": "alice"}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "GroupName": "n" * 51}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "GroupNotice": "n" * 301}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "GroupAvatar": "n" * 501}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "UserIds": [f"u{i}" for i in range(101)]},
     660000002),
    ({"GroupId": "zg-3", "GroupOwner": "alice", "UserIds": [1, 2]}, 660000002),
    ({"GroupId": "zg-3", "GroupOwner": "ghost"}, 660500002),
    ({"GroupId": "g-hiking", "GroupOwner": "alice"}, 660600011),
    ({"GroupId": "g-old-project", "GroupOwner": "alice"}, 660600011),
    ({"GroupId": "zg 3", "GroupOwner": "alice"}, 660000002),
    ({"GroupId": "zg,3", "GroupOwner": "alice"}, 660000002),
    ({"GroupId": "zg'3", "GroupOwner": "alice"}, 660000002),
])
async def test_create_group_errors(zego, body: dict[str, Any], code: int) -> None:
    data = await zego.call("CreateGroup", body)
    assert data["Code"] == code
    assert list(data) == ["Code", "Message", "RequestId"]


async def test_create_group_name_limit_is_in_bytes(zego) -> None:
    name = "群" * 17
    data = await zego.call("CreateGroup",
                           {"GroupId": "zg-bytes", "GroupOwner": "alice", "GroupName": name})
    assert data["Code"] == 660000002
    data = await zego.call("CreateGroup",
                           {"GroupId": "zg-bytes", "GroupOwner": "alice", "GroupName": "群" * 16})
    assert data["Code"] == 0


async def test_a_dismissed_group_id_is_not_reused(im_emulator, zego) -> None:
    """ZEGO: "GroupID must be unique and cannot be reused"; CreateGroup documents 660600011
    "the group already exists"."""
    assert (await im_emulator.store.get_group("g-old-project")).status == "dismissed"
    data = await zego.call("CreateGroup",
                           {"GroupId": "g-old-project", "GroupOwner": "bob", "GroupName": "Reborn"})
    assert (data["Code"], data["Message"]) == (660600011, "The group already exists.")
    assert (await im_emulator.store.get_group("g-old-project")).status == "dismissed"
    assert (await zego.get("DismissGroup", FromUserId="alice", GroupId="g-hiking"))["Code"] == 0
    again = await zego.call("CreateGroup", {"GroupId": "g-hiking", "GroupOwner": "alice"})
    assert again["Code"] == 660600011


@pytest.mark.parametrize("user_id", ["a b", "a,b", "a'b", "a/b", "a*b"])
async def test_ids_with_characters_zego_does_not_allow(im_emulator, zego, user_id) -> None:
    data = await zego.call("UserRegister", {"UserInfo": [{"UserId": user_id}]})
    assert data["Code"] == 660000002


@pytest.mark.parametrize("user_id", ["a!#$%&()+-:;<=.>?@[]^_{}|~9Z"])
async def test_ids_with_every_allowed_character(zego, user_id) -> None:
    data = await zego.call("UserRegister", {"UserInfo": [{"UserId": user_id[:32]}]})
    assert (data["Code"], data["ErrorList"]) == (0, [])
