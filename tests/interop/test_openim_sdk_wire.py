"""OpenIM's Go SDK on the wire: the requests openim-sdk-core sends, replayed byte for byte with
plain HTTP against a real socket (its Go toolchain is not on this machine, so it cannot run here).

Sources, openimsdk/openim-sdk-core @ 9267a252faab02bbc8ffab6223e6ae2341a0f7c9 (June 2026):
- ``pkg/network/http_client.go`` ``ApiPost``: ``json.Marshal`` of the request struct; headers
  ``Content-Type: application/json``, ``operationID``, ``token``, ``Accept-Encoding: gzip`` (set
  with ``Header.Set``, so written ``Operationid`` and ``Token``); the answer is gunzipped when
  ``Content-Encoding`` is ``gzip``, read as ``{errCode, errMsg, errDlt, data}``, a non-zero
  ``errCode`` is the error, and ``data`` is unmarshalled into the response struct.
- ``pkg/api/api.go`` (paths and structs), ``internal/group/server_api.go``, ``api.go``,
  ``incremental_sync.go`` and ``group.go`` (what each struct holds), ``pkg/network``
  ``FetchAndInsertPagedData`` (pages from 1, ``showNumber`` 100, until a short page).
- ``msgtest/module/*.go``: the SDK repository's own server-side test tool (admin token, user
  register, user token, create_group, invite_user_to_group as a map, ``/msg/send_msg``). It sets
  no ``Accept-Encoding``, so Go's transport adds ``gzip`` and unzips the answer itself.

The structs are those of openimsdk/protocol v0.0.73-alpha.12 (the SDK's go.mod): their JSON tags
have no ``omitempty``, so ``json.Marshal`` writes every field in declaration order, zero values
included, nil slices and pointers as ``null``, and the ``wrapperspb`` wrappers as their bare
value. Answers are checked the way ``json.Unmarshal`` reads them into those structs: every field
of the struct present (the server writes them all) with a JSON type that decodes into it.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from emulator.pytest_plugin import ServerEmulator

Schema = Any
GROUP_INFO: Schema = {
    "groupID": "str", "groupName": "str", "notification": "str", "introduction": "str",
    "faceURL": "str", "ownerUserID": "str", "createTime": "int", "memberCount": "int",
    "ex": "str", "status": "int", "creatorUserID": "str", "groupType": "int",
    "needVerification": "int", "lookMemberInfo": "int", "applyMemberFriend": "int",
    "notificationUpdateTime": "int", "notificationUserID": "str"}
MEMBER: Schema = {
    "groupID": "str", "userID": "str", "roleLevel": "int", "joinTime": "int", "nickname": "str",
    "faceURL": "str", "appMangerLevel": "int", "joinSource": "int", "operatorUserID": "str",
    "ex": "str", "muteEndTime": "int", "inviterUserID": "str"}
INCREMENTAL_JOIN_GROUPS: Schema = {
    "version": "int", "versionID": "str", "full": "bool", "delete": ["str"],
    "insert": [GROUP_INFO], "update": [GROUP_INFO], "sortVersion": "int"}
INCREMENTAL_MEMBERS: Schema = {
    "version": "int", "versionID": "str", "full": "bool", "delete": ["str"], "insert": [MEMBER],
    "update": [MEMBER], "group": GROUP_INFO, "sortVersion": "int"}
FULL_JOIN_GROUP_IDS: Schema = {"version": "int", "versionID": "str", "equal": "bool",
                               "groupIDs": ["str"]}
FULL_MEMBER_IDS: Schema = {"version": "int", "versionID": "str", "equal": "bool",
                           "userIDs": ["str"]}
TOKEN: Schema = {"token": "str", "expireTimeSeconds": "int"}
SEND_MSG: Schema = {"serverMsgID": "str", "clientMsgID": "str", "sendTime": "int"}
EMPTY: Schema = {}


def assert_decodes(value: Any, schema: Schema, where: str = "data") -> None:
    """``value`` unmarshals into the struct ``schema`` describes (``null`` is any zero value)."""
    if value is None:
        return
    if isinstance(schema, dict):
        assert isinstance(value, dict), where
        assert not set(schema) - set(value), f"{where}: missing {set(schema) - set(value)}"
        for key, field in schema.items():
            assert_decodes(value[key], field, f"{where}.{key}")
    elif isinstance(schema, list):
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            assert_decodes(item, schema[0], f"{where}[{index}]")
    elif isinstance(schema, tuple):
        assert isinstance(value, dict), where
        for key, item in value.items():
            assert_decodes(item, schema[1], f"{where}.{key}")
    else:
        kinds = {"str": (str,), "int": (int,), "bool": (bool,)}[schema]
        assert isinstance(value, kinds) and (schema == "bool") == isinstance(value, bool), \
            f"{where}: {value!r} is not {schema}"


@dataclass(frozen=True)
class Raw:
    """An answer as it came off the socket (still gzipped)."""

    status: int
    headers: httpx.Headers
    raw: bytes


class GoClient:
    """``ApiPost`` (the SDK) or msgtest's ``apiPost`` (its test tool), as each writes a request."""

    def __init__(self, server: ServerEmulator) -> None:
        self.http = httpx.Client(base_url=server.url)
        self.token = ""
        self.operation_id = ""
        self.count = 0

    def post(self, path: str, body: str, schema: Schema, *, sdk: bool = True) -> Any:
        """POST ``body`` exactly; the answer must be a success whose data decodes per ``schema``."""
        answer = self.send(path, body, sdk=sdk)
        assert answer.status == 200
        assert answer.headers["content-encoding"] == "gzip"
        envelope = json.loads(gzip.decompress(answer.raw))
        assert (envelope["errCode"], envelope["errMsg"], envelope["errDlt"]) == (0, "", ""), \
            envelope
        assert_decodes(envelope.get("data"), schema)
        return envelope.get("data")

    def send(self, path: str, body: str, *, sdk: bool = True) -> Raw:
        self.count += 1
        headers = {"Content-Type": "application/json",
                   "Operationid": self.operation_id or f"17{self.count:011d}",
                   "User-Agent": "Go-http-client/1.1", "Accept-Encoding": "gzip"}
        if self.token or sdk:
            headers["Token"] = self.token
        request = self.http.build_request("POST", path, content=body.encode(), headers=headers)
        response = self.http.send(request, stream=True)
        try:
            return Raw(response.status_code, response.headers, b"".join(response.iter_raw()))
        finally:
            response.close()


