"""httpx intercepted at its transports (``HTTPTransport.handle_request`` and
``AsyncHTTPTransport.handle_async_request``): a routed host's request is answered by the
emulator, on the caller's loop for async code, a dropped one as a protocol error."""

from __future__ import annotations

from typing import Any

import httpx

from emulator.intercept.hooks import find, patch
from emulator.intercept.serving import Answer
from emulator.intercept.wire import with_defaults


def _response(answer: Answer, request: httpx.Request) -> httpx.Response:
    if answer.dropped:
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body", request=request)
    return httpx.Response(answer.status, headers=answer.headers,
                          stream=httpx.ByteStream(answer.body),
                          extensions={"http_version": b"HTTP/1.1",
                                      "reason_phrase": answer.reason.encode("ascii")},
                          request=request)


def _parts(request: httpx.Request) -> tuple[str, str, int | None, bytes,
                                            list[tuple[bytes, bytes]]]:
    url = request.url
    headers = [(k.lower(), v) for k, v in request.headers.raw]
    return url.scheme, url.host, url.port, url.raw_path, headers


def hook() -> None:
    """Patch the sync and the async transport."""
    def make_sync(original: Any) -> Any:
        def handle_request(self: Any, request: httpx.Request) -> httpx.Response:
            found = find(request.url.host, request.url.port, request.url.scheme)
            if found is None:
                return original(self, request)  # type: ignore[no-any-return]
            interceptor, vendor = found
            scheme, host, port, target, headers = _parts(request)
            body = request.read()
            answer = interceptor.serve_sync(vendor, request.method, scheme, host, port, target,
                                            with_defaults(headers, host, port, scheme, body),
                                            body)
            return _response(answer, request)
        return handle_request

    def make_async(original: Any) -> Any:
        async def handle_async_request(self: Any, request: httpx.Request) -> httpx.Response:
            found = find(request.url.host, request.url.port, request.url.scheme)
            if found is None:
                return await original(self, request)  # type: ignore[no-any-return]
            interceptor, vendor = found
            scheme, host, port, target, headers = _parts(request)
            body = await request.aread()
            answer = await interceptor.run_async(interceptor.serve(
                vendor, request.method, scheme, host, port, target,
                with_defaults(headers, host, port, scheme, body), body))
            return _response(answer, request)
        return handle_async_request

    patch("httpx", httpx.HTTPTransport, "handle_request", make_sync)
    patch("httpx-async", httpx.AsyncHTTPTransport, "handle_async_request", make_async)
