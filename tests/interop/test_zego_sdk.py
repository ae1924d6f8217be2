"""ZEGO over a real socket: no server SDK is published, so this follows the docs' sample client
(stdlib urllib, md5 signature built by hand, public parameters in the query, JSON body) and the
``ZegoAuth`` signer on a synchronous httpx client, against ``im_emulator_server``."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import httpx

from emulator.signing import ZegoAuth

APP_ID = 1234567890
SECRET = "0123456789abcdef0123456789abcdef"


def docs_sample_call(base_url: str, now: int, action: str, body: dict[str, Any]) -> Any:
    """What the ZEGO docs' sample does: sign, put the public parameters in the URL, POST JSON."""
    nonce = secrets.token_hex(8)
    signature = hashlib.md5(f"{APP_ID}{nonce}{SECRET}{now}".encode()).hexdigest()
    query = urlencode({"Action": action, "AppId": APP_ID, "SignatureNonce": nonce,
                       "Timestamp": now, "Signature": signature, "SignatureVersion": "2.0",
                       "IsTest": "false"})
    request = Request(f"{base_url}/?{query}", data=json.dumps(body).encode(), method="POST",
                      headers={"Content-Type": "application/json"})
    with urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_docs_sample_client_seeds_and_pages(im_emulator_server) -> None:
    now = int(im_emulator_server.clock.now())
    url = im_emulator_server.url
    register = docs_sample_call(url, now, "UserRegister", {"UserInfo": [
        {"UserId": "sock-a", "UserName": "A"}, {"UserId": "sock-b", "UserName": "B"}]})
    assert (register["Code"], register["ErrorList"]) == (0, [])
    for i in range(3):
        created = docs_sample_call(url, now, "CreateGroup", {
            "GroupId": f"sock-g{i}", "GroupName": f"G{i}", "GroupOwner": "sock-a",
            "UserIds": ["sock-b"]})
        assert created["Code"] == 0
    first = docs_sample_call(url, now, "QueryGroupsInfoOfUser",
                             {"FromUserId": "sock-b", "Limit": "2", "Next": ""})
    assert (first["Code"], first["HasJoinGroupNum"], len(first["GroupInfoList"])) == (0, 3, 2)
    second = docs_sample_call(url, now, "QueryGroupsInfoOfUser",
                              {"FromUserId": "sock-b", "Limit": 2, "Next": first["NextRsp"]})
    assert second["NextRsp"] == "0"
    ids = [g["GroupId"] for g in first["GroupInfoList"] + second["GroupInfoList"]]
    assert sorted(ids) == ["sock-g0", "sock-g1", "sock-g2"]


def test_signer_on_a_sync_client_and_expired_timestamp(im_emulator_server) -> None:
    clock = im_emulator_server.clock
    auth = ZegoAuth(APP_ID, SECRET, clock=clock)
    with httpx.Client(base_url=im_emulator_server.url, auth=auth, timeout=10) as client:
        ok = client.post("/", params={"Action": "QueryGroupsInfoOfUser"},
                         json={"FromUserId": "alice", "Limit": 5}).json()
        assert ok["Code"] == 0 and len(ok["GroupInfoList"]) == 5
    stale = ZegoAuth(APP_ID, SECRET, clock=_Fixed(clock.now() - 601))
    with httpx.Client(base_url=im_emulator_server.url, auth=stale, timeout=10) as client:
        response = client.post("/", params={"Action": "QueryGroupsInfoOfUser"},
                               json={"FromUserId": "alice", "Limit": 5})
    assert response.status_code == 200
    assert response.json()["Code"] == 100000004
    assert "allowed +/-600 s" in response.headers["x-emulator-explain"]


class _Fixed:
    """A clock that always tells the same time."""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now


def docs_requests_call(base_url: str, action: str, body: dict[str, Any] | None = None,
                       **query: Any) -> Any:
    """The docs' Python recipe with ``requests``: a random hex nonce, the Unix timestamp, md5 of
    AppId + nonce + ServerSecret + timestamp, the public parameters in the query string; a GET
    Action's business parameters in the query too (``Name[]`` for lists), a POST's in JSON."""
    import time

    import requests

    nonce = secrets.token_hex(8)
    timestamp = int(time.time())
    signature = hashlib.md5(f"{APP_ID}{nonce}{SECRET}{timestamp}".encode()).hexdigest()
    params: dict[str, Any] = {"Action": action, "AppId": APP_ID, "SignatureNonce": nonce,
                              "Timestamp": timestamp, "Signature": signature,
                              "SignatureVersion": "2.0", "IsTest": "false"}
    for key, value in query.items():
        params[f"{key}[]" if isinstance(value, list) else key] = value
    if body is None:
        response = requests.get(f"{base_url}/", params=params, timeout=10)
    else:
        response = requests.post(f"{base_url}/", params=params, json=body, timeout=10)
    assert response.status_code == 200
    return response.json()


