"""OpenIM's official JavaScript client SDK (``@openim/client-sdk`` 0.0.14, npm, GPL-3.0, by
openimsdk) against a real socket, run by Node through ``openim_js/drive.mjs``.

The SDK is pure JavaScript: every group call and its group sync is a ``fetch`` POST to the HTTP
API, with ``Content-Type: application/json``, ``token``, ``operationID`` and ``reqFuncName``
headers. Only its login needs the WebSocket message gateway, which the emulator does not serve:
the harness gives it a stand-in socket that opens and carries nothing. The SDK reads an answer
as ``errCode`` 0 → ``data``; any other code becomes its error 10006 with the server's
``errMsg``; a status other than 200 becomes 10006 with the status text.

``make test`` installs the package (``npm ci`` in tests/interop/openim_js, from its lock file);
the fixture below does the same when it is missing.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator.pytest_plugin import ServerEmulator
from emulator.signing import OpenIMAuth

HARNESS_DIR = Path(__file__).parent / "openim_js"
SDK_ERROR = 10006
GROUP_INFO_KEYS = ["groupID", "groupName", "notification", "introduction", "faceURL",
                   "ownerUserID", "createTime", "memberCount", "ex", "status", "creatorUserID",
                   "groupType", "needVerification", "lookMemberInfo", "applyMemberFriend",
                   "notificationUpdateTime", "notificationUserID"]


@pytest.fixture(scope="session")
def node_sdk() -> Path:
    """The harness, with ``npm ci`` run once (under a lock: xdist workers share the folder)."""
    installed = HARNESS_DIR / "node_modules" / "@openim" / "client-sdk" / "package.json"
    npm = shutil.which("npm")
    assert npm, "the OpenIM JavaScript SDK tests need Node.js 20 and npm on PATH"
    with open(HARNESS_DIR / "package-lock.json", "rb") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        if not installed.exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=HARNESS_DIR,
                           check=True, timeout=300)
    assert json.loads(installed.read_text())["version"] == "0.0.14"
    return HARNESS_DIR / "drive.mjs"


class OpenIM:
    """Admin-side setup over plain HTTP, and the SDK run as one user."""

    def __init__(self, server: ServerEmulator, harness: Path) -> None:
        self.url = server.url
        self.harness = harness
        self.admin = httpx.Client(base_url=server.url, auth=OpenIMAuth())

    def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer: dict[str, Any] = self.admin.post(path, json=body).json()
        return answer

    def register(self, *users: str) -> None:
        answer = self.call("/user/user_register", {
            "users": [{"userID": user, "nickname": user} for user in users]})
        assert answer["errCode"] == 0, answer

    def token(self, user: str) -> str:
        answer = self.call("/auth/get_user_token", {"platformID": 5, "userID": user})
        token: str = answer["data"]["token"]
        return token

    def admin_token(self) -> str:
        answer = self.admin.post("/auth/get_admin_token",
                                 json={"secret": "openIM123", "userID": "imAdmin"}).json()
        token: str = answer["data"]["token"]
        return token

    def sdk(self, user: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
        plan = {"apiAddr": self.url, "userID": user, "token": self.token(user),
                "adminToken": self.admin_token(), "steps": steps}
        ran = subprocess.run(["node", str(self.harness)], input=json.dumps(plan),
                             capture_output=True, text=True, timeout=60, check=True)
        run: dict[str, Any] = json.loads(ran.stdout)
        login = run["results"].pop(0)
        assert (login["event"], login["errCode"]) == ("Login", 0), login
        return run

    def group(self, group_id: str) -> dict[str, Any]:
        [info] = self.call("/group/get_groups_info", {"groupIDs": [group_id]})["data"]["groupInfos"]
        return info

    def members(self, group_id: str) -> dict[str, dict[str, Any]]:
        page = self.call("/group/get_group_member_list", {
            "groupID": group_id, "pagination": {"pageNumber": 1, "showNumber": 100}})
        return {member["userID"]: member for member in page["data"]["members"] or []}


@pytest.fixture
def openim(im_emulator_server: ServerEmulator, node_sdk: Path) -> OpenIM:
    client = OpenIM(im_emulator_server, node_sdk)
    client.register("js_owner", "js_member", "js_third")
    return client


def call(method: str, *args: Any) -> dict[str, Any]:
    return {"call": method, "args": list(args)}


def admin(path: str, body: dict[str, Any]) -> dict[str, Any]:
    """A step the harness runs as an app admin between the SDK's steps."""
    return {"admin": path, "body": body}


