"""The group notifications open-im-server posts into ``sg_<groupID>`` after each change, each
taking a seq (internal/rpc/group/notification.go, pkg/notification/msg.go: the content
``{"detail": <tips JSON>}``, msgFrom 200; config/notification.yml: only the isSendMsg ones are
stored in the group's conversation; msgtransfer keeps them with the options offlinePush and
unreadCount). The tips are written by encoding/json with the protocol's tags, which have no
omitempty (openimsdk/protocol gen.sh): every field of each struct, zero values included, nil
messages and slices as null, in declaration order (sdkws/sdkws.pb.go)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.vendors.openim.helpers import ADMIN
from tests.vendors.openim.test_members import make_group

pytestmark = pytest.mark.anyio

PULL = "/msg/pull_msg_by_seq"
GROUP_INFO = ["groupID", "groupName", "notification", "introduction", "faceURL", "ownerUserID",
              "createTime", "memberCount", "ex", "status", "creatorUserID", "groupType",
              "needVerification", "lookMemberInfo", "applyMemberFriend",
              "notificationUpdateTime", "notificationUserID"]
MEMBER = ["groupID", "userID", "roleLevel", "joinTime", "nickname", "faceURL", "appMangerLevel",
          "joinSource", "operatorUserID", "ex", "muteEndTime", "inviterUserID"]
VERSION = ["groupMemberVersion", "groupMemberVersionID"]
# Each stored notification's tips struct (sdkws.proto), its fields in declaration order, and
# which of them are a GroupMemberFullInfo (or a list of them).
TIPS_FIELDS: dict[int, list[str]] = {
    1501: ["group", "opUser", "memberList", "operationTime", "groupOwnerUser", *VERSION],
    1504: ["group", "quitUser", "operationTime", *VERSION],
    1507: ["group", "opUser", "newGroupOwner", "oldGroupOwner", "operationTime",
           "oldGroupOwnerInfo", *VERSION],
    1508: ["group", "opUser", "kickedUserList", "operationTime", *VERSION],
    1509: ["group", "opUser", "invitedUserList", "operationTime", *VERSION, "inviterUser"],
    1510: ["group", "entrantUser", "operationTime", *VERSION],
    1511: ["group", "opUser", "operationTime"],
    1512: ["group", "opUser", "operationTime", "mutedUser", "mutedSeconds", *VERSION],
    1513: ["group", "opUser", "operationTime", "mutedUser", *VERSION],
    1514: ["group", "opUser", "operationTime", *VERSION],
    1515: ["group", "opUser", "operationTime", *VERSION],
    1519: ["opUser", "group", *VERSION],
    1520: ["opUser", "group", *VERSION],
}
MEMBER_FIELDS = {"opUser", "quitUser", "newGroupOwner", "oldGroupOwnerInfo", "entrantUser",
                 "mutedUser", "inviterUser", "groupOwnerUser"}
MEMBER_LISTS = {"memberList", "kickedUserList", "invitedUserList"}


async def admin(openim, path: str, body: dict[str, Any]) -> Any:
    answer = await openim.call(path, body, await openim.admin_token())
    assert answer["errCode"] == 0, answer
    return answer


def notices(openim, gid: str = "g-m") -> list[int]:
    """The content types of the group's log, in seq order."""
    return [m["body"]["contentType"] for m in openim.emulator.messages(group=gid)]


def tips(openim, gid: str = "g-m", index: int = -1) -> dict[str, Any]:
    """A logged notification's tips (its content's detail, decoded)."""
    body = openim.emulator.messages(group=gid)[index]["body"]
    return json.loads(body["content"]["detail"])