def test_docs_requests_recipe_drives_the_group_actions(im_emulator_server) -> None:
    url = im_emulator_server.url
    call = docs_requests_call
    users = [{"UserId": f"rq-{name}", "UserName": name} for name in ("a", "b", "c", "d")]
    assert call(url, "UserRegister", {"UserInfo": users})["Code"] == 0
    created = call(url, "CreateGroup", {"GroupId": "rq-g", "GroupName": "G",
                                        "GroupOwner": "rq-a",
                                        "UserId": ["rq-b", "rq-c", "rq-d"]})
    assert created["Code"] == 0
    page = call(url, "QueryGroupMemberList", {"GroupId": "rq-g", "Limit": 3, "Next": 0})
    assert (page["TotalCount"], page["Next"], len(page["MemberList"])) == (4, 1, 3)
    last = call(url, "QueryGroupMemberList", {"GroupId": "rq-g", "Limit": 3,
                                              "Next": page["Next"]})
    assert (last["Next"], len(last["MemberList"])) == (0, 1)
    assert call(url, "UpdateGroupData", {"FromUserId": "rq-a", "GroupId": "rq-g",
                                         "GroupNotice": "hi"})["Code"] == 0
    info = call(url, "QueryGroupInfo", {"FromUserId": "rq-a", "GroupId": "rq-g"})
    assert (info["Code"], info["GroupNotice"]) == (0, "hi")
    assert call(url, "SetGroupMemberRole", FromUserId="rq-a", GroupId="rq-g",
                ToUserId="rq-b", Role=2)["Code"] == 0
    assert call(url, "TransferGroupOwner", FromUserId="rq-a", GroupId="rq-g",
                NewOwner="rq-b")["Code"] == 0
    kicked = call(url, "KickoutGroupUser", {"FromUserId": "rq-b", "GroupId": "rq-g",
                                            "UserId": ["rq-c"], "CustomReason": "bye"})
    assert (kicked["Code"], kicked["ErrorList"]) == (0, [])
    listed = call(url, "QueryAppGroupList", Limit=10000, Next=0)
    assert listed["Code"] in (0, 660600007)  # 1/s per AppId, on the wall clock
    assert call(url, "DismissGroup", FromUserId="rq-d", GroupId="rq-g")["Code"] == 0
    assert call(url, "QueryGroupInfo", {"FromUserId": "rq-a",
                                        "GroupId": "rq-g"})["Code"] == 660600001


def test_docs_requests_recipe_drives_mutes_messages_and_settings(im_emulator_server) -> None:
    url = im_emulator_server.url
    call = docs_requests_call
    users = [{"UserId": f"rm-{name}", "UserName": name} for name in ("a", "b", "c")]
    assert call(url, "UserRegister", {"UserInfo": users})["Code"] == 0
    assert call(url, "CreateGroup", {"GroupId": "rm-g", "GroupName": "G", "GroupOwner": "rm-a",
                                     "UserId": ["rm-b", "rm-c"]})["Code"] == 0
    assert call(url, "SetGroupMemberRole", FromUserId="rm-a", GroupId="rm-g",
                ToUserId="rm-b", Role=2)["Code"] == 0
    # MuteGroup and MuteGroupMembers are GET with the parameters in the query string
    assert call(url, "MuteGroup", FromUserId="rm-b", GroupId="rm-g", IsAllMuted="false",
                MuteRoleList=[3], Duration=100000)["Code"] == 0
    info = call(url, "QueryGroupInfo", {"FromUserId": "rm-a", "GroupId": "rm-g"})
    assert (info["Code"], info["ForbidList"]) == (0, [3])
    refused = call(url, "SendGroupMessage", {
        "FromUserId": "rm-c", "GroupId": "rm-g", "MessageType": 1, "Priority": 1,
        "MessageBody": {"Message": "hello world"}})
    assert refused["Code"] == 660600032
    assert call(url, "MuteGroup", FromUserId="rm-a", GroupId="rm-g")["Code"] == 0
    muted = call(url, "MuteGroupMembers", FromUserId="rm-a", GroupId="rm-g",
                 UserIds=["rm-c", "rm-x"], Duration=-1)
    assert (muted["Code"], muted["ErrorUsers"]) == (0, [{"UserId": "rm-x",
                                                         "SubCode": 660600024}])
    forbidden = call(url, "FetchForbidGroupList", {"FromUserId": "rm-a", "StartFlag": 0})
    assert {"GroupId": "rm-g", "ForbidType": 4} in forbidden["GroupList"]
    assert call(url, "MuteGroupMembers", FromUserId="rm-a", GroupId="rm-g",
                UserIds=["rm-c"], Duration=0)["Code"] == 0
    sent = call(url, "SendGroupMessage", {
        "FromUserId": "rm-c", "GroupId": "rm-g", "MessageType": 1, "Priority": 1,
        "MessageBody": {"Message": "hello world", "ExtendedData": "d"}})
    assert sent["Code"] == 0 and sent["MsgSeq"] >= 1
    history = call(url, "QueryGroupMsg", {"GroupId": "rm-g", "Limit": 10, "Next": 0,
                                          "WithEmptyMsg": 0})
    assert (history["Next"], [(m["MsgBody"], m["MsgId"]) for m in history["List"]]) == (
        0, [("hello world", sent["MsgId"])])
    assert call(url, "SetGroupMembersNickname", {
        "FromUserId": "rm-a", "GroupId": "rm-g",
        "UserIds": [{"UserId": "rm-c", "Nickname": "Cee"}]})["Code"] == 0
    assert call(url, "ModifyGroupAttribute", {
        "Action": 0, "FromUserId": "rm-a", "GroupId": "rm-g",
        "Attributes": [{"Key": "k", "Value": "v"}]})["Code"] == 0
    assert call(url, "ModifyGroupLimit", FromUserId="rm-a", GroupId="rm-g", JoinMode=1,
                MemberCountLimit=100)["Code"] == 0
    info = call(url, "QueryGroupInfo", {"FromUserId": "rm-a", "GroupId": "rm-g"})
    assert (info["GroupAttributes"], info["LimitInfo"]["JoinMode"],
            info["LimitInfo"]["MemberCountLimit"]) == ([{"Key": "k", "Value": "v"}], 1, 100)
    members = call(url, "QueryGroupMemberList", {"GroupId": "rm-g", "Limit": 10, "Next": 0})
    assert {m["UserId"]: m["UserNickName"] for m in members["MemberList"]}["rm-c"] == "Cee"
