"""OpenIM's group summaries: get_group_application_unhandled_count (the pending join requests
to the groups a user manages) and get_group_abstract_info (member count and member-list hash
per group), from open-im-server internal/rpc/group/group.go GetGroupApplicationUnhandledCount
and GetGroupAbstractInfo, mgo/group_request.go GetUnhandledCount,
pkg/notification/grouphash/grouphash.go and protocol group/group.go Check()."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.vendors.openim.test_applications import RECV, RESPOND, admin, as_user, asking_group, join
from tests.vendors.openim.test_members import make_group

pytestmark = pytest.mark.anyio

COUNT = "/group/get_group_application_unhandled_count"
ABSTRACT = "/group/get_group_abstract_info"


def args(dlt: str) -> dict[str, Any]:
    return {"errCode": 1001, "errMsg": "ArgsError", "errDlt": dlt}


# ---- get_group_application_unhandled_count ---------------------------------------------------

async def test_unhandled_count_counts_pending_requests_to_managed_groups(openim) -> None:
    await asking_group(openim)  # owner alice, admin bob, members carol and dave
    for user in ("erin", "frank"):
        await join(openim, user)
    expected = {"errCode": 0, "errMsg": "", "errDlt": "", "data": {"count": 2}}
    assert await as_user(openim, "alice", COUNT, {"userID": "alice"}) == expected
    assert await as_user(openim, "bob", COUNT, {"userID": "bob"}) == expected
    assert await admin(openim, COUNT, {"userID": "bob"}) == expected
    # A plain member manages nothing.
    assert (await as_user(openim, "carol", COUNT, {"userID": "carol"}))["data"] == {"count": 0}
    # An answered request is no longer counted, whichever way it went.
    answered = await as_user(openim, "bob", RESPOND, {
        "groupID": "g-ask", "fromUserID": "erin", "handleResult": -1})
    assert answered["errCode"] == 0
    assert (await admin(openim, COUNT, {"userID": "alice"}))["data"] == {"count": 1}


async def test_unhandled_count_time_is_exclusive_ms(openim) -> None:
    await asking_group(openim)
    clock = openim.emulator.services.clock
    await join(openim, "erin")
    clock.advance(2)
    await join(openim, "frank")
    listed = await admin(openim, RECV, {"fromUserID": "alice", "pagination": {
        "pageNumber": 1, "showNumber": 10}})
    second, first = [request["reqTime"] for request in listed["data"]["groupRequests"]]
    assert second > first

    async def count(since: int) -> int:
        answer = await admin(openim, COUNT, {"userID": "alice", "time": since})
        return int(answer["data"]["count"])

    assert await count(0) == 2  # 0: any time
    assert await count(first - 1) == 2
    assert await count(first) == 1  # req_time > time
    assert await count(second) == 0
    assert await count(-5) == 2


async def test_unhandled_count_spans_every_managed_group(openim) -> None:
    await asking_group(openim, "g-one")
    await asking_group(openim, "g-two")
    await join(openim, "erin", "g-one")
    await join(openim, "erin", "g-two")
    await join(openim, "frank", "g-two")
    assert (await admin(openim, COUNT, {"userID": "alice"}))["data"] == {"count": 3}
    # A dismissed group whose members were kept is still one the owner manages.
    await admin(openim, "/group/dismiss_group", {"groupID": "g-two", "deleteMember": False})
    assert (await admin(openim, COUNT, {"userID": "alice"}))["data"] == {"count": 3}


async def test_unhandled_count_rights(openim) -> None:
    await asking_group(openim)
    denied = await as_user(openim, "carol", COUNT, {"userID": "alice"})
    assert denied == {"errCode": 1002, "errMsg": "NoPermissionError",
                      "errDlt": "ownerUserID, alice=MISSING"}
    # No Check(): an empty userID is nobody's, so it manages nothing.
    assert (await admin(openim, COUNT, {}))["data"] == {"count": 0}
    assert (await admin(openim, COUNT, {"userID": "ghost"}))["data"] == {"count": 0}


# ---- get_group_abstract_info ---------------------------------------------------------------

def go_hash(members: list[dict[str, Any]]) -> int:
    """GetGroupHash written out: members by user id, appMangerLevel 0, Go's JSON, md5[:8]."""
    ordered = [{**m, "appMangerLevel": 0} for m in sorted(members, key=lambda m: m["userID"])]
    text = json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return int.from_bytes(hashlib.md5(text.encode()).digest()[:8], "big")


