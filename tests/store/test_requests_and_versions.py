"""The store's join requests (one per group and user, replaced by a new one, handled with the
member added in the same transaction, gone with the group and with a reset), its change
counters (a group's member_version, a user's joined version: moved by every change they
cover, in its transaction, never by a change they do not cover), a group's status label
(cleared whenever the status is written), members' inviter, operator and join source, and
system notices in the message log (left out of the history reads unless asked)."""

from __future__ import annotations

import pytest

from emulator.store import (GroupDismissed, GroupStore, JoinRequest, JoinRequestNotFound,
                            Membership, User, open_template, parse_fixture)
from tests.store.fixtures import SMALL

pytestmark = pytest.mark.anyio


async def version(store: GroupStore, group_id: str) -> int:
    group = await store.get_group(group_id)
    assert group is not None
    return group.member_version


# ---- join requests ------------------------------------------------------------------------------

async def test_a_request_is_kept_replaced_and_paged_newest_first(store: GroupStore) -> None:
    await store.record_join_requests([JoinRequest("g1", "cat", message="one", requested_at_ms=5),
                                      JoinRequest("g1", "dan", requested_at_ms=7)])
    await store.record_join_requests([JoinRequest("g1", "cat", message="two", source="search",
                                                  requested_at_ms=9)])
    page = await store.join_request_page(group_ids=["g1"])
    assert (page.total, [(r.user_id, r.message) for r in page.rows]) == (
        2, [("cat", "two"), ("dan", "")])
    sliced = await store.join_request_page(group_ids=["g1"], offset=1, limit=1)
    assert (sliced.total, [r.user_id for r in sliced.rows]) == (2, ["dan"])
    assert (await store.join_request_page(user_id="dan")).total == 1
    assert (await store.join_request_page(results=["accepted"])).total == 0
    assert [r.user_id for r in await store.join_requests_of("g1", ["dan", "cat", "x"])] == [
        "dan", "cat"]


async def test_requests_made_after_a_time(store: GroupStore) -> None:
    await store.record_join_requests([JoinRequest("g1", "cat", requested_at_ms=5),
                                      JoinRequest("g1", "dan", requested_at_ms=7)])
    after = await store.join_request_page(group_ids=["g1"], after_ms=5)
    assert (after.total, [r.user_id for r in after.rows]) == (1, ["dan"])
    assert (await store.join_request_page(after_ms=7)).total == 0
    assert (await store.join_request_page(after_ms=4, results=["pending"])).total == 2


async def test_user_ids_oldest_registered_first(store: GroupStore) -> None:
    await store.add_users([User("zz-early", created_at=1), User("aa-late", created_at=2 ** 50)])
    ids = await store.user_ids()
    assert ids[-1] == "aa-late" and ids.index("zz-early") < ids.index("aa-late")
    users = [await store.get_user(user_id) for user_id in ids]
    assert set(ids) == await store.existing_users(ids) and ids
    assert [(u.created_at, u.id) for u in users if u] == sorted(
        (u.created_at, u.id) for u in users if u)


async def test_accepting_adds_the_member_in_the_same_transaction(store: GroupStore) -> None:
    await store.record_join_requests([JoinRequest("g1", "cat", requested_at_ms=5)])
    handled = await store.handle_join_request(
        "g1", "cat", result="accepted", handler="ann", message="ok", now_ms=50,
        member=Membership("g1", "cat", join_time_ms=50, operator="ann", join_source="search"))
    assert (handled.result, handled.handler, handled.handle_message, handled.handled_at_ms) == (
        "accepted", "ann", "ok", 50)
    member = await store.member("g1", "cat")
    assert member is not None and (member.operator, member.join_source) == ("ann", "search")
    with pytest.raises(JoinRequestNotFound):
        await store.handle_join_request("g1", "dan", result="refused", handler="ann", now_ms=1)


async def test_a_failed_accept_changes_nothing(store: GroupStore) -> None:
    await store.record_join_requests([JoinRequest("g4", "dan", requested_at_ms=5)])
    with pytest.raises(GroupDismissed):
        await store.handle_join_request("g4", "dan", result="accepted", handler="cat",
                                        now_ms=9, member=Membership("g4", "dan"))
    request = await store.join_request("g4", "dan")
    assert request is not None and request.result == "pending"


