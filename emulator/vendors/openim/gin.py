"""What OpenIM's gin gateway puts on the wire around a handler's answer: Go-style JSON bodies,
the CORS headers, gin's plain 404 and trailing-slash redirect, and gzip when the client asks.
"""

from __future__ import annotations

import gzip
from typing import Any

import orjson
from starlette.datastructures import Headers
from starlette.responses import Response

JSON_TYPE = "application/json"
NOT_FOUND_BODY = b"404 page not found"
CORS_HEADERS: dict[str, str] = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "*",
    "Access-Control-Allow-Headers": "*",
    "Access-Control-Expose-Headers": (
        "Content-Length, Access-Control-Allow-Origin, Access-Control-Allow-Headers,"
        "Cache-Control,Content-Language,Content-Type,Expires,Last-Modified,Pragma,FooBar"),
    "Access-Control-Max-Age": "172800",
    "Access-Control-Allow-Credentials": "false",
}
_CORS_RAW: list[tuple[bytes, bytes]] = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                                        for name, value in CORS_HEADERS.items()]
_GO_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"),
               ("\u2028".encode(), b"\\u2028"), ("\u2029".encode(), b"\\u2029"))


def go_json(content: Any) -> bytes:
    """JSON as Go's ``json.Marshal`` writes it: compact, with HTML characters escaped."""
    body = orjson.dumps(content)
    for raw, escaped in _GO_ESCAPES:
        if raw in body:
            body = body.replace(raw, escaped)
    return body


def json_answer(content: Any, status_code: int = 200) -> Response:
    """A JSON response the way gin's ``c.JSON`` sends it behind the CORS handler."""
    return Response(go_json(content), status_code=status_code, media_type=JSON_TYPE)


def not_found() -> Response:
    """gin's answer for a path (or method) with no route."""
    response = Response(NOT_FOUND_BODY, status_code=404)
    response.headers["Content-Type"] = "text/plain"
    return response


def gzip_footer_first(response: Response) -> None:
    """gin-contrib/gzip v1.0.1 closes its writer (the gzip footer) when the middlewares
    return, before gin writes its 404 text: the client gets an empty gzip stream, with the
    Content-Type the CORS handler set (application/json)."""
    response.body = b""
    response.headers["Content-Type"] = JSON_TYPE


def trailing_slash_redirect(path: str, query_string: bytes) -> Response:
    """gin's RedirectTrailingSlash for a POST: 307 to the path without the slash, no body."""
    location = path[:-1]
    if query_string:
        location += "?" + query_string.decode("latin-1")
    response = Response(b"", status_code=307)
    response.headers["Location"] = location
    return response


def add_cors(response: Response) -> None:
    """The CORS handler's headers, appended as they are encoded once (no answer built here
    carries any of them already, so there is nothing to replace)."""
    response.raw_headers.extend(_CORS_RAW)


def wants_gzip(headers: Headers) -> bool:
    """gin-contrib/gzip's test: the client accepts gzip and is not upgrading or streaming."""
    return ("gzip" in headers.get("accept-encoding", "")
            and "Upgrade" not in headers.get("connection", "")
            and "text/event-stream" not in headers.get("accept", ""))


def compress(response: Response) -> None:
    """Gzip the body in place (gin-contrib/gzip, default level)."""
    body = gzip.compress(bytes(response.body), compresslevel=6, mtime=0)
    response.body = body
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Content-Length"] = str(len(body))
