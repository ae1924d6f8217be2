"""``im_open_login_svc/account_import``: registering and updating accounts through Tencent."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.vendors.tencent.helpers import TencentClient, OK, fail

pytestmark = pytest.mark.anyio


async def test_account_import(im_emulator: Any, tencent: TencentClient) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1700000000)
    body = {"UserID": "new-user", "Nick": "Newbie", "FaceUrl": "https://x/a.png"}
    assert await tencent.post("im_open_login_svc/account_import", body) == OK
    user = await im_emulator.store.get_user("new-user")
    assert (user.name, user.face_url, user.created_at) == ("Newbie", "https://x/a.png",
                                                           1700000000000)
    im_emulator.clock.advance(10)
    again = {"UserID": "new-user", "Nick": "Renamed"}
    assert await tencent.post("im_open_login_svc/account_import", again) == OK
    user = await im_emulator.store.get_user("new-user")
    assert (user.name, user.created_at) == ("Renamed", 1700000000000)


async def test_account_import_older_identifier_key(im_emulator: Any, tencent: TencentClient) -> None:
    body = {"Identifier": "legacy", "Nick": "Old"}
    assert await tencent.post("im_open_login_svc/account_import", body) == OK
    both = {"UserID": "winner", "Identifier": "loser"}
    assert await tencent.post("im_open_login_svc/account_import", both) == OK
    assert await im_emulator.store.get_user("winner") is not None
    assert await im_emulator.store.get_user("loser") is None


@pytest.mark.parametrize("body, code, info", [
    ({}, 70402, "invalid parameter, please check the request: Identifier is required"),
    ({"UserID": ""}, 70402, "invalid parameter, please check the request: UserID must not be "
                            "empty"),
    ({"UserID": "u" * 33}, 70402, "invalid parameter, please check the request: UserID is "
                                  "longer than 32 bytes"),
    ({"UserID": 12}, 60015, "an account field must be a string: UserID is an integer"),
    ({"UserID": "ok", "Nick": 5}, 70402, "invalid parameter, please check the request: Nick "
                                         "must be a string, not an integer"),
])
async def test_account_import_errors(im_emulator: Any, tencent: TencentClient, body: dict[str, Any], code: int,
                                     info: str) -> None:
    assert await tencent.post("im_open_login_svc/account_import", body) == fail(code, info)
