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