@pytest.fixture
def admin(im_emulator_server: ServerEmulator) -> Iterator[GoClient]:
    """msgtest's ``MetaManager.initToken`` then ``RegisterUsers``."""
    client = GoClient(im_emulator_server)
    data = client.post("/auth/get_admin_token",
                       '{"secret":"openIM123","userID":"imAdmin"}', TOKEN, sdk=False)
    client.token = data["token"]
    client.post("/user/user_register", '{"users":[' + ",".join(
        f'{{"userID":"{user}","nickname":"{user}","faceURL":"","ex":"","createTime":0,'
        f'"appMangerLevel":0,"globalRecvMsgOpt":0}}'
        for user in ("go_owner", "go_member", "go_third")) + "]}", EMPTY, sdk=False)
    client.post("/group/create_group", (
        '{"memberUserIDs":["go_member"],"groupInfo":{"groupID":"go-g","groupName":"Go group",'
        '"notification":"","introduction":"","faceURL":"","ownerUserID":"","createTime":0,'
        '"memberCount":0,"ex":"","status":0,"creatorUserID":"go_owner","groupType":2,'
        '"needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0,'
        '"notificationUpdateTime":0,"notificationUserID":""},"adminUserIDs":null,'
        '"ownerUserID":"go_owner","sendMessage":null}'), {"groupInfo": GROUP_INFO}, sdk=False)
    yield client


