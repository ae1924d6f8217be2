"""The client-SDK sync paths (open-im-server internal/rpc/group/sync.go and
internal/rpc/incrversion): full id lists with idHash, and incremental answers that are
``full`` unless the client holds the current version (the emulator keeps no change log)."""

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


async def test_incremental_join_groups_full_then_equal_then_full_after_a_change(openim) -> None:
    await make_group(openim, "g-1")
    path = "/group/get_incremental_join_groups"
    first = (await call(openim, path, {"userID": "carol"}))["data"]
    assert list(first) == ["version", "versionID", "full", "delete", "insert", "update",
                           "sortVersion"]
    assert first["full"] is True
    held = {"userID": "carol", "versionID": first["versionID"], "version": first["version"]}
    again = (await call(openim, path, held))["data"]
    assert (again["full"], again["version"]) == (False, first["version"])
    await make_group(openim, "g-2")
    changed = (await call(openim, path, held))["data"]
    assert (changed["full"], changed["version"]) == (True, first["version"] + 1)
    assert changed["versionID"] == first["versionID"]


async def test_incremental_group_members(openim) -> None:
    await make_group(openim)
    path = "/group/get_incremental_group_members"
    first = (await call(openim, path, {"groupID": "g-m"}))["data"]
    assert list(first) == ["version", "versionID", "full", "delete", "insert", "update",
                           "group", "sortVersion"]
    assert first["full"] is True and first["group"]["groupID"] == "g-m"
    assert first["group"]["ownerUserID"] == "alice"
    held = {"groupID": "g-m", "versionID": first["versionID"], "version": first["version"]}
    same = (await call(openim, path, held))["data"]
    assert (same["full"], same["group"]) == (False, None)
    admin = await openim.admin_token()
    await openim.call("/group/invite_user_to_group",
                      {"groupID": "g-m", "invitedUserIDs": ["erin"]}, admin)
    assert (await call(openim, path, held))["data"]["full"] is True
    denied = await call(openim, path, {"groupID": "g-m"}, await openim.user_token("frank"))
    assert (denied["errCode"], denied["errDlt"]) == (1002, "op user not in group")
    missing = await call(openim, path, {"groupID": "nope"})
    assert missing["errCode"] == 1004


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