def events(run: dict[str, Any], *names: str) -> list[tuple[str, Any]]:
    """The SDK events of these names, in the order fired."""
    return [(event["event"], event["data"]) for event in run["events"] if event["event"] in names]


def sent(run: dict[str, Any]) -> list[tuple[str, Any]]:
    """Each request the SDK sent: its path and its JSON body."""
    return [(request["path"], json.loads(request["body"])) for request in run["requests"]]


def test_create_and_read_a_group(openim: OpenIM) -> None:
    run = openim.sdk("js_owner", [
        call("createGroup", {"memberUserIDs": ["js_member"],
                             "groupInfo": {"groupID": "js-g", "groupName": "JS 群"}}),
        call("getSpecifiedGroupsInfo", ["js-g", "js-unknown"]),
        call("getSpecifiedGroupMembersInfo", {"groupID": "js-g", "userIDList": ["js_member"]}),
        call("getGroupMemberList", {"groupID": "js-g", "filter": 0, "offset": 0, "count": 10}),
        call("getJoinedGroupListPage", {"offset": 0, "count": 10}),
    ])
    created, infos, member_info, members, joined = run["results"]
    assert [result["errCode"] for result in run["results"]] == [0, 0, 0, 0, 0]
    assert list(created["data"]) == GROUP_INFO_KEYS
    assert created["data"] | {"createTime": 0} == {
        "groupID": "js-g", "groupName": "JS 群", "notification": "", "introduction": "",
        "faceURL": "", "ownerUserID": "js_owner", "createTime": 0, "memberCount": 2, "ex": "",
        "status": 0, "creatorUserID": "js_owner", "groupType": 2, "needVerification": 0,
        "lookMemberInfo": 0, "applyMemberFriend": 0, "notificationUpdateTime": 0,
        "notificationUserID": ""}
    assert infos["data"] == [created["data"]]
    assert [m["userID"] for m in member_info["data"]] == ["js_member"]
    assert [(m["userID"], m["roleLevel"]) for m in members["data"]] == [
        ("js_owner", 100), ("js_member", 20)]
    assert joined["data"] == [created["data"]]
    assert sent(run) == [
        ("/group/create_group", {
            "ownerUserID": "js_owner", "memberUserIDs": ["js_member"], "adminUserIDs": [],
            "groupInfo": {"groupID": "js-g", "groupName": "JS 群", "groupType": 2,
                          "creatorUserID": "js_owner"}}),
        ("/group/get_groups_info", {"groupIDs": ["js-g", "js-unknown"]}),
        ("/group/get_group_members_info", {"groupID": "js-g", "userIDs": ["js_member"]}),
        ("/group/get_group_member_list", {"filter": 0, "keyword": "", "groupID": "js-g",
                                          "pagination": {"pageNumber": 1, "showNumber": 10}}),
        ("/group/get_joined_group_list", {"fromUserID": "js_owner",
                                          "pagination": {"pageNumber": 1, "showNumber": 10}}),
    ]
    headers = run["requests"][0]["headers"]
    assert headers["Content-Type"] == "application/json"
    assert headers["reqFuncName"] == "CreateGroup" and headers["operationID"]


