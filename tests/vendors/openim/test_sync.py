"""The client-SDK sync paths (open-im-server internal/rpc/group/sync.go and
internal/rpc/incrversion): full id lists with idHash, and incremental answers from the version
log: ``full`` with nothing listed for an invalid, foreign or newer version (or too many
changes since), nothing for the current one, and for an older one the ids changed since, with
the entities found now."""

from __future__ import annotations

import hashlib
import json
import struct
from typing import Any

import pytest

from tests.vendors.openim.test_members import make_group

pytestmark = pytest.mark.anyio


def id_hash(ids: list[str]) -> int:
    """hashutil.IdHash: md5 of the JSON array, first 8 bytes big-endian."""
    data = json.dumps(ids, separators=(",", ":")).encode()
    return struct.unpack(">Q", hashlib.md5(data).digest()[:8])[0] if ids else 0


async def call(openim, path: str, body: dict[str, Any], token: str | None = None) -> Any:
    return await openim.call(path, body, token or await openim.admin_token())


async def test_full_join_group_ids_and_the_hash(openim) -> None:
    await make_group(openim, "g-1")
    await make_group(openim, "g-2")
    answer = await call(openim, "/group/get_full_join_group_ids", {"userID": "carol"})
    data = answer["data"]
    assert list(data) == ["version", "versionID", "equal", "groupIDs"]
    assert (data["groupIDs"][-2:], data["equal"]) == (["g-1", "g-2"], False)  # join order
    assert len(data["versionID"]) == 24 and data["version"] >= 1
    same = await call(openim, "/group/get_full_join_group_ids",
                      {"userID": "carol", "idHash": id_hash(data["groupIDs"])})
    assert (same["data"]["groupIDs"], same["data"]["equal"]) == (None, True)
    await call(openim, "/user/user_register", {"users": [{"userID": "zed", "nickname": "Z"}]})
    none = await call(openim, "/group/get_full_join_group_ids", {"userID": "zed"})
    assert (none["data"]["groupIDs"], none["data"]["equal"]) == (None, True)  # 0 == hash of []


async def test_full_join_group_ids_checks(openim) -> None:
    answer = await call(openim, "/group/get_full_join_group_ids", {})
    assert (answer["errCode"], answer["errDlt"]) == (1001, "userID is empty")
    denied = await call(openim, "/group/get_full_join_group_ids", {"userID": "carol"},
                        await openim.user_token("dave"))
    assert denied["errCode"] == 1002


async def test_full_group_member_user_ids(openim) -> None:
    await make_group(openim)
    answer = await call(openim, "/group/get_full_group_member_user_ids", {"groupID": "g-m"},
                        await openim.user_token("carol"))
    assert answer["data"]["userIDs"] == ["alice", "bob", "carol", "dave"]
    denied = await call(openim, "/group/get_full_group_member_user_ids", {"groupID": "g-m"},
                        await openim.user_token("frank"))
    assert (denied["errCode"], denied["errDlt"]) == (1002, "opUser in ownerUserIDs")
    empty = await call(openim, "/group/get_full_group_member_user_ids", {})
    assert (empty["errCode"], empty["errDlt"]) == (1001, "groupID is empty")


JOIN_PATH = "/group/get_incremental_join_groups"
MEMBER_PATH = "/group/get_incremental_group_members"


def held(data: dict[str, Any], **key: str) -> dict[str, Any]:
    """A request for the changes since an answer's version."""
    return {**key, "versionID": data["versionID"], "version": data["version"]}


async def test_incremental_join_groups_lists_what_changed_since(openim) -> None:
    await make_group(openim, "g-1")
    first = (await call(openim, JOIN_PATH, {"userID": "carol"}))["data"]
    assert list(first) == ["version", "versionID", "full", "delete", "insert", "update",
                           "sortVersion"]
    assert (first["full"], first["insert"], first["delete"]) == (True, None, None)
    again = (await call(openim, JOIN_PATH, held(first, userID="carol")))["data"]
    assert (again["full"], again["version"], again["insert"]) == (False, first["version"], None)

    await make_group(openim, "g-2")
    joined = (await call(openim, JOIN_PATH, held(first, userID="carol")))["data"]
    assert (joined["full"], joined["version"], joined["versionID"]) == (
        False, first["version"] + 1, first["versionID"])
    [info] = joined["insert"]
    assert (info["groupID"], info["ownerUserID"], info["memberCount"]) == ("g-2", "alice", 4)
    assert (joined["delete"], joined["update"], joined["sortVersion"]) == (None, None, 0)

    await openim.call("/group/quit_group", {"groupID": "g-1"}, await openim.user_token("carol"))
    left = (await call(openim, JOIN_PATH, held(joined, userID="carol")))["data"]
    assert (left["full"], left["insert"], left["delete"]) == (False, None, ["g-1"])
    both = (await call(openim, JOIN_PATH, held(first, userID="carol")))["data"]
    assert ([g["groupID"] for g in both["insert"]], both["delete"]) == (["g-2"], ["g-1"])


