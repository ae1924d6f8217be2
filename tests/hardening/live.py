"""A real emulator server on a free loopback port, in a thread, for socket-level tests; and raw
socket helpers (the tests need half-sent heads and bodies no HTTP client would send)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from emulator.app import create_app
from emulator.server import server_config
from emulator.settings import Settings

TOKEN = "live-token"


@dataclass
class Live:
    """A running server: its address and an admin client."""

    host: str
    port: int
    server: uvicorn.Server
    admin: httpx.Client

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def connect(self) -> socket.socket:
        """A raw connection, with a timeout so that no test can hang on it."""
        return socket.create_connection((self.host, self.port), timeout=5)

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.admin.get("/_emulator/journal").json()["entries"]
        return [e for e in entries if all(e.get(k) == v for k, v in filters.items())]

    def wait_for(self, predicate: Any, timeout: float = 5.0) -> Any:
        """Poll ``predicate`` until it returns something true, within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.02)


@contextmanager
def live_server(**settings: Any) -> Iterator[Live]:
    """Serve with these settings (and an admin token) until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = Settings(port=port, admin_token=TOKEN, **settings)
    server = uvicorn.Server(server_config(create_app(config), config, log_level="warning",
                                          log_config=None, timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    # No pooled connections: a test's short head timeout would close them between requests.
    admin = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10,
                         headers={"Authorization": f"Bearer {TOKEN}"},
                         limits=httpx.Limits(max_keepalive_connections=0))
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server did not start")
            thread.join(0.01)
        yield Live("127.0.0.1", port, server, admin)
    finally:
        admin.close()
        server.should_exit = True
        thread.join(10)
        sock.close()


def read_response(conn: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with a Content-Length, read from a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body[:length]


def closed_by_peer(conn: socket.socket, within: float) -> bool:
    """True when the server closes the connection within ``within`` seconds."""
    conn.settimeout(within)
    try:
        while conn.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