def test_owner_manages_the_group(openim: OpenIM) -> None:
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_member"],
                                        "groupInfo": {"groupID": "js-m", "groupType": 2}})
    run = openim.sdk("js_owner", [
        call("inviteUserToGroup", {"groupID": "js-m", "reason": "hi", "userIDList": ["js_third"]}),
        call("setGroupInfo", {"groupID": "js-m", "groupName": "Renamed", "notification": "read"}),
        call("setGroupMemberInfo", {"groupID": "js-m", "userID": "js_member", "nickname": "bee",
                                    "roleLevel": 60}),
        call("changeGroupMemberMute", {"groupID": "js-m", "userID": "js_third",
                                       "mutedSeconds": 600}),
        call("changeGroupMute", {"groupID": "js-m", "isMute": True}),
    ])
    assert [result["errCode"] for result in run["results"]] == [0] * 5
    group = openim.group("js-m")
    assert (group["groupName"], group["notification"], group["status"]) == ("Renamed", "read", 3)
    members = openim.members("js-m")
    assert (members["js_member"]["nickname"], members["js_member"]["roleLevel"]) == ("bee", 60)
    assert members["js_third"]["muteEndTime"] > members["js_third"]["joinTime"]

    run = openim.sdk("js_owner", [
        call("changeGroupMemberMute", {"groupID": "js-m", "userID": "js_third", "mutedSeconds": 0}),
        call("changeGroupMute", {"groupID": "js-m", "isMute": False}),
        call("kickGroupMember", {"groupID": "js-m", "reason": "bye", "userIDList": ["js_third"]}),
        call("transferGroupOwner", {"groupID": "js-m", "newOwnerUserID": "js_member"}),
    ])
    assert [result["errCode"] for result in run["results"]] == [0] * 4
    assert sent(run) == [
        ("/group/cancel_mute_group_member",
         {"groupID": "js-m", "userID": "js_third", "mutedSeconds": 0}),
        ("/group/cancel_mute_group", {"groupID": "js-m"}),
        ("/group/kick_group", {"reason": "bye", "groupID": "js-m", "kickedUserIDs": ["js_third"]}),
        ("/group/transfer_group", {"groupID": "js-m", "oldOwnerUserID": "js_owner",
                                   "newOwnerUserID": "js_member"}),
    ]
    group = openim.group("js-m")
    assert (group["status"], group["ownerUserID"]) == (0, "js_member")
    assert {user: member["roleLevel"] for user, member in openim.members("js-m").items()} == {
        "js_member": 100, "js_owner": 20}


def test_join_quit_and_dismiss(openim: OpenIM) -> None:
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_member"],
                                        "groupInfo": {"groupID": "js-j", "groupType": 2,
                                                      "needVerification": 2}})
    joined = openim.sdk("js_third", [
        call("joinGroup", {"groupID": "js-j", "reqMsg": "let me in", "joinSource": 3}),
        call("joinGroup", {"groupID": "js-j", "reqMsg": "again", "joinSource": 3}),
    ])
    first, again = joined["results"]
    assert first["errCode"] == 0
    assert (again["errCode"], again["errMsg"]) == (SDK_ERROR, "ArgsError")
    assert sent(joined)[0] == ("/group/join_group", {
        "groupID": "js-j", "reqMessage": "let me in", "joinSource": 3,
        "inviterUserID": "js_third", "ex": ""})
    assert openim.members("js-j")["js_third"]["roleLevel"] == 20
    quit_run = openim.sdk("js_third", [call("quitGroup", "js-j")])
    assert quit_run["results"][0]["errCode"] == 0
    assert sent(quit_run) == [("/group/quit_group", {"groupID": "js-j", "userID": "js_third"})]
    assert "js_third" not in openim.members("js-j")

    refused = openim.sdk("js_member", [call("dismissGroup", "js-j")])
    assert (refused["results"][0]["errCode"], refused["results"][0]["errMsg"]) == (
        SDK_ERROR, "NoPermissionError")
    dismissed = openim.sdk("js_owner", [call("dismissGroup", "js-j")])
    assert dismissed["results"][0]["errCode"] == 0
    assert sent(dismissed) == [("/group/dismiss_group", {"groupID": "js-j", "deleteMember": False})]
    assert openim.group("js-j")["status"] == 2
    assert set(openim.members("js-j")) == {"js_owner", "js_member"}


def test_errors_and_unserved_paths_reach_the_sdk(openim: OpenIM) -> None:
    """A server error is the SDK's 10006 with ``errMsg``; a path the emulator does not serve is a
    404 (an empty gzip body for Node's fetch, which asks for gzip) that it reports as ``Not
    Found``."""
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_member"],
                                        "groupInfo": {"groupID": "js-e", "groupType": 2}})
    run = openim.sdk("js_member", [
        call("kickGroupMember", {"groupID": "js-e", "reason": "", "userIDList": ["js_owner"]}),
        call("quitGroup", "js-unknown"),
        call("getBlackList", {"offset": 0, "count": 10}),
    ])
    assert [(r["errCode"], r["errMsg"]) for r in run["results"]] == [
        (SDK_ERROR, "ArgsError"), (SDK_ERROR, "RecordNotFoundError"), (SDK_ERROR, "Not Found")]
    kick, unknown, unserved = run["requests"]
    assert json.loads(kick["answer"]) == {"errCode": 1001, "errMsg": "ArgsError",
                                          "errDlt": "ownerUID can not Kick"}
    assert json.loads(unknown["answer"])["errCode"] == 1004
    assert (unserved["path"], unserved["status"], unserved["contentType"], unserved["answer"]) == (
        "/friend/get_black_list", 404, "application/json", "")