async def test_create_posts_seq_1_and_the_first_message_is_seq_2(openim) -> None:
    await make_group(openim)
    [created] = openim.emulator.messages(group="g-m")
    assert (created["seq"], created["kind"], created["vendor"], created["type"],
            created["sender"]) == (1, "system", "openim", "notification", ADMIN)
    body = created["body"]
    assert (body["contentType"], body["msgFrom"], body["sessionType"], body["recvID"],
            body["groupID"], body["options"]) == (
        1501, 200, 3, "g-m", "g-m", {"offlinePush": False, "unreadCount": True})
    assert body["offlinePushInfo"] == {"title": "create group title",
                                       "desc": "create group desc", "ex": "create group ext",
                                       "iOSPushSound": "", "iOSBadgeCount": False,
                                       "signalInfo": ""}
    detail = tips(openim)
    assert list(detail) == ["group", "opUser", "memberList", "operationTime", "groupOwnerUser",
                            "groupMemberVersion", "groupMemberVersionID"]
    # No omitempty: zero fields are written (status 0, an empty ex, ...).
    assert list(detail["group"]) == GROUP_INFO
    assert (detail["group"]["status"], detail["group"]["ex"]) == (0, "")
    assert detail["group"]["memberCount"] == 5
    # An app admin's opUser: fillUserByUserID's four fields and the user's nickname.
    assert detail["opUser"] == {"groupID": "g-m", "userID": ADMIN, "roleLevel": 60,
                                "joinTime": 0, "nickname": ADMIN, "faceURL": "",
                                "appMangerLevel": 2, "joinSource": 0, "operatorUserID": "",
                                "ex": "", "muteEndTime": 0, "inviterUserID": ""}
    # The admin is not in the list, so it holds every member, each with the user's nickname.
    assert [m["userID"] for m in detail["memberList"]] == ["alice", "bob", "carol", "dave"]
    assert detail["groupOwnerUser"]["userID"] == "alice"
    assert list(detail["groupOwnerUser"]) == MEMBER and detail["groupOwnerUser"]["nickname"] == ""
    sent = await openim.call("/msg/send_msg", {
        "sendID": ADMIN, "groupID": "g-m", "sessionType": 3, "contentType": 101,
        "content": {"content": "hi"}}, await openim.admin_token())
    assert sent["errCode"] == 0
    assert [m["seq"] for m in openim.emulator.messages(group="g-m")] == [1, 2]
    newest = await openim.call("/msg/newest_seq", {"userID": "carol"},
                               await openim.admin_token())
    assert newest["data"] == {"maxSeqs": {"sg_g-m": 2}}


async def test_a_notification_reads_back_in_pull_msg_by_seq(openim) -> None:
    await make_group(openim)
    answer = await openim.call(PULL, {"userID": "carol", "seqRanges": [
        {"conversationID": "sg_g-m", "begin": 1, "end": 1, "num": 1}]},
        await openim.admin_token())
    [message] = answer["data"]["msgs"]["sg_g-m"]["Msgs"]
    assert (message["seq"], message["contentType"], message["msgFrom"]) == (1, 1501, 200)
    # MsgData.Content is []byte: base64 of json.Marshal(NotificationElem{Detail: tips JSON}).
    raw = base64.b64decode(message["content"])
    stored = openim.emulator.messages(group="g-m")[0]["body"]["content"]["detail"]
    assert raw == b'{"detail":' + go_string(stored) + b"}"
    assert json.loads(json.loads(raw)["detail"])["group"]["groupID"] == "g-m"


def go_string(text: str) -> bytes:
    """A string as Go's json.Marshal writes it: UTF-8 kept, <, > and & escaped."""
    out = json.dumps(text, ensure_ascii=False).encode()
    for char, escaped in ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026")):
        out = out.replace(char, escaped)
    return out


async def test_a_notification_is_marshalled_twice_as_go_does(openim) -> None:
    """The tips JSON (HTML characters escaped, UTF-8 kept) is the detail string of the
    NotificationElem, itself marshalled: its backslashes and quotes escaped once more."""
    await make_group(openim, "g-h", groupName="a<é>&b")
    answer = await openim.call(PULL, {"userID": "carol", "seqRanges": [
        {"conversationID": "sg_g-h", "begin": 1, "end": 1, "num": 1}]},
        await openim.admin_token())
    [message] = answer["data"]["msgs"]["sg_g-h"]["Msgs"]
    raw = base64.b64decode(message["content"])
    detail = json.loads(raw)["detail"]
    assert '"groupName":"a\\u003cé\\u003e\\u0026b"' in detail
    assert raw == b'{"detail":' + go_string(detail) + b"}"
    assert json.loads(detail)["group"]["groupName"] == "a<é>&b"


