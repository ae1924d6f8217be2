"""The body cap, per vendor: a body over the limit is not read further and gets the vendor's own
answer, before any credential check, and is journaled as such.

- RongCloud: code 1508, documented (its SDKs' error list; rongcloud/server-sdk-nodejs
  docs/errorcode.md) with the limit 100 KB (102,400 bytes), below the core limit; HTTP 400, as
  for RongCloud's other request errors (its status list has no 413), with the message of the
  emulator's RongCloud error table.
- OpenIM, ZEGO, Tencent: no documented code for a request body over a limit (Tencent's 10018 is
  for answers over 1 MB); the HTTP 413 page a gateway in front of the server gives.

"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from emulator.app import create_app
from emulator.settings import Settings
from tests.hardening.live import live_server, read_response

pytestmark = pytest.mark.anyio

LIMIT = 4096
RONGCLOUD_LIMIT = 102_400
RONGCLOUD_MESSAGE = "The HTTP body is too large, it must be under 100 KB."


@dataclass(frozen=True)
class Case:
    vendor: str
    path: str
    content_type: str
    status: int
    code: int | None
    limit: int = LIMIT

    def check(self, status: int, content_type: str, body: bytes) -> None:
        assert status == self.status, body[:300]
        if self.code is None:
            assert content_type.startswith("text/html")
            assert b"413 Request Entity Too Large" in body
        else:
            assert json.loads(body) == {"code": self.code, "errorMessage": RONGCLOUD_MESSAGE}


CASES = [
    Case("tencent", "/v4/group_open_http_svc/get_joined_group_list?sdkappid=1400000000",
         "application/json", 413, None),
    Case("openim", "/group/get_joined_group_list", "application/json", 413, None),
    Case("zego", "/?Action=QueryGroupsInfoOfUser", "application/json", 413, None),
    Case("rongcloud", "/user/group/query.json", "application/x-www-form-urlencoded", 400, 1508,
         RONGCLOUD_LIMIT),
]
IDS = [case.vendor for case in CASES]


def limit_for(case: Case) -> dict[str, Any]:
    """The core limit lowered for the vendors that have none of their own; RongCloud's own
    100 KB is below the default core limit, so it is what cuts there."""
    return {"max_body_bytes": LIMIT} if case.code is None else {}


def filler(size: int, content_type: str) -> bytes:
    if content_type.startswith("application/json"):
        return b'{"x": "' + b"y" * max(0, size - 9) + b'"}'
    return b"userId=" + b"a" * max(0, size - 7)


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_a_body_over_the_limit_gets_the_vendors_answer(case: Case) -> None:
    app = create_app(Settings(**limit_for(case)))
    services = app.state.services
    await services.start()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://127.0.0.1") as client:
            over = await client.post(case.path, content=filler(case.limit + 1, case.content_type),
                                     headers={"Content-Type": case.content_type})
            case.check(over.status_code, over.headers.get("content-type", ""), over.content)
            at = await client.post(case.path, content=filler(case.limit, case.content_type),
                                   headers={"Content-Type": case.content_type})
            assert at.status_code != 413
        entry = [e for e in services.journal.entries() if e.vendor == case.vendor][0]
        assert (entry.status, entry.code) == (case.status, case.code)
        assert entry.reason == f"request body over the {case.limit}-byte limit"
    finally:
        await services.stop()


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_a_chunked_body_is_cut_while_it_is_read(case: Case) -> None:
    app = create_app(Settings(**limit_for(case)))
    services = app.state.services
    await services.start()
    pulled = 0

    async def endless():
        nonlocal pulled
        yield filler(10, case.content_type)[:-2]
        while pulled < 10_000:
            pulled += 1
            yield b"y" * 1024

    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://127.0.0.1") as client:
            response = await client.post(case.path, content=endless(),
                                         headers={"Content-Type": case.content_type})
        case.check(response.status_code, response.headers.get("content-type", ""),
                   response.content)
        assert pulled <= case.limit // 1024 + 2
    finally:
        await services.stop()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_declared_100_mb_body_is_answered_before_it_is_sent(case: Case) -> None:
    with live_server(**limit_for(case)) as live:
        conn = live.connect()
        with conn:
            conn.sendall(f"POST {case.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Content-Type: {case.content_type}\r\n"
                         f"Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode())
            status, headers, body = read_response(conn)
        case.check(status, headers.get("content-type", ""), body)
        entries = live.wait_for(lambda: live.journal(vendor=case.vendor))
        assert entries[-1]["status"] == case.status


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_chunked_body_over_the_limit_is_answered_on_a_real_socket(case: Case) -> None:
    with live_server(**limit_for(case)) as live:
        conn = live.connect()
        with conn:
            conn.sendall(f"POST {case.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Content-Type: {case.content_type}\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n".encode())
            chunk = b"y" * 8192
            sent = 0
            conn.settimeout(0.2)
            response = b""
            while sent < 50 * 1024 * 1024 and not response:
                conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                try:
                    response = conn.recv(65536, socket.MSG_PEEK)
                except TimeoutError:
                    continue
            conn.settimeout(5)
            status, headers, body = read_response(conn)
        case.check(status, headers.get("content-type", ""), body)
        assert sent < case.limit + 4 * 1024 * 1024


def test_the_vendors_keep_serving_after_a_cut_body() -> None:
    with live_server(max_body_bytes=LIMIT) as live:
        conn = live.connect()
        with conn:
            path = CASES[0].path
            conn.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         f"Content-Length: {LIMIT * 10}\r\n\r\n".encode() + b"y" * LIMIT * 10)
            assert read_response(conn)[0] == 413
            conn.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Length: 2\r\n\r\n{}".encode())
            status, _, body = read_response(conn)
        assert status == 200 and json.loads(body)["ActionStatus"] == "FAIL"