def test_group_sync_after_login(openim: OpenIM) -> None:
    """The SDK's group sync (what it runs once connected): the joined groups' version, their ids,
    then every group's member version in one batch; a second sync sends the versions it got and,
    nothing having changed, gets ``full`` false with nothing to apply. ``isJoinGroup`` reads
    the synced versions; ``getUsersInGroup`` fetches the member ids."""
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_member"],
                                        "groupInfo": {"groupID": "js-s", "groupType": 2}})
    run = openim.sdk("js_member", [
        {"sync": "groups"}, {"sync": "groups"}, call("isJoinGroup", "js-s"),
        call("getUsersInGroup", {"groupID": "js-s", "userIDList": ["js_owner", "js_third"]})])
    assert run["results"][:2] == [{"errCode": 0}, {"errCode": 0}]
    assert [(r["errCode"], r["data"]) for r in run["results"][2:]] == [
        (0, True), (0, ["js_owner"])]
    paths = [path for path, _ in sent(run)]
    assert sorted(paths[:3]) == ["/group/get_full_join_group_ids",
                                 "/group/get_incremental_group_members_batch",
                                 "/group/get_incremental_join_groups"]
    assert sorted(paths[3:5]) == ["/group/get_incremental_group_members_batch",
                                  "/group/get_incremental_join_groups"]
    assert sent(run)[5] == ("/group/get_full_group_member_user_ids",
                            {"groupID": "js-s", "idHash": 0})
    answer = json.loads(run["requests"][5]["answer"])
    assert answer["data"]["userIDs"] == ["js_owner", "js_member"]
    bodies = {(index > 2, path): (body, json.loads(request["answer"])["data"])
              for index, ((path, body), request) in enumerate(zip(sent(run), run["requests"]))}

    body, ids = bodies[(False, "/group/get_full_join_group_ids")]
    assert body == {"idHash": 0, "userID": "js_member"}
    assert ids["groupIDs"] == ["js-s"] and ids["equal"] is False
    body, first = bodies[(False, "/group/get_incremental_join_groups")]
    assert body == {"userID": "js_member", "version": 0, "versionID": ""}
    assert first["full"] is True and isinstance(first["version"], int)
    body, batch = bodies[(False, "/group/get_incremental_group_members_batch")]
    assert body == {"userID": "js_member",
                    "reqList": [{"groupID": "js-s", "version": 0, "versionID": ""}]}
    members = batch["respList"]["js-s"]
    assert members["full"] is True and list(members["group"]) == GROUP_INFO_KEYS

    body, again = bodies[(True, "/group/get_incremental_join_groups")]
    assert body == {"userID": "js_member", "version": first["version"],
                    "versionID": first["versionID"]}
    assert (again["full"], again["insert"], again["delete"], again["update"]) == (
        False, None, None, None)
    body, batch_again = bodies[(True, "/group/get_incremental_group_members_batch")]
    [member_req] = body["reqList"]
    assert member_req == {"groupID": "js-s", "version": members["version"],
                          "versionID": members["versionID"]}
    assert batch_again["respList"]["js-s"]["full"] is False
    assert [event["event"] for event in run["events"]] == ["OnConnecting"]