async def test_create_with_an_announcement_and_without_sending(openim) -> None:
    await make_group(openim, "g-a", notification="read me")
    assert notices(openim, "g-a") == [1501, 1519]
    body = {"ownerUserID": "alice", "memberUserIDs": ["carol"], "sendMessage": False,
            "groupInfo": {"groupID": "g-hush", "groupName": "q", "groupType": 2}}
    await admin(openim, "/group/create_group", body)
    assert notices(openim, "g-hush") == []  # sendMessage false: the notification conversation


async def test_the_member_changes_are_notified(openim) -> None:
    await make_group(openim)
    await admin(openim, "/group/invite_user_to_group", {"groupID": "g-m",
                                                        "invitedUserIDs": ["erin"]})
    invited = tips(openim)
    assert [u["userID"] for u in invited["invitedUserList"]] == ["erin"]
    assert invited["inviterUser"] == invited["opUser"]
    await admin(openim, "/group/kick_group", {"groupID": "g-m", "kickedUserIDs": ["erin"]})
    assert [u["userID"] for u in tips(openim)["kickedUserList"]] == ["erin"]
    await openim.call("/group/quit_group", {"groupID": "g-m"}, await openim.user_token("dave"))
    assert tips(openim)["quitUser"]["userID"] == "dave"
    assert notices(openim) == [1501, 1509, 1508, 1504]


async def test_invite_and_kick_without_sending(openim) -> None:
    await make_group(openim)
    await admin(openim, "/group/invite_user_to_group", {
        "groupID": "g-m", "invitedUserIDs": ["erin"], "sendMessage": False})
    await admin(openim, "/group/kick_group", {
        "groupID": "g-m", "kickedUserIDs": ["erin"], "sendMessage": False})
    assert notices(openim) == [1501]


async def test_joining_directly_is_a_member_enter(openim) -> None:
    await make_group(openim, needVerification=2)
    await openim.call("/group/join_group", {"groupID": "g-m", "joinSource": 3,
                                            "inviterUserID": "erin"},
                      await openim.user_token("erin"))
    detail = tips(openim)
    assert (notices(openim), detail["entrantUser"]["userID"]) == ([1501, 1510], "erin")
    assert detail["operationTime"] > 0


async def test_info_mute_and_owner_changes_are_notified(openim) -> None:
    await make_group(openim)
    await admin(openim, "/group/set_group_info", {"groupInfoForSet": {
        "groupID": "g-m", "groupName": "New name", "notification": "hello"}})
    await admin(openim, "/group/set_group_info", {"groupInfoForSet": {
        "groupID": "g-m", "introduction": "only the introduction"}})  # 1502: not stored
    await admin(openim, "/group/mute_group", {"groupID": "g-m"})
    assert tips(openim)["group"]["status"] == 3
    await admin(openim, "/group/cancel_mute_group", {"groupID": "g-m"})
    await admin(openim, "/group/mute_group_member", {"groupID": "g-m", "userID": "carol",
                                                     "mutedSeconds": 60})
    muted = tips(openim)
    assert (muted["mutedUser"]["userID"], muted["mutedSeconds"]) == ("carol", 60)
    await admin(openim, "/group/cancel_mute_group_member", {"groupID": "g-m",
                                                            "userID": "carol"})
    await admin(openim, "/group/transfer_group", {"groupID": "g-m", "oldOwnerUserID": "alice",
                                                  "newOwnerUserID": "bob"})
    moved = tips(openim)
    assert (moved["newGroupOwner"]["roleLevel"], moved["oldGroupOwnerInfo"]["roleLevel"]) == (
        100, 20)
    await admin(openim, "/group/set_group_member_info", {"members": [
        {"groupID": "g-m", "userID": "carol", "nickname": "C"}]})  # 1516: not stored
    assert notices(openim) == [1501, 1519, 1520, 1514, 1515, 1512, 1513, 1507]
    announced = openim.emulator.messages(group="g-m")[1]["body"]
    assert announced["senderNickname"] == ADMIN  # WithRpcGetUserName