def user(server: ServerEmulator, admin: GoClient, user_id: str) -> GoClient:
    """msgtest's ``GetToken(userID, constant.WindowsPlatformID)``; the SDK logs in with it."""
    data = admin.post("/auth/get_user_token", f'{{"platformID":3,"userID":"{user_id}"}}', TOKEN,
                      sdk=False)
    client = GoClient(server)
    client.token = data["token"]
    return client


def test_msgtest_tool_creates_invites_and_sends(admin: GoClient) -> None:
    """msgtest's group_manager.go (create, then a batch invite written from a map: sorted keys)
    and api_msg_sender.go (its own SendMsgReq: recvID, then the embedded SendMsg's fields)."""
    group = admin.post("/group/get_groups_info", '{"groupIDs":["go-g"]}',
                       {"groupInfos": [GROUP_INFO]})["groupInfos"][0]
    assert (group["ownerUserID"], group["creatorUserID"], group["memberCount"]) == (
        "go_owner", "go_owner", 2)
    admin.post("/group/invite_user_to_group",
               '{"groupID":"go-g","invitedUserIDs":["go_third"],"reason":"test"}', EMPTY, sdk=False)
    text = "this is test msg user go_owner to user go_member, index: 0"
    content = json.dumps(json.dumps({"content": text}, separators=(",", ":")))
    sent = admin.post("/msg/send_msg", (
        '{"recvID":"go_member","sendID":"go_owner","groupID":"","senderNickname":"",'
        '"senderFaceURL":"","senderPlatformID":3,"content":{"content":' + content + '},'
        '"contentType":101,"sessionType":1,"isOnlineOnly":false,"notOfflinePush":false,'
        '"offlinePushInfo":null}'), SEND_MSG, sdk=False)
    assert len(sent["serverMsgID"]) == 32 and sent["sendTime"] > 0
    grouped = admin.post("/msg/send_msg", (
        '{"recvID":"","sendID":"go_owner","groupID":"go-g","senderNickname":"",'
        '"senderFaceURL":"","senderPlatformID":3,"content":{"content":' + content + '},'
        '"contentType":101,"sessionType":3,"isOnlineOnly":false,"notOfflinePush":false,'
        '"offlinePushInfo":null}'), SEND_MSG, sdk=False)
    assert grouped["serverMsgID"] != sent["serverMsgID"]


