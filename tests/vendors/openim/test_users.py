"""``/user/user_register``: admins only, Check() then the handler's own rules, nothing written
when any user is registered already."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.openim.helpers import envelope

pytestmark = pytest.mark.anyio


async def test_user_register_then_1102(openim, im_emulator) -> None:
    token = await openim.admin_token()
    body = {"users": [{"userID": "newbie", "nickname": "New", "faceURL": "f"}]}
    response = await openim.post("/user/user_register", body, token=token)
    assert response.json() == envelope(0, "")
    user = await im_emulator.store.get_user("newbie")
    assert user is not None and user.name == "New" and user.face_url == "f"
    again = await openim.post("/user/user_register", body, token=token)
    assert again.json() == envelope(1102, "RegisteredAlreadyError", "userID registered already")


@pytest.mark.parametrize(("body", "expected"), [
    ({}, envelope(1001, "ArgsError", "users are empty")),
    ({"users": None}, envelope(1001, "ArgsError", "users are empty")),
    ({"users": []}, envelope(1001, "ArgsError", "users is empty")),
    ({"users": [None]}, envelope(1001, "ArgsError", "user is empty")),
    ({"users": [{"userID": "a:b", "nickname": "x"}]}, envelope(1001, "ArgsError",
                                                               "userID is legal")),
    ({"users": [{"userID": "ok"}]}, envelope(1001, "ArgsError", "user name is empty")),
    ({"users": [{"userID": "", "nickname": "x"}]}, envelope(1001, "ArgsError",
                                                           "userID is empty")),
    ({"users": [{"userID": "d", "nickname": "x"}, {"userID": "d", "nickname": "y"}]},
     envelope(1001, "ArgsError", "userID repeated")),
    ({"users": [{"userID": "imAdmin", "nickname": "x"}]},
     envelope(1102, "RegisteredAlreadyError", "userID registered already")),
    ({"users": [{"userID": "fresh", "nickname": "x"}, {"userID": "alice", "nickname": "y"}]},
     envelope(1102, "RegisteredAlreadyError", "userID registered already")),
])
async def test_user_register_errors(openim, im_emulator, body: dict[str, Any],
                                    expected: dict[str, Any]) -> None:
    response = await openim.post("/user/user_register", body, token=await openim.admin_token())
    assert response.json() == expected
    assert await im_emulator.store.get_user("fresh") is None


async def test_user_register_is_admin_only(openim) -> None:
    response = await openim.post("/user/user_register",
                                 {"users": [{"userID": "x1", "nickname": "X"}]},
                                 token=await openim.user_token("alice"))
    assert response.json() == envelope(1002, "NoPermissionError",
                                       "user alice is not admin userID")
