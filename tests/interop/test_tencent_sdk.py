"""Real Tencent clients against a real socket: the third-party ``tencentcloud-sdk-python-im``
(which signs with the official ``tls-sig-api-v2`` and sends JSON with no Content-Type)."""

from __future__ import annotations

from typing import Any

from tencentcloud_im.tcim_client import GroupMemObj, GroupObj, TCIMClient

from emulator.pytest_plugin import ServerEmulator

OK = {"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}


def client(server: ServerEmulator, key: str = "test-secret-key") -> TCIMClient:
    return TCIMClient(1400000000, key, "administrator", tencent_url=f"{server.url}/v4")


def test_import_create_and_list(im_emulator_server: ServerEmulator) -> None:
    im = client(im_emulator_server)
    for account in ("sdk-owner", "sdk-admin", "sdk-member"):
        response = im.add_single_user(account, account.upper(), "")
        assert response.status_code == 200 and response.json() == OK
    group = GroupObj("sdk-owner", "Public", "SDK Group", introdction="made by the SDK",
                     mem_list=[GroupMemObj("sdk-admin", "Admin")], group_id="sdk-group")
    created = im.create_group(group)
    assert created.json() == {**OK, "GroupId": "sdk-group"}
    generated = im.create_group(GroupObj("sdk-owner", "Private", "Generated"))
    generated_id = generated.json()["GroupId"]
    assert generated_id.startswith("@TGS#")
    added = im.add_group_member("sdk-group", [GroupMemObj("sdk-member"), GroupMemObj("ghost")])
    assert added.json() == {**OK, "MemberList": [{"Member_Account": "sdk-member", "Result": 1},
                                                 {"Member_Account": "ghost", "Result": 0}]}
    listed = im.get_joined_groups("sdk-owner", limit_count=10)
    assert listed.json() == {**OK, "TotalCount": 2, "GroupIdList": [
        {"GroupId": "sdk-group"}, {"GroupId": generated_id}]}
    filtered = im.get_joined_groups("sdk-admin", limit_count=10, group_type="Public",
                                    baseInfoFilter=["Type", "Name", "Introduction", "MemberNum",
                                                    "MaxMemberNum", "Owner_Account"],
                                    selfInfoFilter=["Role", "MsgFlag"])
    assert filtered.json() == {**OK, "TotalCount": 1, "GroupIdList": [{
        "GroupId": "sdk-group", "Type": "Public", "Name": "SDK Group",
        "Introduction": "made by the SDK", "Owner_Account": "sdk-owner", "MemberNum": 3,
        "MaxMemberNum": 500, "SelfInfo": {"Role": "Admin", "MsgFlag": "AcceptAndNotify"}}]}
    assert im.delete_group("sdk-group").json() == OK
    assert im.get_joined_groups("sdk-owner").json()["TotalCount"] == 1


def test_paging_the_fixture(im_emulator_server: ServerEmulator) -> None:
    im = client(im_emulator_server)
    first = im.get_joined_groups("heavy", limit_count=100).json()
    second = im.get_joined_groups("heavy", limit_count=100, offset=100).json()
    total = first["TotalCount"]
    assert second["TotalCount"] == total
    everything = im.get_joined_groups("heavy").json()
    assert len(everything["GroupIdList"]) == total
    assert [row["GroupId"] for row in first["GroupIdList"] + second["GroupIdList"]] == [
        row["GroupId"] for row in everything["GroupIdList"][:200]]


def test_wrong_key_is_rejected(im_emulator_server: ServerEmulator) -> None:
    response: Any = client(im_emulator_server, key="not-the-key").get_joined_groups("alice")
    assert response.status_code == 200
    assert response.json() == {"ActionStatus": "FAIL", "ErrorCode": 70009,
                               "ErrorInfo": "UserSig verification failed: it was signed with "
                                            "another key"}
    assert "HMAC-SHA256" in response.headers["x-emulator-explain"]


def test_seeded_data_is_visible(im_emulator_server: ServerEmulator) -> None:
    im_emulator_server.seed({"users": [{"id": "seeded"}], "groups": [
        {"id": "seeded-g", "name": "S", "type": "community", "owner": "seeded"}]})
    listed = client(im_emulator_server).get_joined_groups(
        "seeded", baseInfoFilter=["Type"], selfInfoFilter=["Role"]).json()
    assert listed["GroupIdList"] == [{"GroupId": "seeded-g", "Type": "Community",
                                      "SelfInfo": {"Role": "Owner"}}]


def test_group_chapter_through_the_sdk(im_emulator_server: ServerEmulator) -> None:
    """The callers' order: create, add, delete a member, send, get info, list the app's groups,
    modify, then the member and message commands the SDK has a method for, and destroy."""
    from tencentcloud_im.tcim_client import GroupAppDefinedData, MessageText

    im = client(im_emulator_server)
    for account in ("chap-owner", "chap-a", "chap-b"):
        assert im.add_single_user(account, account, "").json() == OK
    assert im.create_group(GroupObj("chap-owner", "Public", "Chapter",
                                    group_id="chap-g")).json()["GroupId"] == "chap-g"
    assert im.add_group_member("chap-g", [GroupMemObj("chap-a"), GroupMemObj("chap-b")]).json()[
        "MemberList"] == [{"Member_Account": "chap-a", "Result": 1},
                          {"Member_Account": "chap-b", "Result": 1}]
    assert im.delete_group_mem("chap-g", ["chap-b", "nobody"]).json() == OK
    sent = im.send_group_message("chap-g", [MessageText("hello")], from_account="chap-a").json()
    assert sent["ErrorCode"] == 0 and sent["MsgSeq"] == 1
    info = im.get_group_detail(["chap-g", "no-such"], baseInfoFilter=["Name", "MemberNum"]).json()
    assert info["GroupInfo"] == [
        {"GroupId": "chap-g", "ErrorCode": 0, "ErrorInfo": "", "Name": "Chapter", "MemberNum": 2},
        {"GroupId": "no-such", "ErrorCode": 10015, "ErrorInfo": "group id not found"}]
    listed = im.get_group(limit_nm=1000, next_num=0).json()
    assert {"GroupId": "chap-g"} in listed["GroupIdList"] and listed["Next"] == 0
    assert im.update_group_baseinfo("chap-g", group_name="Renamed", shutUpFlag="On",
                                    appDefineData=[GroupAppDefinedData("k", "v")]).json() == OK
    members = im.get_group_mem_info_detail("chap-g", memInfoFilter=["Role"]).json()
    assert members["MemberList"] == [{"Member_Account": "chap-owner", "Role": "Owner"},
                                     {"Member_Account": "chap-a", "Role": "Member"}]
    assert im.update_group_mem_info("chap-g", "chap-a", role_type="Admin",
                                    namecard="A").json() == OK
    roles = im.get_mem_role_in_group("chap-g", ["chap-a", "chap-b"]).json()
    assert roles["UserIdList"] == [{"Member_Account": "chap-a", "Role": "Admin"},
                                   {"Member_Account": "chap-b", "Role": "NotMember"}]
    assert im.forbid_send_msg("chap-g", ["chap-a"], 60).json() == OK
    muted = im.get_group_shutup_list("chap-g").json()
    assert [row["Member_Account"] for row in muted["ShuttedUinList"]] == ["chap-a"]
    assert im.send_system_message_in_group("chap-g", "notice").json() == OK
    assert im.recall_group_message("chap-g", [1, 7]).json()["RecallRetList"] == [
        {"MsgSeq": 1, "RetCode": 0}, {"MsgSeq": 7, "RetCode": 10030}]
    assert im.change_group_owner("chap-g", "chap-a").json() == OK
    assert im.delete_group("chap-g").json() == OK
    gone = im.get_group_detail(["chap-g"]).json()["GroupInfo"][0]
    assert gone["ErrorCode"] == 10010


def test_history_and_page_walks_through_the_sdk(im_emulator_server: ServerEmulator) -> None:
    """``get_msg_in_group`` (group_msg_get_simple) newest first and from a seq;
    ``get_group`` (get_appid_group_list) walked with ``Next``, one page a second of the
    emulator's clock (its limit is 1/s); ``get_group_mem_info_detail`` walked with ``Offset``,
    and in a Community group with ``Next``; a mute lifted with ``ShutUpTime`` 0."""
    from tencentcloud_im.tcim_client import MessageText

    server = im_emulator_server
    server.admin.post("/_emulator/clock", json={"freeze": True}).raise_for_status()
    im = client(server)
    people = [f"walk-{i}" for i in range(6)]
    for account in people:
        assert im.add_single_user(account, account, "").json() == OK
    assert im.create_group(GroupObj(people[0], "Public", "Walk", group_id="walk-g",
                                    mem_list=[GroupMemObj(p) for p in people[1:]])).json()[
        "GroupId"] == "walk-g"
    seqs = [im.send_group_message("walk-g", [MessageText(f"m{i}")],
                                  from_account=people[1]).json()["MsgSeq"] for i in range(3)]
    newest = im.get_msg_in_group("walk-g", 2, with_recalled_msg=0).json()
    assert [m["MsgSeq"] for m in newest["RspMsgList"]] == seqs[:0:-1]
    assert newest["IsFinished"] == 0
    assert newest["RspMsgList"][0]["MsgBody"] == [{"MsgType": "TIMTextElem",
                                                   "MsgContent": {"Text": "m2"}}]
    oldest = im.get_msg_in_group("walk-g", 2, msg_seq=seqs[0]).json()
    assert [m["MsgSeq"] for m in oldest["RspMsgList"]] == seqs[:1]
    assert oldest["IsFinished"] == 1

    everything = im.get_group(limit_nm=10000).json()
    walked, cursor = [], 0
    while True:
        server.admin.post("/_emulator/clock", json={"advance": 1}).raise_for_status()
        page = im.get_group(limit_nm=50, next_num=cursor).json()
        assert page["TotalCount"] == everything["TotalCount"]
        walked += page["GroupIdList"]
        cursor = page["Next"]
        if cursor == 0:
            break
    assert walked == everything["GroupIdList"] and {"GroupId": "walk-g"} in walked

    full = im.get_group_mem_info_detail("walk-g").json()["MemberList"]
    pages = [im.get_group_mem_info_detail("walk-g", limit_count=4, offset=offset,
                                          memInfoFilter=["Role"]).json()
             for offset in (0, 4, 8)]
    assert [row for page in pages for row in page["MemberList"]] == [
        {"Member_Account": row["Member_Account"], "Role": row["Role"]} for row in full]
    assert [page["MemberNum"] for page in pages] == [6, 6, 6] and len(full) == 6
    community, cursor, seen = [], "", 0
    while seen < 10:
        page = im.get_group_mem_info_detail("g-community", limit_count=2, next=cursor).json()
        community += [row["Member_Account"] for row in page["MemberList"]]
        cursor, seen = page["Next"], seen + 1
        if not cursor:
            break
    assert len(community) == len(set(community)) == page["MemberNum"]

    assert im.forbid_send_msg("walk-g", [people[2]], 600).json() == OK
    muted = server.admin.get("/_emulator/clock").json()["now"]
    assert im.get_group_shutup_list("walk-g").json()["ShuttedUinList"] == [
        {"Member_Account": people[2], "ShuttedUntil": int(muted) + 600}]
    assert im.forbid_send_msg("walk-g", [people[2]], 0).json() == OK
    assert im.get_group_shutup_list("walk-g").json()["ShuttedUinList"] == []


def test_migration_commands_through_the_sdk(im_emulator_server: ServerEmulator) -> None:
    """``import_group_members``, ``import_message_to_group``, ``set_group_unread_msg_num``,
    ``delete_group_msg_by_sender`` and ``get_online_member_num`` on a group seeded as created
    in 2020 (the SDK has no method for import_group)."""
    from tencentcloud_im.tcim_client import GroupMessageObj, MessageText

    im_emulator_server.seed({"users": [{"id": user} for user in ("mig-o", "mig-a", "mig-b")],
                             "groups": [{"id": "mig-g", "name": "M", "type": "public",
                                         "owner": "mig-o", "createTime": 1_600_000_000_000}]})
    im = client(im_emulator_server)
    members = im.import_group_members("mig-g", [
        GroupMemObj("mig-a", "Admin", join_time=1_600_000_100),
        GroupMemObj("mig-b", join_time=1_500_000_000), GroupMemObj("mig-o")]).json()
    assert members == {**OK, "MemberList": [{"Member_Account": "mig-a", "Result": 1},
                                            {"Member_Account": "mig-b", "Result": 0},
                                            {"Member_Account": "mig-o", "Result": 2}]}
    imported = im.import_message_to_group("mig-g", 1, [
        GroupMessageObj("mig-a", 1_600_000_200, [MessageText("old")]),
        GroupMessageObj("mig-o", 1_600_000_300, [MessageText("older reply")])]).json()
    assert imported == {**OK, "ImportMsgResult": [
        {"Result": 0, "MsgTime": 1_600_000_200, "MsgSeq": 1},
        {"Result": 0, "MsgTime": 1_600_000_300, "MsgSeq": 2}]}
    assert im.set_group_unread_msg_num("mig-g", "mig-a", 1).json() == OK
    roles = im.get_group_mem_info_detail("mig-g", memInfoFilter=["Role", "JoinTime",
                                                                 "MsgSeq"]).json()
    assert roles["MemberList"][1] == {"Member_Account": "mig-a", "Role": "Admin",
                                      "JoinTime": 1_600_000_100, "MsgSeq": 1}
    assert im.delete_group_msg_by_sender("mig-g", "mig-a").json() == OK
    history = im.get_msg_in_group("mig-g", 10, with_recalled_msg=0).json()
    assert [(m["MsgSeq"], m["From_Account"], m["MsgTimeStamp"]) for m in history[
        "RspMsgList"]] == [(2, "mig-o", 1_600_000_300)]
    assert im.get_online_member_num("mig-g").json() == {**OK, "OnlineMemberNum": 0}
