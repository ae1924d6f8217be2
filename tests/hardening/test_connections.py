"""Stalled connections are closed and the open ones bounded, on real loopback sockets with
short configured timeouts: a connection that sends nothing, half a request head or half a body
is closed after its timeout while others are served; at the connection limit a new one takes the
place of the connection idle longest, or gets a quick 503 when every one is mid-request; a
repeated closing is logged once per interval."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from emulator.notices import OncePer
from tests.hardening.live import TOKEN, closed_by_peer, live_server, read_response

HEAD = 0.3
BODY = 0.5
PATH = "/v4/group_open_http_svc/get_joined_group_list"


def served(live) -> bool:
    """A new connection is served (a pooled one may have met the short head timeout)."""
    response = httpx.get(f"{live.url}/_emulator/health", timeout=5,
                         headers={"Authorization": f"Bearer {TOKEN}"})
    return response.status_code == 200


@pytest.mark.parametrize("sent", [b"", b"POST /v4/x HTTP/1.1\r\nHost: 127.0", b"G"])
def test_a_connection_without_a_complete_head_is_closed(sent: bytes) -> None:
    with live_server(head_timeout=HEAD, body_timeout=30) as live:
        conn = live.connect()
        with conn:
            conn.sendall(sent)
            began = time.monotonic()
            assert served(live)
            assert closed_by_peer(conn, within=HEAD + 3)
            assert HEAD * 0.8 <= time.monotonic() - began < HEAD + 3


def test_a_slow_head_cannot_keep_the_connection_by_trickling() -> None:
    with live_server(head_timeout=HEAD, body_timeout=30) as live:
        conn = live.connect()
        with conn:
            began = time.monotonic()
            closed = False
            for ch in b"POST /v4/x HTTP/1.1\r\nHost: x\r\n":
                try:
                    conn.sendall(bytes([ch]))
                except OSError:
                    closed = True
                    break
                if closed_by_peer(conn, within=0.05):
                    closed = True
                    break
            assert closed and time.monotonic() - began < HEAD + 3


def test_a_stalled_body_is_closed_and_journaled_as_the_servers_doing() -> None:
    with live_server(head_timeout=30, body_timeout=BODY) as live:
        conn = live.connect()
        with conn:
            conn.sendall(f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Content-Length: 100\r\n\r\n{".encode())
            assert served(live)
            assert closed_by_peer(conn, within=BODY + 3)
        entries = live.wait_for(lambda: live.journal(vendor="tencent"))
        assert [(e["status"], e["code"]) for e in entries] == [(0, None)]
        assert entries[0]["reason"] == (
            f"connection closed: request body not complete within {BODY:g} s")


def test_a_keep_alive_connection_gets_the_head_timeout_again() -> None:
    with live_server(head_timeout=HEAD, body_timeout=30) as live:
        conn = live.connect()
        with conn:
            conn.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Authorization: Bearer live-token\r\n\r\n")
            assert read_response(conn)[0] == 200
            conn.sendall(b"GET /_emulator/hea")
            assert closed_by_peer(conn, within=HEAD + 3)


def test_idle_connections_are_closed_and_others_still_served() -> None:
    with live_server(head_timeout=HEAD) as live:
        idle = [live.connect() for _ in range(50)]
        try:
            assert served(live)
            assert all(closed_by_peer(conn, within=HEAD + 3) for conn in idle)
        finally:
            for conn in idle:
                conn.close()
        assert served(live)


def test_at_the_limit_a_new_connection_takes_the_place_of_the_longest_idle_one() -> None:
    with live_server(max_connections=5, head_timeout=30) as live:
        held = [live.connect() for _ in range(5)]
        try:
            live.wait_for(lambda: len(live.server.server_state.connections) >= 5)
            assert served(live)
            assert closed_by_peer(held[0], within=3)
            assert not closed_by_peer(held[-1], within=0.1)
        finally:
            for conn in held:
                conn.close()


def test_past_the_limit_with_every_connection_mid_request_a_new_one_gets_a_quick_503() -> None:
    with live_server(max_connections=5, head_timeout=30, body_timeout=30) as live:
        held = [live.connect() for _ in range(5)]
        try:
            for conn in held:
                conn.sendall(f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Length: 100\r\n\r\n{".encode())
            live.wait_for(lambda: len(live.server.server_state.connections) >= 5)
            extra = live.connect()
            with extra:
                extra.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                began = time.monotonic()
                status, headers, body = read_response(extra)
                assert time.monotonic() - began < 2
            assert (status, headers["connection"]) == (503, "close")
            assert body == b"too many open connections; retry later"
        finally:
            for conn in held:
                conn.close()
        assert live.wait_for(lambda: served(live))


def test_the_default_limit_stays_below_the_file_limit() -> None:
    import resource

    from emulator.server import file_limit_connections

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert 0 < file_limit_connections() <= soft - 32


def test_a_repeated_event_is_logged_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="test.once")
    notices = OncePer(logging.getLogger("test.once"), interval=10)
    logged = [notices.log("k", logging.INFO, "closed a connection", now=t)
              for t in (0, 1, 2, 9.9, 10, 10.5, 25)]
    assert logged == [True, False, False, False, True, False, True]
    assert [r.getMessage() for r in caplog.records] == [
        "closed a connection",
        "closed a connection (and 3 more like it in the last 10 s)",
        "closed a connection (and 1 more like it in the last 10 s)"]


def test_many_timeouts_log_a_few_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with live_server(head_timeout=HEAD) as live:
        stalled = [live.connect() for _ in range(40)]
        try:
            assert all(closed_by_peer(conn, within=HEAD + 3) for conn in stalled)
        finally:
            for conn in stalled:
                conn.close()
    lines = [r for r in caplog.records if r.name == "emulator.server"]
    assert len(lines) in (1, 2)
    assert not [r for r in caplog.records if r.exc_info]