def test_paging_edges_through_the_sdk(openim: OpenIM) -> None:
    """The SDK computes ``pageNumber`` as round(offset / count) + 1: a count of 0 sends
    ``null`` (NaN), which the server reads as 0 and refuses; a page past the end is ``null``
    members, which the SDK hands back as an empty list."""
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_member"],
                                        "groupInfo": {"groupID": "js-p", "groupType": 2}})
    run = openim.sdk("js_owner", [
        call("getGroupMemberList", {"groupID": "js-p", "filter": 0, "offset": 0, "count": 0}),
        call("getGroupMemberList", {"groupID": "js-p", "filter": 0, "offset": 10, "count": 10}),
        call("getJoinedGroupListPage", {"offset": 5, "count": 5}),
    ])
    refused, past_end, joined_past_end = run["results"]
    assert (refused["errCode"], refused["errMsg"]) == (SDK_ERROR, "ArgsError")
    assert sent(run)[0][1]["pagination"] == {"pageNumber": None, "showNumber": 0}
    assert json.loads(run["requests"][0]["answer"])["errDlt"] == "pageNumber is invalid"
    assert (past_end["errCode"], past_end["data"]) == (0, [])
    assert json.loads(run["requests"][1]["answer"])["data"] == {"total": 2, "members": None}
    assert (joined_past_end["errCode"], joined_past_end["data"]) == (0, [])
    assert json.loads(run["requests"][2]["answer"])["data"] == {"total": 1, "groups": None}


def test_a_later_sync_applies_the_changes_since(openim: OpenIM) -> None:
    """After a first sync, an admin invites the user into a new group and renames one of its
    groups: the next sync gets the new group as the joined-groups ``insert`` (the SDK's
    OnJoinedGroupAdded with its GroupInfo) and the renamed group's info with its member
    answer (OnGroupInfoChanged; ``getSpecifiedGroupsInfo`` then reads the new name from the
    SDK's cache, with no request). Kicked out, the next sync's joined-groups ``delete``
    is OnJoinedGroupDeleted, and its member sync of the group it was kicked from is refused
    (1002, as the server refuses a non-member), which the SDK reports as a failed sync."""
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_member"],
                                        "groupInfo": {"groupID": "js-a", "groupName": "A",
                                                      "groupType": 2}})
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_third"],
                                        "groupInfo": {"groupID": "js-b", "groupName": "B",
                                                      "groupType": 2}})
    run = openim.sdk("js_member", [
        {"sync": "groups"}, {"sync": "groups"},
        admin("/group/invite_user_to_group", {"groupID": "js-b", "invitedUserIDs": ["js_member"]}),
        admin("/group/set_group_info", {"groupInfoForSet": {"groupID": "js-a",
                                                            "groupName": "A renamed"}}),
        {"sync": "groups"},
        call("getSpecifiedGroupsInfo", ["js-a"]),
        call("isJoinGroup", "js-a"),
        admin("/group/kick_group", {"groupID": "js-a", "kickedUserIDs": ["js_member"]}),
        {"sync": "groups"},
    ])
    results = run["results"]
    assert [r["errCode"] for r in results[:8]] == [0] * 8
    assert results[5]["data"][0]["groupName"] == "A renamed"
    assert results[6]["data"] is True
    # The sync's own request error is a plain Error with the errMsg (no errCode: -1 here).
    assert (results[8]["errCode"], results[8]["errMsg"]) == (-1, "NoPermissionError")
    added, changed, deleted = (
        events(run, "OnJoinedGroupAdded"), events(run, "OnGroupInfoChanged"),
        events(run, "OnJoinedGroupDeleted"))
    assert [(name, data["groupID"], data["memberCount"]) for name, data in added] == [
        ("OnJoinedGroupAdded", "js-b", 3)]
    assert list(added[0][1]) == GROUP_INFO_KEYS
    assert [(data["groupID"], data["groupName"]) for _, data in changed] == [("js-a", "A renamed")]
    assert deleted == [("OnJoinedGroupDeleted", {"groupID": "js-a"})]

    paths = [path for path, _ in sent(run)]
    assert "/group/get_groups_info" not in paths  # the renamed group came from the cache
    answers = [(path, json.loads(request["answer"])) for path, request in
               zip(paths, run["requests"])]
    joins = [data["data"] for path, data in answers
             if path == "/group/get_incremental_join_groups"]
    assert [(j["full"], [g["groupID"] for g in j["insert"] or []], j["delete"])
            for j in joins] == [(True, [], None), (False, [], None), (False, ["js-b"], None),
                                (False, [], ["js-a"])]
    batches = [data for path, data in answers
               if path == "/group/get_incremental_group_members_batch"]
    renamed = batches[2]["data"]["respList"]["js-a"]
    assert (renamed["full"], renamed["insert"], renamed["group"]["groupName"]) == (
        False, None, "A renamed")
    assert (batches[3]["errCode"], batches[3]["errDlt"]) == (1002, "op user not in group")