def test_sdk_login_sync(im_emulator_server: ServerEmulator, admin: GoClient) -> None:
    """``SyncAllJoinedGroupsAndMembersWithLock``: the joined groups' version (``full`` at first,
    so a full sync: the paged joined list, then the ids), then the member versions in one batch
    (``full``: the paged member list, then the ids); again with the versions got: nothing."""
    sdk = user(im_emulator_server, admin, "go_member")
    first = sdk.post("/group/get_incremental_join_groups",
                     '{"userID":"go_member","versionID":"","version":0}', INCREMENTAL_JOIN_GROUPS)
    assert first["full"] is True
    joined = sdk.post("/group/get_joined_group_list",
                      '{"pagination":{"pageNumber":1,"showNumber":100},"fromUserID":"go_member"}',
                      {"total": "int", "groups": [GROUP_INFO]})
    assert [g["groupID"] for g in joined["groups"]] == ["go-g"] and joined["total"] == 1
    ids = sdk.post("/group/get_full_join_group_ids", '{"idHash":0,"userID":"go_member"}',
                   FULL_JOIN_GROUP_IDS)
    assert (ids["groupIDs"], ids["equal"]) == (["go-g"], False)

    batch = sdk.post("/group/get_incremental_group_members_batch",
                     '{"userID":"go_member","reqList":[{"groupID":"go-g","versionID":"",'
                     '"version":0}]}', {"respList": ("map", INCREMENTAL_MEMBERS)})
    members_version = batch["respList"]["go-g"]
    assert members_version["full"] is True and members_version["group"]["groupID"] == "go-g"
    page = sdk.post("/group/get_group_member_list",
                    '{"pagination":{"pageNumber":1,"showNumber":100},"groupID":"go-g",'
                    '"filter":0,"keyword":""}', {"total": "int", "members": [MEMBER]})
    assert [m["userID"] for m in page["members"]] == ["go_owner", "go_member"]
    member_ids = sdk.post("/group/get_full_group_member_user_ids",
                          '{"idHash":0,"groupID":"go-g"}', FULL_MEMBER_IDS)
    assert member_ids["userIDs"] == ["go_owner", "go_member"]

    again = sdk.post("/group/get_incremental_join_groups",
                     f'{{"userID":"go_member","versionID":"{first["versionID"]}",'
                     f'"version":{first["version"]}}}', INCREMENTAL_JOIN_GROUPS)
    assert (again["full"], again["insert"], again["delete"]) == (False, None, None)
    batch = sdk.post("/group/get_incremental_group_members_batch",
                     '{"userID":"go_member","reqList":[{"groupID":"go-g","versionID":'
                     f'"{members_version["versionID"]}","version":{members_version["version"]}}}'
                     ']}', {"respList": ("map", INCREMENTAL_MEMBERS)})
    assert batch["respList"]["go-g"]["full"] is False

    # After an invitation, the same versions get the change itself (each field decodable).
    admin.post("/group/invite_user_to_group",
               '{"groupID":"go-g","invitedUserIDs":["go_third"],"reason":""}', EMPTY, sdk=False)
    changed = sdk.post("/group/get_incremental_group_members_batch",
                       '{"userID":"go_member","reqList":[{"groupID":"go-g","versionID":'
                       f'"{members_version["versionID"]}","version":{members_version["version"]}}}'
                       ']}', {"respList": ("map", INCREMENTAL_MEMBERS)})["respList"]["go-g"]
    assert (changed["full"], [m["userID"] for m in changed["insert"]]) == (False, ["go_third"])
    assert list(changed["insert"][0]) == list(MEMBER) and changed["group"]["memberCount"] == 3


def test_sdk_group_calls(im_emulator_server: ServerEmulator, admin: GoClient) -> None:
    """The SDK's group calls as the owner, then as another user, each body as the SDK's
    ``json.Marshal`` writes it: wrappers not given are ``null`` (unchanged)."""
    owner = user(im_emulator_server, admin, "go_owner")
    owner.post("/group/invite_user_to_group", '{"groupID":"go-g","reason":"hi",'
               '"invitedUserIDs":["go_third"],"sendMessage":null}', EMPTY)
    owner.post("/group/set_group_info_ex", '{"groupID":"go-g","groupName":"Renamed",'
               '"notification":null,"introduction":null,"faceURL":null,"ex":null,'
               '"needVerification":null,"lookMemberInfo":null,"applyMemberFriend":null}', EMPTY)
    owner.post("/group/set_group_member_info", '{"members":[{"groupID":"go-g","userID":'
               '"go_member","nickname":"bee","faceURL":null,"roleLevel":60,"ex":null}]}', EMPTY)
    owner.post("/group/mute_group_member",
               '{"groupID":"go-g","userID":"go_third","mutedSeconds":600}', EMPTY)
    owner.post("/group/mute_group", '{"groupID":"go-g"}', EMPTY)
    info = owner.post("/group/get_groups_info", '{"groupIDs":["go-g"]}',
                      {"groupInfos": [GROUP_INFO]})["groupInfos"][0]
    assert (info["groupName"], info["status"], info["notification"]) == ("Renamed", 3, "")
    members = owner.post("/group/get_group_members_info",
                         '{"groupID":"go-g","userIDs":["go_member","go_third"]}',
                         {"members": [MEMBER]})["members"]
    by_id = {m["userID"]: m for m in members}
    assert (by_id["go_member"]["nickname"], by_id["go_member"]["roleLevel"]) == ("bee", 60)
    assert by_id["go_third"]["muteEndTime"] > by_id["go_third"]["joinTime"]
    owner.post("/group/cancel_mute_group_member", '{"groupID":"go-g","userID":"go_third"}', EMPTY)
    owner.post("/group/cancel_mute_group", '{"groupID":"go-g"}', EMPTY)
    owner.post("/group/kick_group", '{"groupID":"go-g","kickedUserIDs":["go_third"],'
               '"reason":"bye","sendMessage":null}', EMPTY)

    third = user(im_emulator_server, admin, "go_third")
    third.post("/group/join_group", '{"groupID":"go-g","reqMessage":"hi","joinSource":3,'
               '"inviterUserID":"go_third","ex":""}', EMPTY)
    owner.post("/group/invite_user_to_group", '{"groupID":"go-g","reason":"",'
               '"invitedUserIDs":["go_third"],"sendMessage":null}', EMPTY)
    third.post("/group/quit_group", '{"groupID":"go-g","userID":"go_third"}', EMPTY)
    owner.post("/group/transfer_group", '{"groupID":"go-g","oldOwnerUserID":"go_owner",'
               '"newOwnerUserID":"go_member"}', EMPTY)
    new_owner = user(im_emulator_server, admin, "go_member")
    new_owner.post("/group/dismiss_group",
                   '{"groupID":"go-g","deleteMember":false,"sendMessage":null}', EMPTY)
    info = admin.post("/group/get_groups_info", '{"groupIDs":["go-g"]}',
                      {"groupInfos": [GROUP_INFO]})["groupInfos"][0]
    assert (info["status"], info["ownerUserID"], info["memberCount"]) == (2, "go_member", 2)