async def test_incremental_join_groups_full_answers(openim) -> None:
    """Another versionID (or an uppercase one, which is no ObjectID.Hex()), a version ahead of
    the server's, or version 0: ``full`` with nothing listed."""
    await make_group(openim, "g-1")
    first = (await call(openim, JOIN_PATH, {"userID": "carol"}))["data"]
    await make_group(openim, "g-2")
    for req in ({"versionID": "a" * 24, "version": first["version"]},
                {"versionID": first["versionID"].upper(), "version": first["version"]},
                {"versionID": first["versionID"], "version": first["version"] + 5},
                {"versionID": first["versionID"], "version": 0}):
        answer = (await call(openim, JOIN_PATH, {"userID": "carol", **req}))["data"]
        assert (answer["full"], answer["insert"], answer["delete"]) == (True, None, None), req


async def test_incremental_group_members_lists_what_changed_since(openim) -> None:
    await make_group(openim)
    first = (await call(openim, MEMBER_PATH, {"groupID": "g-m"}))["data"]
    assert list(first) == ["version", "versionID", "full", "delete", "insert", "update",
                           "group", "sortVersion"]
    assert first["full"] is True and first["group"]["groupID"] == "g-m"
    assert first["group"]["ownerUserID"] == "alice" and first["insert"] is None
    same = (await call(openim, MEMBER_PATH, held(first, groupID="g-m")))["data"]
    assert (same["full"], same["group"], same["insert"]) == (False, None, None)

    admin = await openim.admin_token()
    await openim.call("/group/invite_user_to_group",
                      {"groupID": "g-m", "invitedUserIDs": ["erin"]}, admin)
    invited = (await call(openim, MEMBER_PATH, held(first, groupID="g-m")))["data"]
    assert (invited["full"], invited["version"]) == (False, first["version"] + 1)
    [erin] = invited["insert"]
    assert (erin["userID"], erin["roleLevel"], erin["groupID"]) == ("erin", 20, "g-m")
    assert invited["group"]["memberCount"] == 5  # any change brings the group's info
    assert (invited["update"], invited["delete"], invited["sortVersion"]) == (None, None, 0)

    await openim.call("/group/set_group_info", {"groupInfoForSet": {
        "groupID": "g-m", "groupName": "Renamed"}}, admin)
    renamed = (await call(openim, MEMBER_PATH, held(invited, groupID="g-m")))["data"]
    assert (renamed["full"], renamed["insert"], renamed["update"]) == (False, None, None)
    assert renamed["group"]["groupName"] == "Renamed"

    await openim.call("/group/set_group_member_info", {"members": [
        {"groupID": "g-m", "userID": "carol", "roleLevel": 60}]}, admin)
    await openim.call("/group/kick_group", {"groupID": "g-m", "kickedUserIDs": ["dave"]}, admin)
    changed = (await call(openim, MEMBER_PATH, held(renamed, groupID="g-m")))["data"]
    assert ([m["userID"] for m in changed["update"]], changed["delete"]) == (["carol"], ["dave"])
    assert changed["update"][0]["roleLevel"] == 60
    assert changed["sortVersion"] == renamed["version"] + 1  # the role change's version
    assert changed["version"] == renamed["version"] + 2


async def test_incremental_group_members_checks(openim) -> None:
    await make_group(openim)
    denied = await call(openim, MEMBER_PATH, {"groupID": "g-m"}, await openim.user_token("frank"))
    assert (denied["errCode"], denied["errDlt"]) == (1002, "op user not in group")
    missing = await call(openim, MEMBER_PATH, {"groupID": "nope"})
    assert missing["errCode"] == 1004


