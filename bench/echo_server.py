"""Serve the baseline echo app like the emulator's CLI does: same uvicorn config (no access log,
lifespan on, default loop and HTTP implementation), a socket bound first, and the same start line.

``python -m bench.echo_server [--port N]``
"""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence

import uvicorn

from bench.echo_app import app


class _Server(uvicorn.Server):
    """Prints ``listening on http://HOST:PORT`` once the socket serves."""

    def __init__(self, config: uvicorn.Config, sock: socket.socket) -> None:
        super().__init__(config)
        self._sock = sock

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        host, port = self._sock.getsockname()[:2]
        sys.stdout.write(f"echo listening on http://{host}:{port}\n")
        sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGTERM."""
    parser = argparse.ArgumentParser(description="baseline echo server")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    # proto=IPPROTO_TCP: asyncio only sets TCP_NODELAY on sockets that say they are TCP.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    _Server(config, sock).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