def test_sdk_create_group_and_parse_token(im_emulator_server: ServerEmulator,
                                          admin: GoClient) -> None:
    """``Group.CreateGroup`` (owner and creator the logged-in user, type 2) and ``ParseToken``."""
    sdk = user(im_emulator_server, admin, "go_third")
    created = sdk.post("/group/create_group", (
        '{"memberUserIDs":["go_member"],"groupInfo":{"groupID":"go-c","groupName":"Go",'
        '"notification":"","introduction":"","faceURL":"","ownerUserID":"","createTime":0,'
        '"memberCount":0,"ex":"","status":0,"creatorUserID":"go_third","groupType":2,'
        '"needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0,'
        '"notificationUpdateTime":0,"notificationUserID":""},"adminUserIDs":null,'
        '"ownerUserID":"go_third","sendMessage":null}'), {"groupInfo": GROUP_INFO})
    assert (created["groupInfo"]["ownerUserID"], created["groupInfo"]["memberCount"]) == (
        "go_third", 2)
    parsed = sdk.post("/auth/parse_token", json.dumps({"token": sdk.token}),
                      {"userID": "str", "platformID": "int", "expireTimeSeconds": "int"})
    assert (parsed["userID"], parsed["platformID"]) == ("go_third", 3)


def test_sdk_reads_errors_and_unserved_paths(im_emulator_server: ServerEmulator,
                                             admin: GoClient) -> None:
    """An error is the envelope without ``data`` (the SDK keeps errCode, errMsg, errDlt). A path
    the SDK calls that the emulator does not serve (``/user/get_users_info``, right after login)
    is a 404 whose gzip stream is empty, as on the real server: the SDK's gunzip succeeds and its
    ``json.Unmarshal`` of nothing fails."""
    sdk = user(im_emulator_server, admin, "go_member")
    answer = sdk.send("/group/quit_group", '{"groupID":"go-unknown","userID":"go_member"}')
    assert json.loads(gzip.decompress(answer.raw)) == {
        "errCode": 1004, "errMsg": "RecordNotFoundError", "errDlt": "record not found"}
    unserved = sdk.send("/user/get_users_info", '{"userIDs":["go_member"]}')
    assert (unserved.status, unserved.headers["content-type"],
            unserved.headers["content-encoding"]) == (404, "application/json", "gzip")
    assert gzip.decompress(unserved.raw) == b""


