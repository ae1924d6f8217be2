"""One intercepted request answered by the app, as the ASGI call a server would make: a vendor
host's request by that vendor's pipeline alone, the in-process host's by the whole app."""

from __future__ import annotations

import asyncio
import http.client
import urllib.parse
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette

from emulator.app import ADMIN_PREFIX, VERSION_HEADER, Dispatch
from emulator.intercept.routing import DEFAULT_PORTS
from emulator.pipeline import DROP_HEADER, VendorPipeline


@dataclass(frozen=True)
class Answer:
    """What the emulator answered one request."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    dropped: bool

    @property
    def reason(self) -> str:
        return http.client.responses.get(self.status, "")


class Server:
    """An app and its vendors' pipelines (found in the app's middleware stack, built here)."""

    def __init__(self, app: Starlette) -> None:
        stack = app.build_middleware_stack()
        app.middleware_stack = stack
        node: Any = stack
        while not isinstance(node, Dispatch):
            node = node.app
        self.app = app
        self.pipelines: dict[str, VendorPipeline] = dict(node.pipelines)

    async def serve(self, vendor: str, method: str, scheme: str, host: str, port: int | None,
                    target: bytes, headers: list[tuple[bytes, bytes]], body: bytes, *,
                    admin_token: str) -> Answer:
        """One request: the vendor's pipeline (the whole app for ``vendor`` ``""``, the
        in-process host, whose admin paths get ``admin_token`` unless the request has its
        own authorization)."""
        path_bytes, _, query = target.partition(b"?")
        if path_bytes.startswith((b"http://", b"https://")):  # absolute form, through a proxy
            split = urllib.parse.urlsplit(path_bytes.decode("latin-1"))
            path_bytes = (split.path or "/").encode("latin-1")
        path = urllib.parse.unquote(path_bytes.decode("latin-1")) or "/"
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": method.upper(), "scheme": scheme, "path": path,
            "raw_path": path_bytes or b"/", "query_string": query, "root_path": "",
            "headers": headers, "client": ("127.0.0.1", 50000),
            "server": (host, port or DEFAULT_PORTS.get(scheme, 80)), "extensions": {},
            "state": {},
        }
        done = asyncio.Event()
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        status = 500
        out_headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        dropped = False

        async def send(message: dict[str, Any]) -> None:
            nonlocal status, out_headers, dropped
            if message["type"] == "http.response.start":
                status = message["status"]
                out_headers = [(bytes(k).lower(), bytes(v)) for k, v in message.get("headers", [])]
                dropped = DROP_HEADER in out_headers
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    done.set()

        if vendor:
            await self.pipelines[vendor](scope, receive, send)
        else:
            if admin_token and path.startswith(ADMIN_PREFIX) and not any(
                    k.lower() == b"authorization" for k, _ in headers):
                scope["headers"] = [*headers,
                                    (b"authorization", f"Bearer {admin_token}".encode())]
            await self.app(scope, receive, send)
        done.set()
        if vendor:  # the whole app stamps its own answers
            out_headers.append(VERSION_HEADER)
        return Answer(status, out_headers, b"".join(chunks), dropped)
