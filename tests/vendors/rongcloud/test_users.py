"""Users: ``/user/getToken.json`` registers or refreshes a user and answers a fresh token."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

GET_TOKEN = "/user/getToken.json"


async def test_get_token_registers_and_refreshes(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call(GET_TOKEN,
                                          "userId=rc-t&name=Tee 中&portraitUri=http://x/y.png")
    assert status == 200 and list(answer) == ["code", "userId", "token"]
    assert answer["code"] == 200 and answer["userId"] == "rc-t"
    assert answer["token"].endswith("@emulator.cn.rongnav.com;emulator.cn.rongcfg.com")
    user = await im_emulator.store.get_user("rc-t")
    assert (user.name, user.face_url) == ("Tee 中", "http://x/y.png")
    _, again = await rongcloud.call(GET_TOKEN, "userId=rc-t&name=&portraitUri=")
    assert again["token"] != answer["token"]
    user = await im_emulator.store.get_user("rc-t")
    assert (user.name, user.face_url) == ("Tee 中", "http://x/y.png")
    await rongcloud.call(GET_TOKEN, "userId=rc-t&name=Renamed")
    assert (await im_emulator.store.get_user("rc-t")).name == "Renamed"


async def test_get_token_checks(im_emulator, rongcloud) -> None:
    assert await rongcloud.call(GET_TOKEN, "name=x") == rongcloud.required("userId")
    assert await rongcloud.call(GET_TOKEN, "userId=rc-t") == rongcloud.required("name")
    assert await rongcloud.call(GET_TOKEN, f"userId=rc-t&name={'n' * 65}") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'name' must be at most 64."})
    assert await rongcloud.call(GET_TOKEN, f"userId=rc-t&name=n&portraitUri={'p' * 1025}") == \
        (400, {"code": 1005,
               "errorMessage": "Length of paramer 'portraitUri' must be at most 1024 bytes."})
    assert await im_emulator.store.get_user("rc-t") is None