MSG_DATA: Schema = {
    "sendID": "str", "recvID": "str", "groupID": "str", "clientMsgID": "str", "serverMsgID": "str",
    "senderPlatformID": "int", "senderNickname": "str", "senderFaceURL": "str",
    "sessionType": "int", "msgFrom": "int", "contentType": "int", "content": "str", "seq": "int",
    "sendTime": "int", "createTime": "int", "status": "int", "isRead": "bool",
    "offlinePushInfo": {"title": "str", "desc": "str", "ex": "str", "iOSPushSound": "str",
                        "iOSBadgeCount": "bool", "signalInfo": "str"},
    "atUserIDList": ["str"], "attachedInfo": "str", "ex": "str"}

# The notification tips the SDK unmarshals from a notification's NotificationElem.detail
# (sdkws.proto; no omitempty, so the server writes every field).
GROUP_CREATED_TIPS: Schema = {
    "group": GROUP_INFO, "opUser": MEMBER, "memberList": [MEMBER], "operationTime": "int",
    "groupOwnerUser": MEMBER, "groupMemberVersion": "int", "groupMemberVersionID": "str"}
MEMBER_INVITED_TIPS: Schema = {
    "group": GROUP_INFO, "opUser": MEMBER, "invitedUserList": [MEMBER], "operationTime": "int",
    "groupMemberVersion": "int", "groupMemberVersionID": "str", "inviterUser": MEMBER}


def tips_of(message: dict[str, Any]) -> Any:
    """A notification's tips: MsgData.content is base64 of the NotificationElem JSON."""
    elem = json.loads(base64.b64decode(message["content"]))
    assert list(elem) == ["detail"]
    return json.loads(elem["detail"])


