"""The parts of a request that the patched clients hand over in their own shapes, made plain:
the body as bytes, and the Host and Content-Length headers a client adds on the wire."""

from __future__ import annotations

from typing import Any

from emulator.intercept.routing import DEFAULT_PORTS


def host_header(host: str, port: int | None, scheme: str) -> bytes:
    """The Host header for a host and port (the port left out when it is the scheme's)."""
    shown = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        shown = f"{shown}:{port}"
    return shown.encode("idna")


def with_defaults(headers: list[tuple[bytes, bytes]], host: str, port: int | None,
                  scheme: str, body: bytes) -> list[tuple[bytes, bytes]]:
    """``headers`` with Host and Content-Length added where the client left them out."""
    names = {k for k, _ in headers}
    if b"host" not in names:
        headers.insert(0, (b"host", host_header(host, port, scheme)))
    if body and b"content-length" not in names and b"transfer-encoding" not in names:
        headers.append((b"content-length", str(len(body)).encode()))
    return headers


def read_body(body: Any) -> bytes:
    """A request body (None, bytes-like, str, a file or an iterable of chunks) as bytes."""
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        data = body.read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
                    for chunk in body)
