"""The standard library's ``urllib.request`` intercepted at its handlers' ``http_open`` and
``https_open``: a routed host's request is answered by the emulator as ``urlopen``'s response,
a dropped one as a ``URLError``."""

from __future__ import annotations

import http.client
import io
import urllib.error
import urllib.parse
import urllib.request
import urllib.response
from typing import Any

from emulator.intercept.hooks import find, patch
from emulator.intercept.serving import Answer
from emulator.intercept.wire import read_body, with_defaults


class _Response(urllib.response.addinfourl):
    """What ``urlopen`` hands back for an intercepted request."""

    def __init__(self, answer: Answer, url: str) -> None:
        message = http.client.HTTPMessage()
        for key, value in answer.headers:
            message[key.decode("latin-1")] = value.decode("latin-1")
        super().__init__(io.BytesIO(answer.body), message, url, answer.status)
        self.msg = answer.reason
        self.reason = answer.reason


def _make(original: Any, scheme: str) -> Any:
    def open_(self: Any, req: urllib.request.Request) -> Any:
        split = urllib.parse.urlsplit(req.full_url)
        host, port = split.hostname or "", split.port
        found = find(host, port, scheme)
        if found is None:
            return original(self, req)
        interceptor, vendor = found
        headers = dict(req.unredirected_hdrs)
        headers.update(req.headers)
        data = read_body(req.data)
        raw = [(k.lower().encode("latin-1"), str(v).encode("latin-1"))
               for k, v in headers.items()]
        target = (split.path or "/") + (f"?{split.query}" if split.query else "")
        answer = interceptor.serve_sync(vendor, req.get_method(), scheme, host, port,
                                        target.encode("latin-1"),
                                        with_defaults(raw, host, port, scheme, data), data)
        if answer.dropped:
            raise urllib.error.URLError(http.client.RemoteDisconnected(
                "Remote end closed connection without response"))
        return _Response(answer, req.full_url)
    return open_


def hook() -> None:
    """Patch the http handler, and the https one where Python has ssl."""
    patch("urllib-http", urllib.request.HTTPHandler, "http_open",
          lambda original: _make(original, "http"))
    if hasattr(urllib.request, "HTTPSHandler"):
        patch("urllib-https", urllib.request.HTTPSHandler, "https_open",
              lambda original: _make(original, "https"))