async def members_info(openim, gid: str) -> list[dict[str, Any]]:
    ids = (await admin(openim, "/group/get_group_member_user_id", {"groupID": gid}))
    answer = await admin(openim, "/group/get_group_members_info", {
        "groupID": gid, "userIDs": ids["data"]["userIDs"]})
    return list(answer["data"]["members"])


@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "GroupID is empty"),
    ({"groupIDs": None}, "GroupID is empty"),
    ({"groupIDs": ["g"] * 1001}, "too many GroupIDs, need to be less than 1000"),
    ({"groupIDs": []}, "groupIDs empty"),
    ({"groupIDs": ["g-m", "g-m"]}, "groupIDs duplicate"),
])
async def test_abstract_info_argument_checks(openim, body: dict[str, Any], dlt: str) -> None:
    await make_group(openim)
    assert await admin(openim, ABSTRACT, body) == args(dlt)


async def test_abstract_info_counts_and_hashes_the_members(openim) -> None:
    await make_group(openim)
    await make_group(openim, "g-two", members=("carol",))
    answer = await as_user(openim, "carol", ABSTRACT, {"groupIDs": ["g-two", "g-m"]})
    assert answer["errCode"] == 0, answer
    infos = answer["data"]["groupAbstractInfos"]
    # In creation order, whatever order they were asked in.
    assert [info["groupID"] for info in infos] == ["g-m", "g-two"]
    assert list(infos[0]) == ["groupID", "groupMemberNumber", "groupMemberListHash"]
    for info in infos:
        members = await members_info(openim, info["groupID"])
        assert info["groupMemberNumber"] == len(members)
        assert info["groupMemberListHash"] == go_hash(members)
    assert infos[0]["groupMemberNumber"] == 4 and infos[1]["groupMemberNumber"] == 3


async def test_abstract_info_hash_follows_member_changes(openim) -> None:
    await make_group(openim)

    async def digest() -> int:
        answer = await admin(openim, ABSTRACT, {"groupIDs": ["g-m"]})
        return int(answer["data"]["groupAbstractInfos"][0]["groupMemberListHash"])

    before = await digest()
    assert before == await digest()
    await admin(openim, "/group/set_group_member_info", {"members": [
        {"groupID": "g-m", "userID": "carol", "nickname": "<c&a>"}]})
    renamed = await digest()
    assert renamed != before
    assert renamed == go_hash(await members_info(openim, "g-m"))
    await admin(openim, "/group/kick_group", {"groupID": "g-m", "kickedUserIDs": ["dave"]})
    kicked = await admin(openim, ABSTRACT, {"groupIDs": ["g-m"]})
    assert kicked["data"]["groupAbstractInfos"][0]["groupMemberNumber"] == 3
    assert await digest() == go_hash(await members_info(openim, "g-m"))


async def test_abstract_info_rights_then_unknown_groups(openim) -> None:
    await make_group(openim)
    await make_group(openim, "g-other", members=("erin",))
    denied = await as_user(openim, "carol", ABSTRACT, {"groupIDs": ["g-m", "g-other"]})
    assert denied == {"errCode": 1002, "errMsg": "NoPermissionError",
                      "errDlt": "op user not in group"}
    # The rights come first: a non-member asking for an unknown group is refused, not told.
    unknown = await as_user(openim, "carol", ABSTRACT, {"groupIDs": ["nope"]})
    assert unknown["errCode"] == 1002
    missing = await admin(openim, ABSTRACT, {"groupIDs": ["g-m", "nope"]})
    assert missing == {"errCode": 1201, "errMsg": "GroupIDNotFoundError",
                       "errDlt": "not found group nope"}


async def test_abstract_info_of_a_group_without_members(openim) -> None:
    await make_group(openim)
    await admin(openim, "/group/dismiss_group", {"groupID": "g-m", "deleteMember": True})
    answer = await admin(openim, ABSTRACT, {"groupIDs": ["g-m"]})
    empty = int.from_bytes(hashlib.md5(b"[]").digest()[:8], "big")
    assert answer["data"] == {"groupAbstractInfos": [
        {"groupID": "g-m", "groupMemberNumber": 0, "groupMemberListHash": empty}]}
