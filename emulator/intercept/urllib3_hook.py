"""urllib3 (and so requests) intercepted at ``HTTPConnectionPool.urlopen``: a routed host's
request is answered by the emulator as an ``HTTPResponse``, a dropped one as a lost connection."""

from __future__ import annotations

import http.client
import io
import urllib.parse
from typing import Any

from emulator.intercept.hooks import find, patch
from emulator.intercept.wire import read_body, with_defaults


def hook() -> None:
    """Patch ``HTTPConnectionPool.urlopen`` (nothing when urllib3 is not installed)."""
    try:
        import urllib3
        from urllib3.connectionpool import HTTPConnectionPool
        from urllib3.exceptions import ProtocolError
    except ImportError:  # pragma: no cover - requests and urllib3 are optional
        return

    def make(original: Any) -> Any:
        def urlopen(self: Any, method: str, url: str, body: Any = None, headers: Any = None,
                    *args: Any, **kwargs: Any) -> Any:
            scheme, host, port, target = self.scheme, self.host, self.port, url
            if url.startswith(("http://", "https://")):
                split = urllib.parse.urlsplit(url)
                scheme, host, port = split.scheme, split.hostname or "", split.port
                target = (split.path or "/") + (f"?{split.query}" if split.query else "")
            found = find(host, port, scheme)
            if found is None:
                return original(self, method, url, body, headers, *args, **kwargs)
            interceptor, vendor = found
            data = read_body(body)
            raw = [(str(k).lower().encode("latin-1"), str(v).encode("latin-1"))
                   for k, v in (headers or {}).items()]
            answer = interceptor.serve_sync(vendor, method, scheme, host, port,
                                            target.encode("latin-1"),
                                            with_defaults(raw, host, port, scheme, data), data)
            if answer.dropped:
                raise ProtocolError("Connection aborted.", http.client.RemoteDisconnected(
                    "Remote end closed connection without response"))
            return urllib3.HTTPResponse(
                body=io.BytesIO(answer.body),
                headers=urllib3.HTTPHeaderDict(
                    [(k.decode("latin-1"), v.decode("latin-1")) for k, v in answer.headers]),
                status=answer.status, reason=answer.reason, version=11,
                version_string="HTTP/1.1",
                preload_content=kwargs.get("preload_content", True),
                decode_content=kwargs.get("decode_content", True),
                request_method=method, request_url=url, pool=self,
                enforce_content_length=False)
        return urlopen

    patch("urllib3", HTTPConnectionPool, "urlopen", make)