def test_server_stress_test_tool(im_emulator_server: ServerEmulator) -> None:
    """open-im-server's own backend caller, ``test/stress-test/main.go`` @ 7848d7c (protocol
    91e8d26): ``PostRequest`` marshals the struct, sets ``Content-Type``, ``operationID`` (the
    admin's user id) and ``token``; Go adds ``Accept-Encoding: gzip`` and unzips. Then a
    backend's history read, ``/msg/pull_msg_by_seq`` with ``sdkws.PullMessageBySeqsReq`` and
    ``/msg/newest_seq`` with ``sdkws.GetMaxSeqReq`` (both maps of the answer are ``omitempty``)."""
    tool = GoClient(im_emulator_server)
    tool.operation_id = "imAdmin"
    tool.token = tool.post("/auth/get_admin_token", '{"secret":"openIM123","userID":"imAdmin"}',
                           TOKEN, sdk=False)["token"]
    for user_id in ("st_owner", "st_member", "st_third"):
        tool.post("/user/user_register", (
            f'{{"users":[{{"userID":"{user_id}","nickname":"{user_id}","faceURL":"","ex":"",'
            '"createTime":0,"appMangerLevel":0,"globalRecvMsgOpt":0}]}'), EMPTY, sdk=False)
    created = tool.post("/group/create_group", (
        '{"memberUserIDs":["st_member"],"groupInfo":{"groupID":"st-g","groupName":"st-g",'
        '"notification":"","introduction":"","faceURL":"","ownerUserID":"","createTime":0,'
        '"memberCount":0,"ex":"","status":0,"creatorUserID":"","groupType":2,'
        '"needVerification":0,"lookMemberInfo":0,"applyMemberFriend":0,'
        '"notificationUpdateTime":0,"notificationUserID":""},"adminUserIDs":null,'
        '"ownerUserID":"st_owner","sendMessage":null}'), {"groupInfo": GROUP_INFO}, sdk=False)
    assert created["groupInfo"]["groupID"] == "st-g"
    tool.post("/group/invite_user_to_group", '{"groupID":"st-g","reason":"",'
              '"invitedUserIDs":["st_third"],"sendMessage":null}', EMPTY, sdk=False)
    text = "index 0. The current time is 2026-12-01 15:04:05.000"
    sent = tool.post("/msg/send_msg", (
        '{"recvID":"","sendID":"st_third","groupID":"st-g","senderNickname":"st_third",'
        '"senderFaceURL":"","senderPlatformID":0,"content":{"content":"' + text + '"},'
        '"contentType":101,"sessionType":3,"isOnlineOnly":false,"notOfflinePush":false,'
        '"sendTime":0,"offlinePushInfo":null,"ex":""}'), SEND_MSG, sdk=False)
    pulled = tool.post("/msg/pull_msg_by_seq", (
        '{"userID":"st_member","seqRanges":[{"conversationID":"sg_st-g","begin":1,"end":100,'
        '"num":100}],"order":0}'), {"msgs": ("map", {"Msgs": [MSG_DATA], "isEnd": "bool",
                                                     "endSeq": "int"})}, sdk=False)
    newest = tool.post("/msg/newest_seq", '{"userID":"st_member"}',
                       {"maxSeqs": ("map", "int")}, sdk=False)
    assert newest == {"maxSeqs": {"sg_st-g": 3}}
    created, invited, message = pulled["msgs"]["sg_st-g"]["Msgs"]
    assert [created["contentType"], invited["contentType"]] == [1501, 1509]
    assert_decodes(tips_of(created), GROUP_CREATED_TIPS, "GroupCreatedTips")
    assert_decodes(tips_of(invited), MEMBER_INVITED_TIPS, "MemberInvitedTips")
    assert list(tips_of(created)) == list(GROUP_CREATED_TIPS)
    assert list(tips_of(invited)["opUser"]) == list(MEMBER)
    assert (message["serverMsgID"], message["sendID"], message["seq"]) == (
        sent["serverMsgID"], "st_third", 3)
    assert json.loads(base64.b64decode(message["content"])) == {"content": text}


SEQS: Schema = {"seqs": ("map", {"maxSeq": "int", "hasReadSeq": "int", "maxSeqTime": "int"}),
                "pinnedConversationIDs": ["str"]}


def test_sdk_has_read_and_max_seq(im_emulator_server: ServerEmulator, admin: GoClient) -> None:
    """``api.GetConversationsHasReadAndMaxSeq`` (``/msg/get_conversations_has_read_and_max_seq``)
    as ``getHasReadAndMaxSeqsFromServer`` builds it (``internal/conversation_msg/
    server_api.go``; at 9267a25 the SDK asks the same over its WebSocket), with and without
    conversation ids: the group's max seq, the member's own read seq after they sent."""
    admin.post("/msg/send_msg", (
        '{"recvID":"","sendID":"go_member","groupID":"go-g","senderNickname":"",'
        '"senderFaceURL":"","senderPlatformID":3,"content":{"content":"hi"},'
        '"contentType":101,"sessionType":3,"isOnlineOnly":false,"notOfflinePush":false,'
        '"offlinePushInfo":null}'), SEND_MSG, sdk=False)
    sdk = user(im_emulator_server, admin, "go_member")
    given = sdk.post("/msg/get_conversations_has_read_and_max_seq",
                     '{"userID":"go_member","conversationIDs":["sg_go-g"],"returnPinned":false}',
                     SEQS)
    assert given["pinnedConversationIDs"] is None
    seqs = given["seqs"]["sg_go-g"]
    assert (seqs["maxSeq"], seqs["hasReadSeq"]) == (2, 2) and seqs["maxSeqTime"] > 0
    every = sdk.post("/msg/get_conversations_has_read_and_max_seq",
                     '{"userID":"go_member","conversationIDs":null,"returnPinned":false}', SEQS)
    assert every["seqs"] == given["seqs"]
