"""Mutes: member mutes (gag add/rollback/list: 20 users, 43200 minutes, 0 = permanent, empty
groupId = every group, times ``YYYY-MM-DD HH:MM:SS`` in UTC+8), mute-all (ban add/rollback/query:
20 groups, pages of 50 up to 200) and its whitelist."""

from __future__ import annotations

import pytest

from emulator.vendors.rongcloud.mutes import FOREVER_MS, format_time

pytestmark = pytest.mark.anyio

OK = (200, {"code": 200})
GAG_ADD = "/group/user/gag/add.json"
GAG_ROLLBACK = "/group/user/gag/rollback.json"
GAG_LIST = "/group/user/gag/list.json"
START = 1_700_000_000   # 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 UTC+8


async def test_gag_add_list_and_expiry(im_emulator, rongcloud) -> None:
    im_emulator.clock.set(START)
    im_emulator.clock.freeze()
    assert await rongcloud.call(GAG_ADD, "userId=alice&userId=bob&groupId=g-hiking&minute=2") \
        == OK
    assert await rongcloud.call(GAG_LIST, "groupId=g-hiking") == (200, {"code": 200, "users": [
        {"userId": "alice", "startTime": "2023-11-15 06:13:20", "time": "2023-11-15 06:15:20"},
        {"userId": "bob", "startTime": "2023-11-15 06:13:20", "time": "2023-11-15 06:15:20"}]})
    member = await im_emulator.store.member("g-hiking", "alice")
    assert member.mute_until_ms == (START + 120) * 1000
    im_emulator.clock.advance(120)
    assert await rongcloud.call(GAG_LIST, "groupId=g-hiking") == (200, {"code": 200,
                                                                       "users": []})


async def test_minute_zero_is_permanent_and_43200_the_most(im_emulator, rongcloud) -> None:
    im_emulator.clock.set(START)
    assert await rongcloud.call(GAG_ADD, "userId=alice&groupId=g-hiking&minute=0") == OK
    im_emulator.clock.advance(10 * 365 * 86400)
    [user] = (await rongcloud.call(GAG_LIST, "groupId=g-hiking"))[1]["users"]
    assert user == {"userId": "alice", "startTime": "2023-11-15 06:13:20",
                    "time": "9999-12-31 08:00:00"}
    assert await rongcloud.call(GAG_ADD, "userId=bob&groupId=g-hiking&minute=43200") == OK
    assert await rongcloud.call(GAG_ADD, "userId=bob&groupId=g-hiking&minute=43201") == \
        (400, {"code": 1002, "errorMessage": "Paramer 'minute' is invalid: must be at most 43200"})
    assert await rongcloud.call(GAG_ADD, "userId=bob&groupId=g-hiking&minute=-1") == \
        (400, {"code": 1002,
               "errorMessage": "Paramer 'minute' is invalid: must be a non-negative integer"})
    assert await rongcloud.call(GAG_ADD, "userId=bob&groupId=g-hiking") == \
        rongcloud.required("minute")


async def test_gag_at_most_20_users(rongcloud) -> None:
    users = "&".join(f"userId=u{i}" for i in range(21))
    assert await rongcloud.call(GAG_ADD, f"{users}&groupId=g-hiking&minute=1") == \
        (400, {"code": 1502, "errorMessage": "Paramer 'userId' takes at most 20 values, got 21."})
    assert await rongcloud.call(GAG_ROLLBACK, f"{users}&groupId=g-hiking") == \
        (400, {"code": 1502, "errorMessage": "Paramer 'userId' takes at most 20 values, got 21."})
    assert await rongcloud.call(GAG_ADD, "groupId=g-hiking&minute=1") == \
        rongcloud.required("userId")


async def test_empty_group_id_means_every_group(im_emulator, rongcloud) -> None:
    joined = [group["id"] for group in await rongcloud.groups_of("alice")]
    assert len(joined) >= 2
    assert await rongcloud.call(GAG_ADD, "userId=alice&minute=5") == OK
    now = im_emulator.clock.now_ms()
    for group_id in joined:
        assert (await im_emulator.store.member(group_id, "alice")).muted(now)
    status, answer = await rongcloud.call(GAG_LIST, "groupId=")
    assert status == 200 and [user["userId"] for user in answer["users"]] == ["alice"]
    assert await rongcloud.call(GAG_ROLLBACK, f"userId=alice&groupId={joined[0]}") == OK
    assert not (await im_emulator.store.member(joined[0], "alice")).muted(now)
    assert (await im_emulator.store.member(joined[1], "alice")).muted(now)
    assert await rongcloud.call(GAG_ROLLBACK, "userId=alice") == OK
    assert await rongcloud.call(GAG_LIST, "groupId=") == (200, {"code": 200, "users": []})


async def test_gag_unknown_group_and_non_members(rongcloud) -> None:
    assert await rongcloud.call(GAG_ADD, "userId=zoe&groupId=nowhere&minute=1") == OK
    assert await rongcloud.call(GAG_ADD, "userId=not-a-member&groupId=g-hiking&minute=1") == OK
    assert await rongcloud.call(GAG_LIST, "groupId=nowhere") == (200, {"code": 200, "users": []})
    assert await rongcloud.call(GAG_LIST, "groupId=g-hiking") == (200, {"code": 200, "users": []})


