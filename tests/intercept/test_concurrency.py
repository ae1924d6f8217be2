"""Many callers at once: threads of sync clients, event loops on other threads, and a sync
client called inside an async test while that loop has a request in flight."""

from __future__ import annotations

import asyncio
import threading
import time
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
    async with intercept(rate_limits=False) as emulator:
        emulator.fault(vendor="tencent", times=1, delay_ms=200)
        async with httpx.AsyncClient(auth=TencentAuth()) as client:
            slow = asyncio.ensure_future(client.post(JOINED, json=BODY))
            await asyncio.sleep(0.05)  # the slow request now waits inside the emulator
            began = time.monotonic()
            assert requests.post(signed(), json=BODY).json()["ErrorCode"] == 0
            assert time.monotonic() - began < 0.15  # it did not wait for the slow one
            assert (await slow).json()["ErrorCode"] == 0
        assert len(emulator.journal(vendor="tencent")) == 2