def test_join_requests_through_the_sdk(openim: OpenIM) -> None:
    """A join to a group with needVerification 1, and an ordinary member's invitation there,
    are requests: the owner lists them with ``getGroupApplicationListAsRecipient``, accepts
    one and refuses the other; the applicants read the outcome with
    ``getGroupApplicationListAsApplicant`` (``handledMsg`` "" and ``handleUserID`` "", as the
    server leaves them). After answering, the SDK asks on its own for the answering user's
    request in the group (``get_specified_user_group_request_info``): none."""
    openim.register("js_fourth")
    openim.call("/group/create_group", {"ownerUserID": "js_owner", "memberUserIDs": ["js_member"],
                                        "groupInfo": {"groupID": "js-r", "groupName": "R",
                                                      "groupType": 2, "needVerification": 1}})
    asked = openim.sdk("js_third", [
        call("joinGroup", {"groupID": "js-r", "reqMsg": "please", "joinSource": 3}),
        call("getGroupApplicationListAsApplicant", {"offset": 0, "count": 10})])
    assert [r["errCode"] for r in asked["results"]] == [0, 0]
    [pending] = asked["results"][1]["data"]
    assert (pending["groupID"], pending["userID"], pending["reqMsg"], pending["handleResult"],
            pending["joinSource"]) == ("js-r", "js_third", "please", 0, 3)
    invited = openim.sdk("js_member", [
        call("inviteUserToGroup", {"groupID": "js-r", "reason": "join us",
                                   "userIDList": ["js_fourth"]})])
    assert invited["results"][0]["errCode"] == 0
    assert "js_fourth" not in openim.members("js-r")

    run = openim.sdk("js_owner", [
        call("getGroupApplicationListAsRecipient", {"offset": 0, "count": 10}),
        call("acceptGroupApplication", {"groupID": "js-r", "fromUserID": "js_third",
                                        "handleMsg": "welcome"}),
        call("refuseGroupApplication", {"groupID": "js-r", "fromUserID": "js_fourth",
                                        "handleMsg": "no"}),
        call("getGroupApplicationListAsRecipient", {"offset": 0, "count": 10}),
    ])
    assert [r["errCode"] for r in run["results"]] == [0] * 4
    before, _, _, after = (result["data"] for result in run["results"])
    assert [(r["userID"], r["handleResult"], r["joinSource"], r["reqMsg"]) for r in before] == [
        ("js_fourth", 0, 2, ""), ("js_third", 0, 3, "please")]  # an invite keeps no reason
    recv = json.loads(run["requests"][0]["answer"])["data"]["groupRequests"]
    assert [r["inviterUserID"] for r in recv] == ["js_member", ""]  # the SDK drops it
    assert [(r["userID"], r["handleResult"], r["handledMsg"], r["handleUserID"])
            for r in after] == [("js_fourth", -1, "", ""), ("js_third", 1, "", "")]
    assert run["unhandled"] == []
    paths = [(path, body) for path, body in sent(run)]
    assert paths[1] == ("/group/group_application_response", {
        "groupID": "js-r", "fromUserID": "js_third", "handledMsg": "welcome", "handleResult": 1})
    looked_up = [(body, json.loads(request["answer"])) for (path, body), request in
                 zip(paths, run["requests"])
                 if path == "/group/get_specified_user_group_request_info"]
    assert looked_up == [
        ({"groupID": "js-r", "userID": "js_owner"},
         {"errCode": 0, "errMsg": "", "errDlt": "", "data": {"total": 0, "groupRequests": None}})
    ] * 2
    assert openim.members("js-r")["js_third"]["roleLevel"] == 20
    assert "js_fourth" not in openim.members("js-r")

    for user, result in (("js_third", 1), ("js_fourth", -1)):
        mine = openim.sdk(user, [call("getGroupApplicationListAsApplicant",
                                      {"offset": 0, "count": 10})])
        [request] = mine["results"][0]["data"]
        assert (request["groupID"], request["handleResult"]) == ("js-r", result)
    joined = openim.sdk("js_third", [call("getJoinedGroupListPage", {"offset": 0, "count": 10})])
    assert [g["groupID"] for g in joined["results"][0]["data"]] == ["js-r"]
