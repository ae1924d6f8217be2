"""The handle ``intercept()`` yields: the ``im_emulator`` handle, its coroutines run on the
emulator's own loop from any loop, with ``.sync`` forms; faults reach every client; the
``im_emulator_intercept`` fixture and its markers."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
import requests

from emulator import intercept
from emulator.intercept import InterceptedEmulator
from emulator.pytest_plugin import InProcessEmulator
from emulator.signing import TencentAuth
from emulator.store import FixtureError

JOINED = "https://console.tim.qq.com/v4/group_open_http_svc/get_joined_group_list"
SEED = {"users": [{"id": "quinn"}],
        "groups": [{"id": "g1", "name": "G", "type": "public", "owner": "quinn"}]}


def joined(user: str = "quinn") -> Any:
    return httpx.post(JOINED, json={"Member_Account": user}, auth=TencentAuth()).json()


def signed(url: str = JOINED) -> str:
    """The URL with Tencent's query (sdkappid, identifier, usersig, ...), for other clients."""
    return str(next(TencentAuth().auth_flow(httpx.Request("POST", url))).url)


def test_the_sync_forms() -> None:
    with intercept() as emulator:
        assert isinstance(emulator, InProcessEmulator)
        emulator.sync.seed(SEED)
        assert joined()["GroupIdList"] == [{"GroupId": "g1"}]
        emulator.clock.freeze()
        emulator.clock.advance(5)
        emulator.assert_called("tencent", "group_open_http_svc/get_joined_group_list", times=1)
        emulator.sync.run(emulator.store.append_message(
            "g1", sender="quinn", vendor="tencent", type="text", body={"text": "hi"},
            now_ms=emulator.clock.now_ms()))
        assert emulator.messages(group="g1")[0]["body"] == {"text": "hi"}
        assert emulator.sync.wait_for_message(group="g1", timeout=1)["seq"] == 1
        emulator.sync.reset()
        assert joined()["GroupIdList"] == [] and len(emulator.journal()) == 1
        with pytest.raises(FixtureError):
            emulator.sync.seed({"users": [{"nope": 1}]})


@pytest.mark.anyio
async def test_the_async_forms_from_the_tests_own_loop() -> None:
    async with intercept() as emulator:
        await emulator.seed(SEED)
        async with httpx.AsyncClient(auth=TencentAuth()) as client:
            answer = await client.post(JOINED, json={"Member_Account": "quinn"})
        assert answer.json()["TotalCount"] == 1
        state = (await emulator.client.get("/_emulator/state")).json()  # the admin token too
        assert "quinn" in {user["id"] for user in state["users"]}
        assert joined()["TotalCount"] == 1  # a sync client inside an async test
        await emulator.reset()
        assert (await emulator.wait_for_message(group=None, timeout=0.01)
                if emulator.messages() else None) is None


@pytest.mark.anyio
async def test_the_async_decorator() -> None:
    @intercept(rate_limits=False)
    async def job(im_emulator: InterceptedEmulator) -> bool:
        return im_emulator.settings.rate_limits

    assert await job() is False


def test_an_injected_error_and_a_dropped_connection_reach_each_client() -> None:
    with intercept() as emulator:
        emulator.fault(vendor="tencent", times=1, error={"code": 10002})
        assert joined()["ErrorCode"] == 10002
        assert joined()["ErrorCode"] == 0
        emulator.fault(vendor="tencent", times=5, drop=True)
        with pytest.raises(httpx.RemoteProtocolError):
            joined()
        with pytest.raises(requests.ConnectionError):
            requests.post(signed(), json={})
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(urllib.request.Request(signed(), data=b"{}"))

        async def both() -> None:
            async with httpx.AsyncClient() as client:
                with pytest.raises(httpx.RemoteProtocolError):
                    await client.post(signed(), json={})
            async with aiohttp.ClientSession() as session:
                with pytest.raises(aiohttp.ClientError):
                    async with session.post(signed(), json={}) as response:
                        await response.read()

        asyncio.run(both())
        assert [entry["reason"] for entry in emulator.journal()] == [
            "fault rule 1: error 10002", "", *["fault rule 2: drop"] * 5]


def test_a_gzip_answer_is_decoded_by_requests_and_httpx() -> None:
    with intercept(hosts={"openim": ["openim.test"]}) as emulator:
        body = json.dumps({"secret": "openIM123", "userID": "imAdmin"})
        headers = {"operationID": "op", "Accept-Encoding": "gzip"}
        via_requests = requests.post("http://openim.test/auth/get_admin_token", data=body,
                                     headers=headers)
        via_httpx = httpx.post("http://openim.test/auth/get_admin_token", content=body,
                               headers=headers)
        assert via_requests.json()["errCode"] == 0 == via_httpx.json()["errCode"]
        assert len(emulator.journal(vendor="openim")) == 2


def test_settings_or_overrides_not_both() -> None:
    from emulator.settings import Settings
    with pytest.raises(TypeError):
        intercept(settings=Settings(), rate_limits=False).start()


def test_the_fixture(im_emulator_intercept: InterceptedEmulator) -> None:
    im_emulator_intercept.sync.seed(SEED)
    assert joined()["TotalCount"] == 1
    assert im_emulator_intercept.admin_token


@pytest.mark.im_emulator_settings(rate_limits=False, tencent_admin="administrator,ops")
@pytest.mark.im_emulator_intercept(hosts={"openim": ["openim.marked"], "zego": ["zego.proxy"]})
def test_the_fixtures_markers(im_emulator_intercept: InterceptedEmulator) -> None:
    assert im_emulator_intercept.settings.rate_limits is False
    assert "openim.marked" in im_emulator_intercept.hosts["openim"]
    assert requests.get("https://zego.proxy/").json()["Code"] == 100000006
    assert requests.post("http://openim.marked/x").json()["errCode"] == 1001


FIXTURE = Path(__file__).parent / "one-group.json"


@pytest.mark.im_emulator_fixtures("one-group.json")
def test_the_fixture_file_marker(im_emulator_intercept: InterceptedEmulator) -> None:
    assert FIXTURE.exists()
    assert joined("fx-owner")["GroupIdList"] == [{"GroupId": "fx-g"}]
    assert joined("alice")["GroupIdList"] == []  # not the bundled fixture


def test_a_broken_fixture_file_fails_and_leaves_nothing_running(tmp_path: Path) -> None:
    import threading
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    before = set(threading.enumerate())
    with pytest.raises(Exception):
        intercept(fixtures=broken).start()
    started = [thread for thread in threading.enumerate() if thread not in before]
    for thread in started:
        thread.join(timeout=5)
    assert not [thread for thread in started if thread.is_alive()]
    import emulator.intercept as hooks
    assert hooks._active == []  # no hook was installed
    with intercept():  # and the next one starts cleanly
        assert joined()["ErrorCode"] == 0
