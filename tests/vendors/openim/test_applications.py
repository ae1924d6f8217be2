"""OpenIM's join requests: recorded by join_group and by an ordinary member's invitation to a
group with needVerification 1, read by get_recv_group_applicationList,
get_user_req_group_applicationList and get_group_users_req_application_list, answered by
group_application_response (open-im-server internal/rpc/group/group.go
GetGroupApplicationList, GetUserReqApplicationList, GetGroupUsersReqApplicationList,
GroupApplicationResponse; mgo/group_request.go; protocol group/group.go Check())."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.openim.test_members import make_group

pytestmark = pytest.mark.anyio

RECV = "/group/get_recv_group_applicationList"
MINE = "/group/get_user_req_group_applicationList"
USERS = "/group/get_group_users_req_application_list"
RESPOND = "/group/group_application_response"
PAGE = {"pageNumber": 1, "showNumber": 10}


async def admin(openim, path: str, body: dict[str, Any]) -> Any:
    return await openim.call(path, body, await openim.admin_token())


async def as_user(openim, user: str, path: str, body: dict[str, Any]) -> Any:
    return await openim.call(path, body, await openim.user_token(user))


async def asking_group(openim, gid: str = "g-ask", verification: int = 0) -> str:
    """A group (owner alice, admin bob, members carol and dave) joined only by request."""
    await make_group(openim, gid, needVerification=verification)
    return gid


async def join(openim, user: str, gid: str = "g-ask", message: str = "let me in",
               source: int = 3) -> None:
    answer = await as_user(openim, user, "/group/join_group", {
        "groupID": gid, "reqMessage": message, "joinSource": source, "inviterUserID": user,
        "ex": "x"})
    assert answer["errCode"] == 0, answer


async def members(openim, gid: str) -> list[str]:
    answer = await admin(openim, "/group/get_group_member_user_id", {"groupID": gid})
    return answer["data"]["userIDs"] or []


# ---- Check() rules ------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "body", "dlt"), [
    (RECV, {}, "pagination is empty"),
    (RECV, {"pagination": {"pageNumber": 0, "showNumber": 10}}, "pageNumber is invalid"),
    (RECV, {"pagination": PAGE}, "fromUserID is empty"),
    (MINE, {"pagination": PAGE}, "UserID is empty"),
    (MINE, {"userID": "erin"}, "pagination is empty"),
    (MINE, {"userID": "erin", "pagination": {"pageNumber": 0}}, "pageNumber is invalid"),
    (RESPOND, {}, "groupID is empty"),
    (RESPOND, {"groupID": "g"}, "fromUserID is empty"),
    (RESPOND, {"groupID": "g", "fromUserID": "u", "handleResult": 2}, "handleResult is invalid"),
    (USERS, {}, "GroupID is empty"),
    (USERS, {"groupID": "g"}, "UserID is empty"),
    (USERS, {"groupID": "g", "userIDs": ["u"] * 1001},
     "too many UserIDs, need to be less than 1000"),
])
async def test_check_rules(openim, path: str, body: dict[str, Any], dlt: str) -> None:
    answer = await admin(openim, path, body)
    assert answer == {"errCode": 1001, "errMsg": "ArgsError", "errDlt": dlt}


# ---- recording and reading --------------------------------------------------------------------

async def test_a_join_request_reads_back_for_the_managers_and_the_user(openim) -> None:
    gid = await asking_group(openim)
    openim.emulator.services.clock.advance(1)
    before = openim.emulator.services.clock.now_ms()
    await join(openim, "erin")
    after = openim.emulator.services.clock.now_ms()
    answer = await as_user(openim, "alice", RECV, {"fromUserID": "alice", "pagination": PAGE})
    assert answer["errCode"] == 0
    data = answer["data"]
    assert data["total"] == 1
    [request] = data["groupRequests"]
    assert list(request) == ["userInfo", "groupInfo", "handleResult", "reqMsg", "handleMsg",
                             "reqTime", "handleUserID", "handleTime", "ex", "joinSource",
                             "inviterUserID"]
    assert request["userInfo"] == {"userID": "erin", "nickname": request["userInfo"]["nickname"],
                                   "faceURL": request["userInfo"]["faceURL"], "ex": ""}
    assert (request["groupInfo"]["groupID"], request["groupInfo"]["ownerUserID"]) == (gid, "alice")
    assert before <= request["reqTime"] <= after
    assert (request["handleResult"], request["reqMsg"], request["ex"], request["joinSource"],
            request["inviterUserID"]) == (0, "let me in", "x", 3, "")
    # bob (an admin of the group) sees it too; carol (a member) manages nothing.
    assert (await as_user(openim, "bob", RECV, {"fromUserID": "bob", "pagination": PAGE})
            )["data"]["total"] == 1
    assert (await as_user(openim, "carol", RECV, {"fromUserID": "carol", "pagination": PAGE})
            )["data"] == {"total": 0, "groupRequests": None}
    mine = await as_user(openim, "erin", MINE, {"userID": "erin", "pagination": PAGE})
    assert mine["data"]["total"] == 1
    assert mine["data"]["groupRequests"][0]["groupInfo"]["groupID"] == gid


async def test_a_new_request_replaces_the_old_one(openim) -> None:
    await asking_group(openim)
    await join(openim, "erin", message="first")
    await join(openim, "erin", message="second")
    answer = await admin(openim, MINE, {"userID": "erin", "pagination": PAGE})
    assert [r["reqMsg"] for r in answer["data"]["groupRequests"]] == ["second"]


async def test_an_ordinary_members_invitation_needing_approval_is_a_request(openim) -> None:
    gid = await asking_group(openim, verification=1)
    answer = await as_user(openim, "carol", "/group/invite_user_to_group",
                           {"groupID": gid, "invitedUserIDs": ["erin", "frank"]})
    assert answer["errCode"] == 0
    assert "erin" not in await members(openim, gid)
    found = await as_user(openim, "alice", USERS, {"groupID": gid, "userIDs": ["erin", "frank",
                                                                                 "nobody"]})
    assert found["data"]["total"] == 2
    requests = found["data"]["groupRequests"]
    # userInfo is never filled here (upstream keeps the user only when it is missing).
    assert [(r["userInfo"], r["joinSource"], r["inviterUserID"]) for r in requests] == [
        (None, 2, "carol"), (None, 2, "carol")]


async def test_recv_list_pages_newest_first_and_filters_by_result(openim) -> None:
    gid = await asking_group(openim)
    for user in ("erin", "frank"):
        openim.emulator.services.clock.advance(1)
        await join(openim, user)
    newest_first = await admin(openim, RECV, {"fromUserID": "alice", "pagination": PAGE})
    assert [r["userInfo"]["userID"] for r in newest_first["data"]["groupRequests"]] == [
        "frank", "erin"]
    second = await admin(openim, RECV, {"fromUserID": "alice",
                                        "pagination": {"pageNumber": 2, "showNumber": 1}})
    assert (second["data"]["total"],
            [r["userInfo"]["userID"] for r in second["data"]["groupRequests"]]) == (2, ["erin"])
    for pagination in ({"pageNumber": 3, "showNumber": 1}, {"pageNumber": 1, "showNumber": 0}):
        past = await admin(openim, RECV, {"fromUserID": "alice", "pagination": pagination})
        assert past["data"] == {"total": 2, "groupRequests": None}
    await admin(openim, RESPOND, {"groupID": gid, "fromUserID": "erin", "handleResult": -1})
    pending = await admin(openim, RECV, {"fromUserID": "alice", "pagination": PAGE,
                                         "handleResults": [0]})
    assert [r["userInfo"]["userID"] for r in pending["data"]["groupRequests"]] == ["frank"]
    refused = await admin(openim, RECV, {"fromUserID": "alice", "pagination": PAGE,
                                         "handleResults": [-1]})
    assert [r["handleResult"] for r in refused["data"]["groupRequests"]] == [-1]


async def test_recv_list_permissions(openim) -> None:
    gid = await asking_group(openim)
    await join(openim, "erin")
    other = await as_user(openim, "carol", RECV, {"fromUserID": "alice", "pagination": PAGE})
    assert (other["errCode"], other["errDlt"]) == (1002, "ownerUserID, alice=MISSING")
    named = await as_user(openim, "carol", RECV, {"fromUserID": "carol", "pagination": PAGE,
                                                  "groupIDs": [gid]})
    assert (named["errCode"], named["errDlt"]) == (1002, "no group owner or admin")
    outside = await as_user(openim, "erin", RECV, {"fromUserID": "erin", "pagination": PAGE,
                                                   "groupIDs": [gid]})
    assert (outside["errCode"], outside["errDlt"]) == (1002, "op user not in group")
    missing = await admin(openim, RECV, {"fromUserID": "alice", "pagination": PAGE,
                                         "groupIDs": [gid, "nope"]})
    assert (missing["errCode"], missing["errMsg"], missing["errDlt"]) == (
        1201, "GroupIDNotFoundError", "nope")


async def test_users_list_permissions_and_nothing_found(openim) -> None:
    gid = await asking_group(openim)
    denied = await as_user(openim, "carol", USERS, {"groupID": gid, "userIDs": ["erin"]})
    assert (denied["errCode"], denied["errDlt"]) == (1002, "no group owner or admin")
    none = await admin(openim, USERS, {"groupID": gid, "userIDs": []})
    assert none["data"] == {"total": 0, "groupRequests": None}


async def test_user_list_checks(openim) -> None:
    denied = await as_user(openim, "carol", MINE, {"userID": "erin", "pagination": PAGE})
    assert (denied["errCode"], denied["errDlt"]) == (1002, "ownerUserID, erin=MISSING")
    ghost = await admin(openim, MINE, {"userID": "ghost", "pagination": PAGE})
    assert (ghost["errCode"], ghost["errDlt"]) == (1004, "record not found")
    empty = await admin(openim, MINE, {"userID": "erin", "pagination": PAGE})
    assert empty["data"] == {"total": 0, "groupRequests": None}


# ---- answering ---------------------------------------------------------------------------------

async def test_accepting_adds_the_member_and_keeps_the_servers_quirks(openim) -> None:
    gid = await asking_group(openim)
    await join(openim, "erin")
    answer = await as_user(openim, "bob", RESPOND, {
        "groupID": gid, "fromUserID": "erin", "handleResult": 1, "handledMsg": "welcome"})
    assert answer == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {}}
    assert "erin" in await members(openim, gid)
    info = await admin(openim, "/group/get_group_members_info",
                       {"groupID": gid, "userIDs": ["erin"]})
    [erin] = info["data"]["members"]
    assert (erin["roleLevel"], erin["joinSource"], erin["operatorUserID"],
            erin["inviterUserID"]) == (20, 3, "bob", "")
    mine = await admin(openim, MINE, {"userID": "erin", "pagination": PAGE})
    [request] = mine["data"]["groupRequests"]
    # The server writes the message to a field it never reads, and no handler nor time.
    assert (request["handleResult"], request["handleMsg"], request["handleUserID"],
            request["handleTime"]) == (1, "", "", 0)
    again = await admin(openim, RESPOND, {"groupID": gid, "fromUserID": "erin",
                                          "handleResult": -1})
    assert (again["errCode"], again["errMsg"], again["errDlt"]) == (
        1206, "GroupRequestHandled", "group request already processed")
    # The member entered: notification 1510 in the group's conversation.
    assert openim.emulator.messages(group=gid)[-1]["body"]["contentType"] == 1510


async def test_accepting_an_invitation_keeps_its_inviter(openim) -> None:
    gid = await asking_group(openim, verification=1)
    await as_user(openim, "carol", "/group/invite_user_to_group",
                  {"groupID": gid, "invitedUserIDs": ["erin"]})
    await admin(openim, RESPOND, {"groupID": gid, "fromUserID": "erin", "handleResult": 1})
    info = await admin(openim, "/group/get_group_members_info",
                       {"groupID": gid, "userIDs": ["erin"]})
    [erin] = info["data"]["members"]
    assert (erin["joinSource"], erin["inviterUserID"], erin["operatorUserID"]) == (
        2, "carol", "imAdmin")
    assert openim.emulator.messages(group=gid)[-1]["body"]["contentType"] == 1509


async def test_refusing_adds_nobody(openim) -> None:
    gid = await asking_group(openim)
    await join(openim, "erin")
    answer = await admin(openim, RESPOND, {"groupID": gid, "fromUserID": "erin",
                                           "handleResult": -1})
    assert answer["errCode"] == 0
    assert "erin" not in await members(openim, gid)
    mine = await admin(openim, MINE, {"userID": "erin", "pagination": PAGE,
                                      "handleResults": [-1]})
    assert mine["data"]["total"] == 1


@pytest.mark.parametrize(("user", "body", "code", "dlt"), [
    (None, {"fromUserID": "erin", "handleResult": 0}, 1001, "HandleResult unknown"),
    ("erin", {"fromUserID": "erin", "handleResult": 1}, 1004, "record not found"),
    ("carol", {"fromUserID": "erin", "handleResult": 1}, 1002, "no group owner or admin"),
    (None, {"fromUserID": "frank", "handleResult": 1}, 1004, "record not found"),
])
async def test_response_checks_in_order(openim, user: str | None, body: dict[str, Any],
                                        code: int, dlt: str) -> None:
    gid = await asking_group(openim)
    await join(openim, "erin")
    body = {"groupID": gid, **body}
    answer = await (admin(openim, RESPOND, body) if user is None
                    else as_user(openim, user, RESPOND, body))
    assert (answer["errCode"], answer["errDlt"]) == (code, dlt)


async def test_response_for_an_unknown_group(openim) -> None:
    answer = await admin(openim, RESPOND, {"groupID": "nope", "fromUserID": "erin",
                                           "handleResult": 1})
    assert (answer["errCode"], answer["errDlt"]) == (1004, "record not found")


async def test_requests_live_in_the_store_and_go_with_a_reset(openim) -> None:
    await asking_group(openim)
    await join(openim, "erin")
    state = (await openim.client.get("/_emulator/state")).json()
    assert [(r["group_id"], r["user_id"], r["result"], r["source"]) for r in
            state["join_requests"]] == [("g-ask", "erin", "pending", "search")]
    assert (await openim.client.post("/_emulator/reset")).status_code == 200
    state = (await openim.client.get("/_emulator/state")).json()
    assert state["join_requests"] == []


# ---- get_specified_user_group_request_info ---------------------------------------------------

SPECIFIED = "/group/get_specified_user_group_request_info"


async def test_a_users_own_request_and_who_may_read_another(openim) -> None:
    """GetSpecifiedUserGroupRequestInfo: one's own request needs no role; another's needs the
    owner, a group admin or an app admin (1002 ``opUser no permission``)."""
    gid = await asking_group(openim, verification=1)
    await join(openim, "erin")
    own = await as_user(openim, "erin", SPECIFIED, {"groupID": gid, "userID": "erin"})
    assert list(own["data"]) == ["total", "groupRequests"]
    [request] = own["data"]["groupRequests"]
    assert (own["data"]["total"], request["userInfo"]["userID"], request["groupInfo"]["groupID"],
            request["reqMsg"], request["handleResult"], request["joinSource"]) == (
        1, "erin", gid, "let me in", 0, 3)
    for reader in ("alice", "bob"):
        read = await as_user(openim, reader, SPECIFIED, {"groupID": gid, "userID": "erin"})
        assert read["data"]["total"] == 1, reader
    assert (await admin(openim, SPECIFIED, {"groupID": gid, "userID": "erin"}))["data"][
        "total"] == 1
    denied = await as_user(openim, "carol", SPECIFIED, {"groupID": gid, "userID": "erin"})
    assert (denied["errCode"], denied["errDlt"]) == (1002, "opUser no permission")
    none = await as_user(openim, "alice", SPECIFIED, {"groupID": gid, "userID": "alice"})
    assert none["data"] == {"total": 0, "groupRequests": None}


async def test_another_users_request_in_a_group_without_owner(openim) -> None:
    """The handler reads ``owners[0]`` before checking anything for another user's request:
    a group with no owner row (unknown, or dismissed with its members) is Go's index panic,
    500; one's own read answers total 0."""
    answer = await as_user(openim, "carol", SPECIFIED, {"groupID": "nope", "userID": "erin"})
    assert (answer["errCode"], answer["errMsg"], answer["errDlt"]) == (
        500, "ServerInternalError", "runtime error: index out of range [0] with length 0")
    own = await as_user(openim, "carol", SPECIFIED, {"groupID": "nope", "userID": "carol"})
    assert own["data"] == {"total": 0, "groupRequests": None}