async def test_dismissal_is_notified_only_when_the_members_stay(openim) -> None:
    await make_group(openim, "g-1")
    await admin(openim, "/group/dismiss_group", {"groupID": "g-1"})
    assert notices(openim, "g-1") == [1501, 1511]
    assert tips(openim, "g-1")["group"]["status"] == 2
    await make_group(openim, "g-2")
    await admin(openim, "/group/dismiss_group", {"groupID": "g-2", "deleteMember": True})
    assert notices(openim, "g-2") == [1501]


async def test_the_notices_carry_the_sync_version(openim) -> None:
    await make_group(openim)
    await admin(openim, "/group/invite_user_to_group", {"groupID": "g-m",
                                                        "invitedUserIDs": ["erin"]})
    synced = await openim.call("/group/get_incremental_group_members", {"groupID": "g-m"},
                               await openim.admin_token())
    invited = tips(openim)
    assert (invited["groupMemberVersion"], invited["groupMemberVersionID"]) == (
        synced["data"]["version"], synced["data"]["versionID"])


def assert_every_field(content_type: int, detail: dict[str, Any]) -> None:
    """The tips hold every field of their struct in order, each nested member and group too."""
    assert list(detail) == TIPS_FIELDS[content_type], content_type
    assert list(detail["group"]) == GROUP_INFO
    for name in MEMBER_FIELDS & set(detail):
        assert detail[name] is None or list(detail[name]) == MEMBER, (content_type, name)
    for name in MEMBER_LISTS & set(detail):
        assert all(list(member) == MEMBER for member in detail[name] or []), (content_type, name)


async def test_every_notification_writes_every_field(openim) -> None:
    await make_group(openim, notification="read me")
    await make_group(openim, "g-j", needVerification=2)
    await openim.call("/group/join_group", {"groupID": "g-j", "joinSource": 3,
                                            "inviterUserID": "erin"},
                      await openim.user_token("erin"))
    for path, body in [
            ("/group/invite_user_to_group", {"groupID": "g-m", "invitedUserIDs": ["erin"]}),
            ("/group/kick_group", {"groupID": "g-m", "kickedUserIDs": ["erin"]}),
            ("/group/set_group_info", {"groupInfoForSet": {"groupID": "g-m",
                                                           "groupName": "Renamed"}}),
            ("/group/mute_group", {"groupID": "g-m"}),
            ("/group/cancel_mute_group", {"groupID": "g-m"}),
            ("/group/mute_group_member", {"groupID": "g-m", "userID": "carol",
                                          "mutedSeconds": 60}),
            ("/group/cancel_mute_group_member", {"groupID": "g-m", "userID": "carol"}),
            ("/group/transfer_group", {"groupID": "g-m", "oldOwnerUserID": "alice",
                                       "newOwnerUserID": "bob"})]:
        await admin(openim, path, body)
    await openim.call("/group/quit_group", {"groupID": "g-m"}, await openim.user_token("dave"))
    await admin(openim, "/group/dismiss_group", {"groupID": "g-m"})
    logged = [m["body"] for gid in ("g-m", "g-j") for m in openim.emulator.messages(group=gid)]
    assert sorted({body["contentType"] for body in logged}) == sorted(TIPS_FIELDS)
    for body in logged:
        detail = json.loads(body["content"]["detail"])
        assert_every_field(body["contentType"], detail)
    quit_tips = next(json.loads(b["content"]["detail"]) for b in logged
                     if b["contentType"] == 1504)
    assert (quit_tips["operationTime"], quit_tips["quitUser"]["userID"]) == (0, "dave")