async def test_more_changes_than_the_sync_limit_answer_full(openim) -> None:
    """incrversion's syncLimit: more than 200 changes since the client's version is a full
    answer (the log's entries are dropped from the answer, so their count passes the limit)."""
    await make_group(openim)
    first = (await call(openim, MEMBER_PATH, {"groupID": "g-m"}))["data"]
    users = [f"u{index}" for index in range(201)]
    admin = await openim.admin_token()
    await openim.call("/user/user_register", {"users": [
        {"userID": user, "nickname": user} for user in users]}, admin)
    await openim.call("/group/invite_user_to_group",
                      {"groupID": "g-m", "invitedUserIDs": users[:200]}, admin)
    listed = (await call(openim, MEMBER_PATH, held(first, groupID="g-m")))["data"]
    assert (listed["full"], len(listed["insert"])) == (False, 200)
    await openim.call("/group/invite_user_to_group",
                      {"groupID": "g-m", "invitedUserIDs": users[200:]}, admin)
    over = (await call(openim, MEMBER_PATH, held(first, groupID="g-m")))["data"]
    assert (over["full"], over["insert"], over["group"]["memberCount"]) == (True, None, 205)


async def test_incremental_group_members_batch_skips_dismissed(openim) -> None:
    await make_group(openim, "g-1")
    await make_group(openim, "g-2")
    admin = await openim.admin_token()
    await openim.call("/group/dismiss_group", {"groupID": "g-2"}, admin)
    answer = await call(openim, "/group/get_incremental_group_members_batch", {
        "userID": "carol", "reqList": [{"groupID": "g-1"}, {"groupID": "g-2"},
                                       {"groupID": "g-1"}]}, await openim.user_token("carol"))
    assert list(answer["data"]["respList"]) == ["g-1"]
    failed = await call(openim, "/group/get_incremental_group_members_batch", {
        "userID": "carol", "reqList": [{"groupID": "nope"}]})
    assert failed["errCode"] == 1004
    empty = await call(openim, "/group/get_incremental_group_members_batch", {"userID": "c"})
    assert empty["data"] == {}


async def test_versions_are_the_stores_counters(openim) -> None:
    """The join version moves with the user's own joins and leaves only (as the server's
    join version log); the member version with every member and info change."""
    await make_group(openim, "g-1")
    join_path, member_path = "/group/get_incremental_join_groups", \
        "/group/get_incremental_group_members"
    joined = (await call(openim, join_path, {"userID": "carol"}))["data"]
    members = (await call(openim, member_path, {"groupID": "g-1"}))["data"]
    admin = await openim.admin_token()
    await openim.call("/group/set_group_info", {"groupInfoForSet": {
        "groupID": "g-1", "introduction": "new"}}, admin)
    after_info = (await call(openim, join_path, {"userID": "carol", **{
        k: joined[k] for k in ("versionID", "version")}}))["data"]
    assert (after_info["full"], after_info["version"]) == (False, joined["version"])
    moved = (await call(openim, member_path, {"groupID": "g-1"}))["data"]
    assert (moved["versionID"], moved["version"]) == (members["versionID"],
                                                     members["version"] + 1)
    await openim.call("/group/quit_group", {"groupID": "g-1"}, await openim.user_token("carol"))
    left = (await call(openim, join_path, {"userID": "carol"}))["data"]
    assert left["version"] == joined["version"] + 1


async def test_a_reset_gives_new_version_ids(openim) -> None:
    await make_group(openim, "g-1")
    before = (await call(openim, "/group/get_full_join_group_ids", {"userID": "carol"}))["data"]
    assert (await openim.client.post("/_emulator/reset")).status_code == 200
    await make_group(openim, "g-1")
    after = (await call(openim, "/group/get_full_join_group_ids", {"userID": "carol"}))["data"]
    assert after["versionID"] != before["versionID"]


async def test_the_batch_stops_after_500_changed_members(openim) -> None:
    """BatchGetIncrementalGroupMember counts each answer's insert, update and delete, and
    stops after the answer that brings the count to 500: the groups after it are left out."""
    groups = [await make_group(openim, f"g-{index}") for index in range(4)]
    admin = await openim.admin_token()
    reqs = [held((await call(openim, MEMBER_PATH, {"groupID": gid}))["data"], groupID=gid)
            for gid in groups]
    users = [f"u{index}" for index in range(200)]
    await openim.call("/user/user_register", {"users": [
        {"userID": user, "nickname": user} for user in users]}, admin)
    for gid in groups:
        await openim.call("/group/invite_user_to_group",
                          {"groupID": gid, "invitedUserIDs": users}, admin)
    answer = await call(openim, "/group/get_incremental_group_members_batch",
                        {"userID": "carol", "reqList": reqs})
    assert {gid: len(resp["insert"]) for gid, resp in answer["data"]["respList"].items()} == {
        "g-0": 200, "g-1": 200, "g-2": 200}
