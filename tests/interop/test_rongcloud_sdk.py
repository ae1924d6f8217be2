"""RongCloud's official Python SDK (``rc-server-sdk``) against a real socket: it signs with plain
headers and seconds, and writes its form bodies unencoded from a template."""

from __future__ import annotations

import json

from rongcloud.rongcloud import RongCloud

from emulator.pytest_plugin import ServerEmulator


def client(server: ServerEmulator, secret: str = "test-app-secret") -> RongCloud:
    return RongCloud("test-app-key", secret, host_url=server.url)


def test_query_user_group(im_emulator_server: ServerEmulator) -> None:
    group = client(im_emulator_server).get_group()
    answer = group.query_user_group("li_lei")
    assert answer["code"] == 200
    assert {"name": "中文群", "id": "g-chinese"} in answer["groups"]
    assert group.query_user_group("nobody-here") == {"code": 200, "groups": []}


def test_create_join_quit_dismiss(im_emulator_server: ServerEmulator) -> None:
    rc = client(im_emulator_server)
    group = rc.get_group()
    assert group.create(["sdk-a", "sdk-b"], "sdk-group", "SDK Group 中文") == {"code": 200}
    assert group.query_user_group("sdk-a") == {"code": 200, "groups": [
        {"name": "SDK Group 中文", "id": "sdk-group"}]}
    assert group.join("sdk-c", "sdk-group", "Renamed Group") == {"code": 200}
    assert group.query("sdk-group") == {"code": 200, "users": [
        {"id": "sdk-a"}, {"id": "sdk-b"}, {"id": "sdk-c"}]}
    assert group.quit(["sdk-b"], "sdk-group") == {"code": 200}
    assert group.query_user_group("sdk-c") == {"code": 200, "groups": [
        {"name": "Renamed Group", "id": "sdk-group"}]}
    assert group.dismiss("sdk-a", "sdk-group") == {"code": 200}
    assert group.query_user_group("sdk-a") == {"code": 200, "groups": []}


def test_register_user(im_emulator_server: ServerEmulator) -> None:
    answer = client(im_emulator_server).get_user().register("sdk-user", "SDK User", "")
    assert answer["code"] == 200 and answer["userId"] == "sdk-user" and answer["token"]
    state = im_emulator_server.admin.get("/_emulator/state").json()
    assert {"sdk-user": "SDK User"}.items() <= {u["id"]: u["name"] for u in state["users"]}.items()


def test_wrong_secret(im_emulator_server: ServerEmulator) -> None:
    """The error comes back as HTTP 401, for which the SDK hands back the raw body bytes."""
    answer = client(im_emulator_server, "wrong-secret").get_group().query_user_group("alice")
    assert json.loads(answer) == {"code": 1004,
                      "errorMessage": "Signature error, please check the App Key and App Secret."}


def test_refresh_and_sync(im_emulator_server: ServerEmulator) -> None:
    group = client(im_emulator_server).get_group()
    assert group.update("g-hiking", "Hiking 中文") == {"code": 200}
    assert group.sync("sdk-s", [("g-hiking", "ignored"), ("sdk-synced", "Synced")]) == \
        {"code": 200}
    assert group.query_user_group("sdk-s") == {"code": 200, "groups": [
        {"name": "Hiking 中文", "id": "g-hiking"}, {"name": "Synced", "id": "sdk-synced"}]}


def test_gag_ban_and_whitelist(im_emulator_server: ServerEmulator) -> None:
    users = client(im_emulator_server).get_group().get_user()
    members = users.query("g-hiking")
    assert members["code"] == 200 and {"id": "alice"} in members["users"]
    gag, ban = users.get_gag(), users.get_ban()
    assert gag.add(["alice", "bob"], "g-hiking", 30) == {"code": 200}
    answer = gag.query("g-hiking")
    assert answer["code"] == 200 and [u["userId"] for u in answer["users"]] == ["alice", "bob"]
    assert gag.remove(["alice"], "g-hiking") == {"code": 200}
    assert [u["userId"] for u in gag.query("g-hiking")["users"]] == ["bob"]
    assert ban.add(["g-hiking", "g-standup"]) == {"code": 200}
    assert ban.query(["g-hiking", "g-book-club"]) == {"code": 200, "groupinfo": [
        {"groupId": "g-hiking", "stat": 1}, {"groupId": "g-book-club", "stat": 0}]}
    assert ban.remove(["g-standup"]) == {"code": 200}
    whitelist = ban.get_whitelist()
    assert whitelist.add(["carol"], "g-hiking") == {"code": 200}
    assert whitelist.query("g-hiking") == {"code": 200, "userIds": ["carol"]}
    assert whitelist.remove(["carol"], "g-hiking") == {"code": 200}
    assert whitelist.query("g-hiking") == {"code": 200, "userIds": []}


def test_group_message(im_emulator_server: ServerEmulator) -> None:
    sender = client(im_emulator_server).get_message().get_group()
    answer = sender.send("alice", "g-hiking", "RC:TxtMsg", {"content": "hi 中文 & more"},
                         push_content="hi", expansion=True)
    assert answer["code"] == 200 and answer["messageUIDs"][0]["groupId"] == "g-hiking"
    [message] = im_emulator_server.messages(group="g-hiking")
    assert message["type"] == "RC:TxtMsg" and message["sender"] == "alice"
    assert json.loads(message["body"]["content"]) == {"content": "hi 中文 & more"}
    assert message["body"]["expansion"] == "True"


def test_group_message_recall(im_emulator_server: ServerEmulator) -> None:
    """``Group.recall`` sends ``conversationType=3`` and ``sentTime``, ``isAdmin``,
    ``isDelete`` and ``extra`` unencoded; the sender's message is marked recalled, and a second
    recall (or another sender's) still answers 200."""
    sender = client(im_emulator_server).get_message().get_group()
    answer = sender.send("alice", "g-hiking", "RC:TxtMsg", {"content": "take it back"})
    uid = answer["messageUIDs"][0]["messageUID"]
    [message] = im_emulator_server.messages(group="g-hiking")
    assert sender.recall("bob", "g-hiking", uid, message["time"]) == {"code": 200}
    assert not im_emulator_server.messages(group="g-hiking")[0]["recalled"]
    assert sender.recall("alice", "g-hiking", uid, message["time"], is_admin=1, is_delete=0,
                         extra="spam 中文") == {"code": 200}
    [message] = im_emulator_server.messages(group="g-hiking")
    assert message["recalled"]
    assert sender.recall("alice", "g-hiking", uid, message["time"]) == {"code": 200}


def test_targeted_group_message(im_emulator_server: ServerEmulator) -> None:
    sender = client(im_emulator_server).get_message().get_group()
    answer = sender.send_direction("alice", "g-hiking", ["bob", "carol"], "RC:TxtMsg",
                                   {"content": "only you two"}, is_include_sender=1)
    assert answer["code"] == 200 and answer["messageUIDs"][0]["groupId"] == "g-hiking"
    [message] = im_emulator_server.messages(group="g-hiking")
    assert message["body"]["toUserId"] == ["bob", "carol"]
    assert message["body"]["isIncludeSender"] == "1"


def test_group_status_message(im_emulator_server: ServerEmulator) -> None:
    sender = client(im_emulator_server).get_message().get_group()
    answer = sender.send_status_message("alice", ["g-hiking", "g-standup"], "RC:TypSts",
                                        {"typingContentType": "RC:TxtMsg"}, verify_blacklist=1)
    assert answer == {"code": 200}
    assert im_emulator_server.messages(group="g-hiking") == []
