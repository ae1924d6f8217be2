"""aiohttp intercepted at ``TCPConnector._create_connection``: a routed host gets a connection
whose transport is the emulator (``SocketlessTransport``; aiohttp writes and parses the HTTP/1.1
bytes itself), with no socket and no name lookup."""

from __future__ import annotations

import asyncio
from typing import Any

from emulator.intercept.hooks import find, patch
from emulator.intercept.transport import SocketlessTransport


def hook() -> None:
    """Patch the connector (nothing when aiohttp is not installed)."""
    try:
        import aiohttp
        from aiohttp.client_proto import ResponseHandler
    except ImportError:  # pragma: no cover - aiohttp is optional
        return

    def make(original: Any) -> Any:
        async def _create_connection(self: Any, req: Any, traces: Any, timeout: Any) -> Any:
            scheme = "https" if req.is_ssl() else "http"
            found = find(req.host, req.port, scheme)
            if found is None:
                return await original(self, req, traces, timeout)
            interceptor, vendor = found
            protocol = ResponseHandler(asyncio.get_running_loop())
            protocol.connection_made(SocketlessTransport(interceptor, vendor, scheme, req.host,
                                                       req.port, protocol))
            return protocol
        return _create_connection

    patch("aiohttp", aiohttp.TCPConnector, "_create_connection", make)
