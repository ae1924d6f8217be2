"""Action=UserRegister: up to 100 users a call, each failure reported in ErrorList with its
SubCode, Code 0 when any user was registered, else the first SubCode."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.anyio


async def test_register_users_then_query_them(im_emulator, zego) -> None:
    data = await zego.call("UserRegister", {"UserInfo": [
        {"UserId": "aaa", "UserName": "userNamea", "UserAvatar": "http"},
        {"UserId": "bbb", "UserName": "userNameb", "UserAvatar": "http"}]})
    assert zego.without_id(data) == {"Code": 0, "Message": "success", "ErrorList": []}
    user = await im_emulator.store.get_user("aaa")
    assert (user.name, user.face_url) == ("userNamea", "http")
    empty = await zego.query("bbb", 10)
    assert (empty["Code"], empty["HasJoinGroupNum"], empty["GroupInfoList"],
            empty["NextRsp"]) == (0, 0, [], "0")


async def test_register_reports_bad_users_in_error_list(im_emulator, zego) -> None:
    data = await zego.call("UserRegister", {"UserInfo": [
        {"UserId": "ok-user"},
        {"UserId": "x" * 33},
        {"UserId": ""},
        {"UserId": "has/slash"},
        {"UserId": "long-name", "UserName": "n" * 65},
        {"UserId": 12}]})
    assert data["Code"] == 0
    assert data["ErrorList"] == [
        {"UserId": "x" * 33, "SubCode": 660000012, "SubMessage": "UserId exceeds 32 bytes"},
        {"UserId": "", "SubCode": 660000002, "SubMessage": "UserId is empty"},
        {"UserId": "has/slash", "SubCode": 660000002,
         "SubMessage": "UserId holds a character ZEGO does not allow"},
        {"UserId": "long-name", "SubCode": 660000002, "SubMessage": "UserName exceeds 64 bytes"},
        {"UserId": "", "SubCode": 660000002, "SubMessage": "UserId must be a string"}]
    assert await im_emulator.store.existing_users(["ok-user", "long-name"]) == {"ok-user"}


async def test_register_with_every_user_failing_answers_the_first_sub_code(im_emulator,
                                                                           zego) -> None:
    data = await zego.call("UserRegister", {"UserInfo": [{"UserId": "y" * 40}]})
    assert (data["Code"], data["Message"]) == (660000012, "UserID exceeds the length limit.")
    assert len(data["ErrorList"]) == 1
    entries = (await im_emulator.client.get("/_emulator/journal")).json()["entries"]
    assert entries[-1]["code"] == 660000012


async def test_register_again_replaces_name_and_avatar(im_emulator, zego) -> None:
    before = await im_emulator.store.get_user("alice")
    data = await zego.call("UserRegister", {"UserInfo": [
        {"UserId": "alice", "UserName": "Alice Two", "UserAvatar": "https://a/2.png"}]})
    assert data["Code"] == 0
    after = await im_emulator.store.get_user("alice")
    assert (after.name, after.face_url) == ("Alice Two", "https://a/2.png")
    assert (after.ex, after.created_at) == (before.ex, before.created_at)


@pytest.mark.parametrize("body", [{}, {"UserInfo": []}, {"UserInfo": "aaa"},
                                  {"UserInfo": ["aaa"]},
                                  {"UserInfo": [{"UserId": f"u{i}"} for i in range(101)]}])
async def test_register_parameter_errors(zego, body: dict[str, Any]) -> None:
    data = await zego.call("UserRegister", body)
    assert data["Code"] == 660000002


async def test_register_one_hundred_users(im_emulator, zego) -> None:
    data = await zego.call("UserRegister",
                           {"UserInfo": [{"UserId": f"batch-{i:03d}"} for i in range(100)]})
    assert (data["Code"], data["ErrorList"]) == (0, [])
    assert len(await im_emulator.store.existing_users(f"batch-{i:03d}" for i in range(100))) == 100
