"""Many callers at once: threads of sync clients, event loops on other threads, and a sync
client called inside an async test while that loop has a request in flight."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import requests

from emulator import intercept
from emulator.signing import TencentAuth

JOINED = "https://console.tim.qq.com/v4/group_open_http_svc/get_joined_group_list"
BODY = {"Member_Account": "alice"}


def signed() -> str:
    return str(next(TencentAuth().auth_flow(httpx.Request("POST", JOINED))).url)


def test_threads_of_sync_clients() -> None:
    with intercept(rate_limits=False) as emulator:
        url = signed()

        def call(_: int) -> int:
            return int(requests.post(url, json=BODY).json()["ErrorCode"])

        with ThreadPoolExecutor(6) as pool:
            assert set(pool.map(call, range(60))) == {0}
        assert len(emulator.journal(vendor="tencent")) == 60


def test_loops_on_several_threads() -> None:
    with intercept(rate_limits=False) as emulator:
        codes: list[int] = []

        async def burst() -> None:
            async with httpx.AsyncClient(auth=TencentAuth()) as client:
                answers = await asyncio.gather(*(client.post(JOINED, json=BODY)
                                                 for _ in range(15)))
            codes.extend(answer.json()["ErrorCode"] for answer in answers)

        threads = [threading.Thread(target=asyncio.run, args=(burst(),)) for _ in range(3)]
        for thread in threads:
            thread.start()
        burst_here = asyncio.run(burst())
        for thread in threads:
            thread.join(30)
        assert burst_here is None and codes == [0] * 60
        assert len(emulator.journal(vendor="tencent")) == 60


@pytest.mark.anyio
async def test_a_sync_client_while_this_loop_has_a_request_in_flight() -> None:
    """A sync call made while this loop's request is held inside the emulator is answered
    first: it does not wait for the held one (the journal lists calls as they are answered)."""
    async with intercept(rate_limits=False) as emulator:
        rule = emulator.fault(vendor="tencent", user="alice", times=1, delay_ms=300)

        async def held() -> None:
            while not any(found.id == rule["id"] and found.fired
                          for found in emulator.services.faults.rules()):
                await asyncio.sleep(0.001)

        async with httpx.AsyncClient(auth=TencentAuth()) as client:
            slow = asyncio.ensure_future(client.post(JOINED, json=BODY))
            await asyncio.wait_for(held(), 10)  # the request is now held inside the emulator
            other = requests.post(signed(), json={"Member_Account": "bob"})
            assert other.json()["ErrorCode"] == 0
            assert (await slow).json()["ErrorCode"] == 0
        assert [entry["user"] for entry in emulator.journal(vendor="tencent")] == ["bob", "alice"]