async def test_requests_go_with_their_group_and_with_a_reset(store: GroupStore) -> None:
    await store.record_join_requests([JoinRequest("g1", "cat"), JoinRequest("g2", "cat")])
    await store.dismiss_group("g2", now_ms=10)
    assert await store.join_request("g2", "cat") is not None  # a dismissal keeps them
    await store.delete_group("g1")
    assert [(r.group_id, r.user_id) for r in (await store.snapshot()).join_requests] == [
        ("g2", "cat")]
    await store.restore(open_template(parse_fixture(SMALL, source="t", now_ms=1000)))
    assert (await store.snapshot()).join_requests == []


# ---- change counters ----------------------------------------------------------------------------

async def test_member_version_counts_every_member_and_info_change(store: GroupStore) -> None:
    start = await version(store, "g1")
    await store.add_group_members("g1", [Membership("g1", "cat")])
    assert await version(store, "g1") == start + 1
    await store.update_member_info("g1", "cat", nickname="C")
    await store.set_role("g1", "cat", "admin")
    await store.mute_members("g1", ["cat"], 99, now_ms=1)
    assert await version(store, "g1") == start + 4
    await store.update_member_info("g1", "cat", unread=3)  # not a member detail
    assert await version(store, "g1") == start + 4
    await store.update_group_info("g1", name="Renamed", now_ms=5)
    await store.remove_group_members("g1", ["cat"])
    assert await version(store, "g1") == start + 6
    assert await version(store, "g2") == 0  # another group's is untouched


async def test_joined_version_counts_a_users_joins_and_leaves(store: GroupStore) -> None:
    assert await store.joined_version("cat") == 0
    await store.add_group_members("g1", [Membership("g1", "cat")])
    await store.update_group_info("g1", name="Renamed", now_ms=5)  # not a join or leave
    assert await store.joined_version("cat") == 1
    await store.remove_group_members("g1", ["cat"])
    assert await store.joined_version("cat") == 2


async def test_a_reset_restarts_the_counters_under_a_new_generation(store: GroupStore) -> None:
    before = await store.generation()
    await store.add_group_members("g1", [Membership("g1", "cat")])
    await store.restore(open_template(parse_fixture(SMALL, source="t", now_ms=1000)))
    assert (await version(store, "g1"), await store.joined_version("cat")) == (0, 0)
    assert await store.generation() not in ("", before)


# ---- a group's status label, members' origin ---------------------------------------------------

async def test_the_status_label_is_cleared_when_the_status_is_written(store: GroupStore) -> None:
    await store.update_group("g1", status_label="7")
    group = await store.get_group("g1")
    assert group is not None and (group.status, group.status_label) == ("normal", "7")
    await store.update_group("g1", status="muted")
    group = await store.get_group("g1")
    assert group is not None and (group.status, group.status_label) == ("muted", "")
    await store.update_group("g2", status_label="1")
    dismissed = await store.dismiss_group("g2", now_ms=1)
    assert (dismissed.status, dismissed.status_label) == ("dismissed", "")


# ---- system notices in the log ------------------------------------------------------------------

async def test_system_notices_take_seqs_and_stay_out_of_the_history(store: GroupStore) -> None:
    await store.append_message("g1", sender="ann", vendor="v", type="notice", body={},
                               now_ms=1, kind="system")
    await store.append_message("g1", sender="ann", vendor="v", type="text", body="hi", now_ms=2)
    assert [m.seq for m in await store.history("g1")] == [2]
    assert [m.seq for m in await store.history("g1", include_system=True)] == [2, 1]
    assert [m.seq for m in await store.messages_by_seq("g1", 1, 2)] == [2]
    assert [m.kind for m in await store.messages_by_seq("g1", 1, 2, include_system=True)] == [
        "system", "message"]
    assert [m.seq for m in await store.messages_by_time("g1", 0, 9)] == [2]
    assert [m.kind for m in await store.message_log(group="g1")] == ["system", "message"]
    await store.dismiss_group("g1", now_ms=3)
    notice, _ = await store.append_message("g1", sender="ann", vendor="v", type="notice",
                                           body={}, now_ms=4, kind="system")
    assert notice.seq == 3  # a dismissal's notice still goes in
    with pytest.raises(GroupDismissed):
        await store.append_message("g1", sender="ann", vendor="v", type="text", body="x",
                                   now_ms=5)