def test_time_format_in_any_zone() -> None:
    assert format_time(START * 1000, 8) == "2023-11-15 06:13:20"
    assert format_time(START * 1000, 0) == "2023-11-14 22:13:20"
    assert format_time(FOREVER_MS, -12) == "9999-12-30 12:00:00"
    assert format_time(FOREVER_MS, 14) == "9999-12-31 14:00:00"


BAN_ADD = "/group/ban/add.json"
BAN_ROLLBACK = "/group/ban/rollback.json"
BAN_QUERY = "/group/ban/query.json"


async def test_ban_add_query_rollback(im_emulator, rongcloud) -> None:
    before = [row["groupId"] for row in (await rongcloud.call(BAN_QUERY, "page=1"))[1]["groupinfo"]]
    assert before == ["g-quiet", "g-team-07"]   # muted in the fixture
    assert await rongcloud.call(BAN_ADD, "groupId=g-hiking&groupId=g-standup&groupId=nowhere") \
        == OK
    group = await im_emulator.store.get_group("g-hiking")
    assert group.mute_all_active(im_emulator.clock.now_ms())
    assert group.muted_roles == {"owner", "admin", "member"}
    assert await rongcloud.call(BAN_QUERY, "groupId=g-hiking&groupId=g-book-club&groupId=nowhere"
                                ) == (200, {"code": 200, "groupinfo": [
                                    {"groupId": "g-hiking", "stat": 1},
                                    {"groupId": "g-book-club", "stat": 0},
                                    {"groupId": "nowhere", "stat": 0}]})
    status, answer = await rongcloud.call(BAN_QUERY, "page=1")
    assert status == 200 and [row["groupId"] for row in answer["groupinfo"]] == \
        ["g-hiking", "g-standup", "g-quiet", "g-team-07"]   # creation order
    assert await rongcloud.call(BAN_ROLLBACK, "groupId=g-hiking") == OK
    assert await rongcloud.call(BAN_QUERY, "groupId=g-hiking") == \
        (200, {"code": 200, "groupinfo": [{"groupId": "g-hiking", "stat": 0}]})


async def test_ban_limits(rongcloud) -> None:
    groups = "&".join(f"groupId=g{i}" for i in range(21))
    for path in (BAN_ADD, BAN_ROLLBACK, BAN_QUERY):
        assert await rongcloud.call(path, groups) == (400, {
            "code": 1502, "errorMessage": "Paramer 'groupId' takes at most 20 values, got 21."})
    assert await rongcloud.call(BAN_ADD, "groupId=") == rongcloud.required("groupId")
    assert await rongcloud.call(BAN_QUERY, "size=201") == \
        (400, {"code": 1002, "errorMessage": "Paramer 'size' is invalid: must be at most 200"})


async def test_ban_query_pages(rongcloud) -> None:
    for batch in range(3):
        ids = [f"ban-{batch}-{i:02}" for i in range(20)]
        for group_id in ids:
            await rongcloud.call("/group/create.json",
                                 f"userId=owner&groupId={group_id}&groupName=x")
        assert await rongcloud.call(BAN_ADD, "&".join(f"groupId={g}" for g in ids)) == OK
    first = (await rongcloud.call(BAN_QUERY, "page=1"))[1]["groupinfo"]
    second = (await rongcloud.call(BAN_QUERY, "page=2"))[1]["groupinfo"]
    assert len(first) == 50 and len(second) == 12   # the fixture's 2 muted groups and 60
    seen = [row["groupId"] for row in first + second]
    assert len(set(seen)) == 62 and all(row["stat"] == 1 for row in first + second)
    small = []
    for page in range(1, 5):
        small += (await rongcloud.call(BAN_QUERY, f"page={page}&size=20"))[1]["groupinfo"]
    assert [row["groupId"] for row in small] == seen
    assert (await rongcloud.call(BAN_QUERY, "page=9"))[1]["groupinfo"] == []


WL = "/group/user/ban/whitelist/"


async def test_whitelist(im_emulator, rongcloud) -> None:
    assert await rongcloud.call(WL + "add.json", "userId=bob&userId=alice&groupId=g-hiking") == OK
    assert await rongcloud.call(WL + "query.json", "groupId=g-hiking") == \
        (200, {"code": 200, "userIds": ["alice", "bob"]})
    assert await im_emulator.store.whitelist("g-hiking") == ["alice", "bob"]
    assert await rongcloud.call(WL + "rollback.json", "userId=alice&groupId=g-hiking") == OK
    assert await rongcloud.call(WL + "query.json", "groupId=g-hiking") == \
        (200, {"code": 200, "userIds": ["bob"]})
    assert await rongcloud.call(WL + "query.json", "groupId=nowhere") == \
        (200, {"code": 200, "userIds": []})
    assert await rongcloud.call(WL + "add.json", "userId=bob&groupId=nowhere") == OK
    users = "&".join(f"userId=u{i}" for i in range(21))
    assert await rongcloud.call(WL + "add.json", f"{users}&groupId=g-hiking") == \
        (400, {"code": 1502, "errorMessage": "Paramer 'userId' takes at most 20 values, got 21."})
    assert await rongcloud.call(WL + "add.json", "userId=bob") == rongcloud.required("groupId")
    assert await rongcloud.call(WL + "query.json", "groupId=") == rongcloud.required("groupId")
