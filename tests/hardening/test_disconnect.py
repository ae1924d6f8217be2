"""A client that hangs up before its body is complete is the client's doing: journaled as a
client disconnect (no vendor code, no status), logged in one line without a traceback, and
the emulator keeps serving."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.hardening.live import live_server

pytestmark = pytest.mark.anyio

PATHS = {
    "tencent": "/v4/group_open_http_svc/get_joined_group_list",
    "openim": "/group/get_joined_group_list",
    "zego": "/",
    "rongcloud": "/user/group/query.json",
}
QUERIES = {"zego": b"Action=QueryGroupsInfoOfUser"}


async def hang_up(app: Any, vendor: str) -> list[dict[str, Any]]:
    """Send part of a body, then the disconnect, straight to the ASGI app."""
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": b'{"Member_Acc', "more_body": True},
                {"type": "http.disconnect"}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": PATHS[vendor],
             "raw_path": PATHS[vendor].encode(), "query_string": QUERIES.get(vendor, b""),
             "root_path": "", "headers": [(b"host", b"127.0.0.1"), (b"content-length", b"1000"),
                                          (b"content-type", b"application/json")],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    await app(scope, receive, send)
    return sent


@pytest.mark.parametrize("vendor", list(PATHS))
async def test_a_hang_up_mid_body_is_journaled_as_a_client_disconnect(
        im_emulator, caplog: pytest.LogCaptureFixture, vendor: str) -> None:
    caplog.set_level(logging.DEBUG)
    sent = await hang_up(im_emulator.app, vendor)
    assert sent == []
    entry = im_emulator.journal(vendor=vendor)[-1]
    assert (entry["status"], entry["code"]) == (0, None)
    assert entry["reason"] == "client disconnected after 12 body bytes"
    records = [r for r in caplog.records if r.name.startswith("emulator")]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO and records[0].exc_info is None
    assert "client disconnected" in records[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_storm_of_hang_ups_is_journaled_each_and_logged_once(
        im_emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for _ in range(50):
        await hang_up(im_emulator.app, "openim")
    assert len(im_emulator.journal(vendor="openim")) == 50
    records = [r for r in caplog.records if r.name.startswith("emulator")]
    assert len(records) == 1 and "client disconnected" in records[0].getMessage()


async def test_a_hang_up_during_an_admin_body_is_not_an_error(
        im_emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    messages = [{"type": "http.request", "body": b'{"users": [', "more_body": True},
                {"type": "http.disconnect"}]
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/_emulator/seed",
             "raw_path": b"/_emulator/seed", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1"), (b"content-length", b"100"),
                         (b"content-type", b"application/json"),
                         (b"authorization", f"Bearer {im_emulator.admin_token}".encode())],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    await im_emulator.app(scope, receive, send)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_hang_up_on_a_real_socket(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with live_server() as live:
        conn = live.connect()
        conn.sendall(f"POST {PATHS['tencent']} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Length: 1000\r\n\r\n{\"x\":".encode())
        conn.close()
        entries = live.wait_for(lambda: live.journal(vendor="tencent"))
        assert [(e["status"], e["code"], e["reason"]) for e in entries] == [
            (0, None, "client disconnected after 5 body bytes")]
        assert live.admin.get("/_emulator/health").status_code == 200
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
