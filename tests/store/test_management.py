"""Group-management operations and the message log, one behaviour at a time (the state
machine in test_state_machine.py runs them in any order against a model)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from emulator.store import (GroupDismissed, GroupFull, GroupNotFound, GroupStore, IsOwner,
                            JoinedQuery, Membership, MessageNotFound, NotMember, muted)
from emulator.store.models import Group, Membership

pytestmark = pytest.mark.anyio

NOW = 1_700_000_000_000
FIXTURE = {
    "users": [{"id": u} for u in ("ann", "ben", "cat", "dan", "eve")],
    "groups": [
        {"id": "g1", "name": "One", "type": "work", "owner": "ann", "createTime": 100,
         "admins": [{"id": "ben", "joinTime": 300}],
         "members": [{"id": "cat", "joinTime": 200, "nickname": "Kitty", "muteUntil": NOW + 60_000}],
         "attributes": {"color": "red"}, "whitelist": ["cat"]},
        {"id": "g2", "name": "Two", "type": "public", "owner": "ben", "createTime": 100},
    ],
    "messages": [
        {"group": "g1", "sender": "ann", "time": 1_000, "body": {"text": "hi"}},
        {"group": "g1", "sender": "ben", "time": 2_000, "type": "custom", "body": "yo"},
    ],
}


@pytest.fixture
async def store(store_of: Any) -> AsyncIterator[GroupStore]:
    async with store_of(FIXTURE) as opened:
        yield opened


async def test_the_fixture_fills_the_new_fields(store: GroupStore) -> None:
    cat = await store.member("g1", "cat")
    assert cat is not None and (cat.nickname, cat.mute_until_ms) == ("Kitty", NOW + 60_000)
    assert cat.muted(NOW) and not cat.muted(NOW + 60_000)
    assert await store.attributes("g1") == {"color": "red"}
    assert await store.whitelist("g1") == ["cat"]
    group = await store.get_group("g1")
    assert group is not None and (group.next_msg_seq, group.last_msg_time) == (3, 2)
    log = await store.message_log()
    assert [(m.seq, m.sender, m.type, m.body, m.vendor) for m in log] == [
        (1, "ann", "text", {"text": "hi"}, "fixture"), (2, "ben", "custom", "yo", "fixture")]


async def test_add_members_reports_each_user(store: GroupStore) -> None:
    got = await store.add_group_members("g1", [
        Membership("g1", "dan", "admin", 500, nickname="D"), Membership("g1", "cat"),
        Membership("g1", "zed"), Membership("g1", "dan")])
    assert got == {"dan": "added", "cat": "already_member", "zed": "unknown_user"}
    dan = await store.member("g1", "dan")
    assert dan is not None and (dan.role, dan.join_time_ms, dan.nickname) == ("admin", 500, "D")
    group = await store.get_group("g1")
    assert group is not None and group.member_count == 4
    # the joined-groups read sees the write (the cache was emptied)
    assert [r.group.id for r in (await store.joined(JoinedQuery("dan"))).rows] == ["g1"]


async def test_a_failed_write_changes_nothing(store: GroupStore) -> None:
    await store.update_group_info("g2", now_ms=NOW, max_members=2)
    with pytest.raises(GroupFull):
        await store.add_group_members("g2", [Membership("g2", "cat"), Membership("g2", "dan")])
    with pytest.raises(ValueError):
        await store.add_group_members("g2", [Membership("g2", "cat"), Membership("g2", "dan",
                                                                                  "owner")])
    assert await store.member("g2", "cat") is None
    with pytest.raises(IsOwner):
        await store.remove_group_members("g1", ["cat", "ann"])
    assert await store.member("g1", "cat") is not None
    with pytest.raises(GroupNotFound):
        await store.remove_group_members("nope", ["cat"])


async def test_remove_set_role_and_transfer(store: GroupStore) -> None:
    assert await store.remove_group_members("g1", ["cat", "dan"]) == {
        "cat": "removed", "dan": "not_member"}
    assert await store.set_role("g1", "ben", "member") == "admin"
    with pytest.raises(IsOwner):
        await store.set_role("g1", "ann", "member")
    with pytest.raises(NotMember):
        await store.set_role("g1", "eve", "admin")
    with pytest.raises(NotMember):
        await store.transfer_owner("g1", "eve", now_ms=NOW)
    group = await store.transfer_owner("g1", "ben", now_ms=NOW)
    assert (group.owner, group.info_seq, group.last_info_time) == ("ben", 1, NOW // 1000)
    assert await store.roles_in("ann", ["g1", "g2", "g9"]) == {
        "g1": "member", "g2": None, "g9": None}
    group = await store.transfer_owner("g1", "ann", now_ms=NOW, old_owner_leaves=True)
    assert group.owner == "ann" and group.member_count == 1
    assert await store.member("g1", "ben") is None


async def test_update_group_info_is_partial(store: GroupStore) -> None:
    group = await store.update_group_info("g1", now_ms=NOW, notification="read me",
                                          invite_join_option="NeedPermission")
    assert (group.name, group.notification, group.invite_join_option) == (
        "One", "read me", "NeedPermission")
    assert (group.info_seq, group.notification_update_time) == (1, NOW)
    same = await store.update_group_info("g1", now_ms=NOW + 1, notification="read me")
    assert same.info_seq == 1  # nothing changed, nothing counted
    with pytest.raises(ValueError, match="owner"):
        await store.update_group_info("g1", now_ms=NOW, owner="ben")
    with pytest.raises(ValueError, match="apply_join_option"):
        await store.update_group_info("g1", now_ms=NOW, apply_join_option="Maybe")
    member = await store.update_member_info("g1", "ben", nickname="B", ex="{}")
    assert (member.nickname, member.ex) == ("B", "{}")


async def test_attributes(store: GroupStore) -> None:
    assert await store.set_attributes("g1", {"size": "L"}, now_ms=NOW) == {
        "color": "red", "size": "L"}
    assert await store.delete_attributes("g1", ["size", "nope"], now_ms=NOW) == ["size"]
    assert await store.delete_attributes("g1", None, now_ms=NOW) == ["color"]
    group = await store.get_group("g1")
    assert group is not None and group.info_seq == 3


async def test_mutes_follow_the_clock(store: GroupStore) -> None:
    assert await store.mute_members("g1", ["ben", "eve"], NOW + 10_000, now_ms=NOW) == {
        "ben": "muted", "eve": "not_member"}
    assert [m.user_id for m in await store.muted_members("g1", now_ms=NOW)] == ["ben", "cat"]
    assert [m.user_id for m in await store.muted_members("g1", now_ms=NOW + 10_000)] == ["cat"]
    assert await store.unmute_members("g1", ["ben"], now_ms=NOW) == {"ben": "unmuted"}
    ben = await store.member("g1", "ben")
    assert ben is not None and (ben.mute_until_ms, ben.muted_at_ms) == (0, 0)
    group = await store.mute_all("g1", now_ms=NOW, until_ms=NOW + 5_000, roles=["member", "admin"])
    assert group.mute_all_roles == "admin,member" and group.mute_all_active(NOW)
    assert not group.mute_all_active(NOW + 5_000)
    owner = await store.member("g1", "ann")
    assert ben is not None and owner is not None
    assert muted(group, ben, NOW) and not muted(group, owner, NOW)
    assert not muted(group, ben, NOW, whitelisted=True)
    group = await store.mute_all("g1", False, now_ms=NOW)
    assert not group.mute_all_active(NOW)
    assert await store.set_whitelist("g1", add=["ben"], remove=["cat"]) == ["ben"]


async def test_a_dismissed_group_takes_no_writes(store: GroupStore) -> None:
    group = await store.dismiss_group("g1", now_ms=NOW)
    assert (group.status, group.dismissed_at_ms, group.member_count) == ("dismissed", NOW, 3)
    for write in (store.add_group_members("g1", [Membership("g1", "eve")]),
                  store.set_attributes("g1", {"a": "b"}, now_ms=NOW),
                  store.append_message("g1", sender="ann", vendor="v", type="text", body="x",
                                       now_ms=NOW),
                  store.dismiss_group("g1", now_ms=NOW)):
        with pytest.raises(GroupDismissed):
            await write
    group = await store.dismiss_group("g2", now_ms=NOW, keep_members=False)
    assert group.member_count == 0 and (await store.member_page("g2")).rows == []


async def test_get_groups_reports_the_missing(store: GroupStore) -> None:
    found = await store.get_groups(["g2", "nope", "g1", "g2"])
    assert [g.id for g in found.groups] == ["g2", "g1"] and found.missing == ["nope"]


async def test_member_pages(store: GroupStore) -> None:
    page = await store.member_page("g1")
    assert [m.user_id for m in page.rows] == ["ann", "ben", "cat"] and page.next is None
    page = await store.member_page("g1", order="join")
    assert [m.user_id for m in page.rows] == ["ann", "cat", "ben"]
    page = await store.member_page("g1", order="join", limit=1, offset=1)
    assert [m.user_id for m in page.rows] == ["cat"] and page.next is not None
    page = await store.member_page("g1", order="join", after=page.next)
    assert [m.user_id for m in page.rows] == ["ben"]
    page = await store.member_page("g1", roles=["admin", "member"])
    assert page.total == 2 and [m.user_id for m in page.rows] == ["ben", "cat"]
    with pytest.raises(ValueError):
        await store.member_page("g1", after="bogus")


async def test_member_pages_read_only_the_fields_named(store: GroupStore) -> None:
    await store.update_member_info("g1", "cat", nickname="Cat", ex="x")
    for offset, after in ((0, None), (1, None), (0, "owner:0:")):
        every = await store.member_page("g1", offset=offset, after=after)
        some = await store.member_page("g1", offset=offset, after=after, fields=["nickname"])
        assert [(m.group_id, m.user_id, m.role, m.join_time_ms, m.nickname)
                for m in some.rows] == [(m.group_id, m.user_id, m.role, m.join_time_ms,
                                         m.nickname) for m in every.rows]
        assert all(m.ex == "" and m.msg_flag == Membership("g", "u").msg_flag
                   for m in some.rows)
        assert some.next == every.next and some.total == every.total
    cat = (await store.member_page("g1", order="join", fields=[])).rows[1]
    assert (cat.user_id, cat.nickname) == ("cat", "")
    with pytest.raises(ValueError):
        await store.member_page("g1", fields=["no_such_field"])


async def test_role_pages_at_every_offset_between_other_groups(store_of: Any) -> None:
    """An Offset page is the slice of the whole role-order list, for every offset (past the
    end too), role filter and page size, with groups sorting before and after this one; a
    walk by cursor lists the same members."""
    users = [f"u{i}" for i in range(9)]
    fixture = {"users": [{"id": u} for u in users], "groups": [
        {"id": "a", "name": "A", "type": "work", "owner": "u8", "members": users[:3]},
        {"id": "m", "name": "M", "type": "work", "owner": "u4",
         "admins": [{"id": u, "joinTime": 9 - i} for i, u in enumerate(users[:3])],
         "members": [{"id": u, "joinTime": i} for i, u in enumerate(users[5:])]},
        {"id": "z", "name": "Z", "type": "work", "owner": "u0", "admins": users[1:3]}]}
    async with store_of(fixture) as opened:
        for roles in (None, ["owner"], ["admin"], ["member"], ["admin", "member"],
                      ["owner", "member"]):
            every = [m.user_id for m in (await opened.member_page("m", roles=roles)).rows]
            for limit in (1, 2, 3):
                for offset in range(len(every) + 2):
                    page = await opened.member_page("m", offset=offset, limit=limit,
                                                    roles=roles)
                    assert [m.user_id for m in page.rows] == every[offset:offset + limit], (
                        roles, limit, offset)
                walked, cursor = [], None
                while True:
                    page = await opened.member_page("m", after=cursor, limit=limit,
                                                    roles=roles)
                    walked += [m.user_id for m in page.rows]
                    cursor = page.next
                    if cursor is None:
                        break
                assert walked == every, (roles, limit)


async def test_member_pages_read_the_index(store: GroupStore) -> None:
    from emulator.store import manage
    seen: list[tuple[str, Any]] = []

    class Spy:
        """The store's connection, recording each statement and its parameters."""

        def execute(self, sql: str, params: Any = ()) -> Any:
            seen.append((sql, params))
            return store.raw.execute(sql, params)

    for order in ("role", "join"):
        manage.member_page(Spy(), "g1", order=order, after="admin:300:ben",  # type: ignore[arg-type]
                           limit=10)
    plans = [row[3] for sql, params in seen if "FROM memberships" in sql
             for row in store.raw.execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert any("UNION ALL" in sql for sql, _ in seen)  # join order merges the role ranges
    assert plans and not any(plan.startswith("SCAN memberships") for plan in plans), plans
    assert any("memberships_by_group_role" in plan for plan in plans)


async def test_every_group_in_pages_with_new_groups_between(store: GroupStore) -> None:
    first = await store.group_page(limit=1)
    assert [g.id for g in first.groups] == ["g1"] and first.total == 2
    await store.create_group(Group("g0", "Zero", "work", "ann"),
                             [Membership("g0", "ann", "owner")])
    second = await store.group_page(after=first.next, limit=1)
    third = await store.group_page(after=second.next, limit=1)
    assert [g.id for g in second.groups + third.groups] == ["g2", "g0"] and third.next == 0
    assert (await store.group_page(types=["public"])).total == 1


async def test_append_history_and_queries(store: GroupStore) -> None:
    message, new = await store.append_message("g1", sender="cat", vendor="tencent", type="text",
                                              body={"t": 1}, now_ms=NOW, client_id="r1",
                                              dedup_ms=300_000)
    assert new and message.seq == 3
    again, new = await store.append_message("g1", sender="cat", vendor="tencent", type="text",
                                            body={"t": 2}, now_ms=NOW + 1, client_id="r1",
                                            dedup_ms=300_000)
    assert not new and again.seq == 3 and again.body == {"t": 1}
    later, new = await store.append_message("g1", sender="cat", vendor="tencent", type="text",
                                            body={"t": 3}, now_ms=NOW + 300_000, client_id="r1",
                                            dedup_ms=300_000)
    assert new and later.seq == 4
    group = await store.get_group("g1")
    assert group is not None and (group.next_msg_seq, group.last_msg_time) == (
        5, (NOW + 300_000) // 1000)
    assert [m.seq for m in await store.history("g1")] == [4, 3, 2, 1]
    assert [m.seq for m in await store.history("g1", before_seq=3, limit=1)] == [2]
    assert [m.seq for m in await store.messages_by_seq("g1", 2, 3)] == [2, 3]
    assert [m.seq for m in await store.messages_by_time("g1", 2_000, NOW)] == [2, 3]
    assert [m.seq for m in await store.messages_by_time("g1", 0, NOW, newest_first=True,
                                                        limit=2)] == [3, 2]
    recalled = await store.recall_message("g1", 3)
    assert recalled.recalled and recalled.body == {"t": 1}
    with pytest.raises(MessageNotFound):
        await store.recall_message("g1", 99)
    assert [m.seq for m in await store.message_log(group="g1", sender="cat", since_seq=3)] == [4]
    assert await store.clear_messages() == 4
    message, _ = await store.append_message("g1", sender="ann", vendor="v", type="text",
                                            body=None, now_ms=NOW)
    assert message.seq == 5  # a seq is never reused


async def test_the_caps_evict_the_oldest_first(store_of: Any) -> None:
    async with store_of(FIXTURE, messages_per_group=3, messages_total=4) as store:
        for i in range(3):
            await store.append_message("g1", sender="ann", vendor="v", type="text", body=i,
                                       now_ms=NOW + i)
        assert [m.seq for m in await store.message_log()] == [3, 4, 5]
        await store.append_message("g2", sender="ben", vendor="v", type="text", body=0,
                                   now_ms=NOW)
        await store.append_message("g2", sender="ben", vendor="v", type="text", body=0,
                                   now_ms=NOW)
        assert [(m.group_id, m.seq) for m in await store.message_log()] == [
            ("g1", 4), ("g1", 5), ("g2", 1), ("g2", 2)]


async def test_deleting_a_group_leaves_nothing_of_it(store: GroupStore) -> None:
    await store.delete_group("g1")
    snapshot = await store.snapshot()
    assert snapshot.attributes == {} and snapshot.whitelists == {}
    assert await store.message_log() == []
    message, _ = await store.append_message("g2", sender="ben", vendor="v", type="text",
                                            body=1, now_ms=NOW)
    assert message.seq == 1 and len(await store.message_log()) == 1
