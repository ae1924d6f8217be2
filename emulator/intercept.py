"""``intercept()``: route the vendors' real API hosts to an in-process emulator, with no socket.

Some official SDKs cannot be given a base URL (one writes its vendor's host into its URL
builder; others default to the real hosts). Inside ``with intercept() as emulator:`` (or under
``@intercept()``), every request that one of the covered HTTP clients sends to a vendor host,
over ``http`` or ``https``, is answered by a fresh emulator running in this process; a request
to any other host goes out untouched.

The covered clients, each hooked where it hands a request to the network:

- urllib3 (and so requests): ``HTTPConnectionPool.urlopen``;
- httpx, sync and async: ``HTTPTransport.handle_request``, ``AsyncHTTPTransport.handle_async_request``;
- aiohttp: ``TCPConnector._create_connection`` hands back a connection whose transport is the
  emulator (aiohttp writes and parses the HTTP/1.1 bytes itself, h11 reads them on our side);
- the standard library's ``urllib.request``: the ``http_open`` and ``https_open`` of its
  handlers.

A vendor host is answered by that vendor's pipeline alone: an unknown path there gets that
vendor's own error, never another vendor's answer and never a real network call. The default
hosts are each registered vendor's documented ones (``Vendor.hosts``, with their sources in
the vendor's registration; ``DEFAULT_HOSTS``); ``hosts={vendor: [...]}`` adds hosts (a
self-hosted vendor has none until the caller names them), ``replace=True`` keeps only those
given, and a host given with a port matches only that port.

Async callers run the emulator on their own loop (no thread hop); sync callers share the
emulator's loop on a background thread; one loop serves at a time. The handle is the
``im_emulator`` fixture's (``InProcessEmulator``: ``seed``, ``store``, ``clock``, ``journal``,
``messages``, ``fault``, ``reset``, ``.client``) with ``.sync`` for code that is not async:
``emulator.sync.seed(...)``, ``.sync.reset()``, ``.sync.wait_for_message(...)``,
``.sync.run(coroutine)``.
"""

from __future__ import annotations

import asyncio
import functools
import http.client
import inspect
import io
import secrets
import sys
import threading
import types
import urllib.parse
import urllib.request
import urllib.response
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

import httpx

from emulator import registry
from emulator.app import VERSION_HEADER, Dispatch, create_app
from emulator.pipeline import DROP_HEADER
from emulator.pytest_plugin import InProcessEmulator, MessagePredicate
from emulator.settings import Settings

T = TypeVar("T")

def _default_hosts() -> dict[str, tuple[str, ...]]:
    """Each registered vendor's documented API hosts (``Vendor.hosts``)."""
    return {vendor.name: tuple(vendor.hosts) for vendor in registry.vendors()}


DEFAULT_HOSTS: Mapping[str, tuple[str, ...]] = _default_hosts()
# The handle's own client (``emulator.client``) reaches the whole app, admin API included.
IN_PROCESS_HOST = "im-emulator.test"
DEFAULT_PORTS = {"http": 80, "https": 443}


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


def _split_host(entry: str) -> tuple[str, int | None]:
    entry = entry.strip().lower()
    if "://" in entry:
        entry = urllib.parse.urlsplit(entry).netloc
    if entry.startswith("["):
        name, _, rest = entry[1:].partition("]")
        return name, int(rest[1:]) if rest.startswith(":") else None
    if entry.count(":") == 1:
        name, port = entry.split(":")
        return name, int(port)
    return entry.rstrip("."), None


class Interceptor:
    """One running in-process emulator and the hosts routed to it (see the module doc)."""

    def __init__(self, *, hosts: Mapping[str, Iterable[str]] | None = None,
                 replace: bool = False, settings: Settings | None = None,
                 **overrides: Any) -> None:
        defaults = _default_hosts() if set(DEFAULT_HOSTS) != set(registry.names()) else (
            DEFAULT_HOSTS)
        routes: dict[str, set[str]] = {name: set() if replace else set(listed)
                                       for name, listed in defaults.items()}
        for vendor, names in (hosts or {}).items():
            if vendor not in routes:
                raise ValueError(f"unknown vendor {vendor!r}; the vendors are {sorted(routes)}")
            if isinstance(names, str):
                names = [names]
            routes[vendor].update(names)
        self.hosts: dict[str, tuple[str, ...]] = {v: tuple(sorted(n)) for v, n in routes.items()}
        self._any_port: dict[str, str] = {}
        self._with_port: dict[tuple[str, int], str] = {}
        for vendor, names in self.hosts.items():
            for entry in names:
                name, port = _split_host(entry)
                if port is None:
                    self._any_port[name] = vendor
                else:
                    self._with_port[(name, port)] = vendor
        self._settings = settings
        self._overrides = overrides
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pipelines: dict[str, Any] = {}
        self._gate = threading.Lock()
        self._owner: asyncio.AbstractEventLoop | None = None
        self._last_owner: asyncio.AbstractEventLoop | None = None
        self._inflight = 0
        self._waiting: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self.emulator: InterceptedEmulator | None = None
        self.app: Any = None

    # -- routing -------------------------------------------------------------------------

    def vendor_for(self, host: str | None, port: int | None, scheme: str) -> str | None:
        """The vendor whose host this is (``""`` for the in-process host), else None."""
        if not host:
            return None
        name = host.lower().rstrip(".")
        if name.startswith("[") and name.endswith("]"):
            name = name[1:-1]
        if name == IN_PROCESS_HOST:
            return ""
        if self._with_port:
            found = self._with_port.get((name, port or DEFAULT_PORTS.get(scheme, 80)))
            if found is not None:
                return found
        return self._any_port.get(name)

    # -- life ----------------------------------------------------------------------------

    def start(self) -> InterceptedEmulator:
        """Start the emulator on its own loop and install the hooks; returns the handle."""
        if self.emulator is not None:
            raise RuntimeError("this intercept() is already running")
        settings = self._settings
        if settings is None:
            overrides = dict(self._overrides)
            overrides.setdefault("admin_token", secrets.token_urlsafe(16))
            settings = Settings(**overrides)
        elif self._overrides:
            raise TypeError("give settings= or setting overrides, not both")
        app = create_app(settings)
        services = app.state.services
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        thread = threading.Thread(target=run, name="im-emulator-intercept", daemon=True)
        thread.start()
        ready.wait()
        self._loop, self._thread = loop, thread
        try:
            asyncio.run_coroutine_threadsafe(services.start(), loop).result()
        except BaseException:
            try:  # what start opened before it failed (as the im_emulator fixture does)
                asyncio.run_coroutine_threadsafe(services.stop(), loop).result()
            finally:
                self._stop_loop()
            raise
        self.app = app
        stack = app.build_middleware_stack()
        app.middleware_stack = stack
        node = stack
        while not isinstance(node, Dispatch):
            node = node.app
        self._pipelines = dict(node.pipelines)
        self.emulator = InterceptedEmulator(app, services, self)
        _install(self)
        return self.emulator

    def stop(self) -> None:
        """Remove the hooks, close what the emulator opened and end its loop."""
        if self.emulator is None:
            return
        emulator, self.emulator = self.emulator, None
        _uninstall(self)
        try:
            for transport in list(_AiohttpTransport.live):
                if transport.owner is self:
                    transport.abort()
            self.run(emulator.client.aclose())
            self.run(emulator.services.stop())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(10)
        if loop is not None:
            loop.close()

    def __enter__(self) -> InterceptedEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> InterceptedEmulator:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await asyncio.to_thread(self.stop)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """As a decorator: the function runs inside a fresh ``intercept()``, and gets the
        handle as its ``im_emulator`` keyword when it has a parameter of that name."""
        wants = "im_emulator" in inspect.signature(func).parameters
        factory = self._copy

        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                async with factory() as emulator:
                    if wants:
                        kwargs["im_emulator"] = emulator
                    return await func(*args, **kwargs)
            return _hide(async_wrapper, wants)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with factory() as emulator:
                if wants:
                    kwargs["im_emulator"] = emulator
                return func(*args, **kwargs)
        return _hide(wrapper, wants)

    def _copy(self) -> Interceptor:
        copy = Interceptor(settings=self._settings, **self._overrides)
        copy.hosts = self.hosts
        copy._any_port, copy._with_port = self._any_port, self._with_port
        return copy

    # -- serving -------------------------------------------------------------------------

    # One loop at a time serves requests: the loop of an async caller runs them itself (no
    # thread hop), sync callers share the emulator's own loop; a caller on another loop waits
    # until the one serving is idle. Requests of one loop interleave as on a real server.

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the emulator's own loop and wait for it (sync code, any thread
        but the emulator's)."""
        loop = self._loop
        if loop is None:
            coroutine.close()
            raise RuntimeError("the intercepted emulator is not running")
        try:
            calling: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            calling = None
        with self._gate:
            # Called from inside the loop that is serving (a sync client in an async test
            # with requests in flight there): that loop is blocked until this returns, so
            # waiting for it would never end; this request runs beside them.
            beside = calling is not None and calling is self._owner
        return asyncio.run_coroutine_threadsafe(
            coroutine if beside else self.run_async(coroutine), loop).result()

    async def run_async(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await a coroutine on the running loop once no other loop is serving."""
        if self._loop is None:
            coroutine.close()
            raise RuntimeError("the intercepted emulator is not running")
        here = asyncio.get_running_loop()
        while True:
            with self._gate:
                if self._owner is None or self._owner is here:
                    if self._owner is None and self._last_owner is not here:
                        self._adopt()
                    self._owner, self._last_owner = here, here
                    self._inflight += 1
                    break
                idle: asyncio.Future[None] = here.create_future()
                self._waiting.append((here, idle))
            try:
                await idle
            except BaseException:
                coroutine.close()
                raise
        try:
            return await coroutine
        finally:
            with self._gate:
                self._inflight -= 1
                waking: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
                if self._inflight == 0:
                    self._owner = None
                    waking, self._waiting = self._waiting, []
            for loop, idle in waking:
                try:
                    loop.call_soon_threadsafe(_wake, idle)
                except RuntimeError:  # that loop is closed
                    pass

    def _adopt(self) -> None:
        """A new loop serves: the store's write lock, which an asyncio.Lock binds to the
        loop it was first contended on, is made anew (no request holds it: none is in
        flight)."""
        store = self.services_store()
        if store is not None and not store._lock.locked():
            store._lock = asyncio.Lock()

    def services_store(self) -> Any:
        return self.emulator.services.store if self.emulator is not None else (
            self.app.state.services.store if self.app is not None else None)

    async def serve(self, vendor: str, method: str, scheme: str, host: str, port: int | None,
                    target: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> Answer:
        """One request, on the emulator's loop: the vendor's pipeline (the whole app for the
        in-process host)."""
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
            out_stamp = True
            await self._pipelines[vendor](scope, receive, send)
        else:
            out_stamp = False
            token = self.emulator.admin_token if self.emulator is not None else ""
            if token and path.startswith("/_emulator") and not any(
                    k.lower() == b"authorization" for k, _ in headers):
                scope["headers"] = [*headers, (b"authorization", f"Bearer {token}".encode())]
            await self.app(scope, receive, send)
        done.set()
        if out_stamp:
            out_headers.append(VERSION_HEADER)
        return Answer(status, out_headers, b"".join(chunks), dropped)

    def serve_sync(self, vendor: str, method: str, scheme: str, host: str, port: int | None,
                   target: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> Answer:
        return self.run(self.serve(vendor, method, scheme, host, port, target, headers, body))


def _wake(idle: asyncio.Future[None]) -> None:
    if not idle.done():
        idle.set_result(None)


def _hide(wrapper: Callable[..., Any], wants: bool) -> Callable[..., Any]:
    """Hide the ``im_emulator`` parameter from pytest, which would look for a fixture."""
    if wants:
        signature = inspect.signature(wrapper)
        wrapper.__signature__ = signature.replace(parameters=[  # type: ignore[attr-defined]
            p for name, p in signature.parameters.items() if name != "im_emulator"])
    return wrapper


def intercept(*, hosts: Mapping[str, Iterable[str]] | None = None, replace: bool = False,
              settings: Settings | None = None, **overrides: Any) -> Interceptor:
    """Route the vendors' API hosts to a fresh in-process emulator, as a ``with`` (or
    ``async with``) block or a decorator.

    ``hosts`` adds hosts per vendor name (``{name: ["api.example.com", "10.0.0.5:8080"]}``;
    ``replace=True`` uses only the hosts given); ``settings`` or setting overrides (``rate_limits=False``, ...) configure the emulator, as the
    ``im_emulator_settings`` marker does.
    """
    return Interceptor(hosts=hosts, replace=replace, settings=settings, **overrides)


# -- the handle ----------------------------------------------------------------------------

class _Sync:
    """The synchronous forms of the handle's coroutines, for code that is not async."""

    def __init__(self, emulator: InterceptedEmulator) -> None:
        self._emulator = emulator

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run any coroutine (``emulator.store.…``) on the emulator's loop and wait for it."""
        return self._emulator.interceptor.run(coroutine)

    def seed(self, fixture: dict[str, Any]) -> None:
        """Add users and groups (fixture format); raises FixtureError on a bad fixture."""
        self.run(InProcessEmulator.seed(self._emulator, fixture))

    def reset(self) -> None:
        """Back to the loaded fixtures, with limits, fault rules and journal cleared."""
        self.run(InProcessEmulator.reset(self._emulator))

    def wait_for_message(self, group: str | None = None,
                         predicate: MessagePredicate | None = None, *, timeout: float = 5.0,
                         sender: str | None = None, vendor: str | None = None
                         ) -> dict[str, Any]:
        """The oldest matching message (see ``InProcessEmulator.wait_for_message``)."""
        return self.run(InProcessEmulator.wait_for_message(
            self._emulator, group, predicate, timeout=timeout, sender=sender, vendor=vendor))


class InterceptedEmulator(InProcessEmulator):
    """The ``im_emulator`` handle for an emulator that ``intercept()`` runs on its own loop:
    its coroutines run there, whichever loop awaits them, and ``.sync`` has their synchronous
    forms. ``.client`` is an ``httpx.AsyncClient`` on ``http://im-emulator.test`` (every path,
    the admin API too, with its token); ``.hosts`` the hosts routed, per vendor."""

    def __init__(self, app: Any, services: Any, interceptor: Interceptor) -> None:
        self.app = app
        self.services = services
        self.interceptor = interceptor
        self.hosts = interceptor.hosts
        self.client = httpx.AsyncClient(base_url=f"http://{IN_PROCESS_HOST}")
        self.sync = _Sync(self)

    async def seed(self, fixture: dict[str, Any]) -> None:
        await self.interceptor.run_async(InProcessEmulator.seed(self, fixture))

    async def reset(self) -> None:
        await self.interceptor.run_async(InProcessEmulator.reset(self))

    async def wait_for_message(self, group: str | None = None,
                               predicate: MessagePredicate | None = None, *,
                               timeout: float = 5.0, sender: str | None = None,
                               vendor: str | None = None) -> dict[str, Any]:
        return await self.interceptor.run_async(InProcessEmulator.wait_for_message(
            self, group, predicate, timeout=timeout, sender=sender, vendor=vendor))


# -- the hooks -----------------------------------------------------------------------------

_active: list[Interceptor] = []
_lock = threading.Lock()
_saved: dict[str, tuple[Any, str, Any]] = {}


def _find(host: str | None, port: int | None, scheme: str) -> tuple[Interceptor, str] | None:
    for interceptor in reversed(_active):
        vendor = interceptor.vendor_for(host, port, scheme)
        if vendor is not None:
            return interceptor, vendor
    return None


def _install(interceptor: Interceptor) -> None:
    with _lock:
        if not _active:
            _patch_all()
        _active.append(interceptor)


def _uninstall(interceptor: Interceptor) -> None:
    with _lock:
        if interceptor in _active:
            _active.remove(interceptor)
        if not _active:
            for owner, name, original in _saved.values():
                setattr(owner, name, original)
            _saved.clear()


def _patch(key: str, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    original = owner.__dict__[name]
    _saved[key] = (owner, name, original)
    setattr(owner, name, make(original))


def _host_header(host: str, port: int | None, scheme: str) -> bytes:
    shown = f"[{host}]" if ":" in host else host
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        shown = f"{shown}:{port}"
    return shown.encode("idna")


def _with_defaults(headers: list[tuple[bytes, bytes]], host: str, port: int | None,
                   scheme: str, body: bytes) -> list[tuple[bytes, bytes]]:
    names = {k for k, _ in headers}
    if b"host" not in names:
        headers.insert(0, (b"host", _host_header(host, port, scheme)))
    if body and b"content-length" not in names and b"transfer-encoding" not in names:
        headers.append((b"content-length", str(len(body)).encode()))
    return headers


def _read_body(body: Any) -> bytes:
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


def _patch_all() -> None:
    _patch_urllib3()
    _patch_httpx()
    _patch_urllib()
    _patch_aiohttp()


def _patch_urllib3() -> None:
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
            found = _find(host, port, scheme)
            if found is None:
                return original(self, method, url, body, headers, *args, **kwargs)
            interceptor, vendor = found
            data = _read_body(body)
            raw = [(str(k).lower().encode("latin-1"), str(v).encode("latin-1"))
                   for k, v in (headers or {}).items()]
            answer = interceptor.serve_sync(vendor, method, scheme, host, port,
                                            target.encode("latin-1"),
                                            _with_defaults(raw, host, port, scheme, data), data)
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

    _patch("urllib3", HTTPConnectionPool, "urlopen", make)


def _httpx_response(answer: Answer, request: httpx.Request) -> httpx.Response:
    if answer.dropped:
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body", request=request)
    return httpx.Response(answer.status, headers=answer.headers,
                          stream=httpx.ByteStream(answer.body),
                          extensions={"http_version": b"HTTP/1.1",
                                      "reason_phrase": answer.reason.encode("ascii")},
                          request=request)


def _httpx_parts(request: httpx.Request) -> tuple[str, str, int | None, bytes,
                                                 list[tuple[bytes, bytes]]]:
    url = request.url
    headers = [(k.lower(), v) for k, v in request.headers.raw]
    return url.scheme, url.host, url.port, url.raw_path, headers


def _patch_httpx() -> None:
    def make_sync(original: Any) -> Any:
        def handle_request(self: Any, request: httpx.Request) -> httpx.Response:
            found = _find(request.url.host, request.url.port, request.url.scheme)
            if found is None:
                return original(self, request)  # type: ignore[no-any-return]
            interceptor, vendor = found
            scheme, host, port, target, headers = _httpx_parts(request)
            body = request.read()
            answer = interceptor.serve_sync(vendor, request.method, scheme, host, port, target,
                                            _with_defaults(headers, host, port, scheme, body),
                                            body)
            return _httpx_response(answer, request)
        return handle_request

    def make_async(original: Any) -> Any:
        async def handle_async_request(self: Any, request: httpx.Request) -> httpx.Response:
            found = _find(request.url.host, request.url.port, request.url.scheme)
            if found is None:
                return await original(self, request)  # type: ignore[no-any-return]
            interceptor, vendor = found
            scheme, host, port, target, headers = _httpx_parts(request)
            body = await request.aread()
            answer = await interceptor.run_async(interceptor.serve(
                vendor, request.method, scheme, host, port, target,
                _with_defaults(headers, host, port, scheme, body), body))
            return _httpx_response(answer, request)
        return handle_async_request

    _patch("httpx", httpx.HTTPTransport, "handle_request", make_sync)
    _patch("httpx-async", httpx.AsyncHTTPTransport, "handle_async_request", make_async)


class _UrllibResponse(urllib.response.addinfourl):
    """What ``urlopen`` hands back for an intercepted request."""

    def __init__(self, answer: Answer, url: str) -> None:
        message = http.client.HTTPMessage()
        for key, value in answer.headers:
            message[key.decode("latin-1")] = value.decode("latin-1")
        super().__init__(io.BytesIO(answer.body), message, url, answer.status)
        self.msg = answer.reason
        self.reason = answer.reason


def _patch_urllib() -> None:
    def make(original: Any, scheme: str) -> Any:
        def open_(self: Any, req: urllib.request.Request) -> Any:
            split = urllib.parse.urlsplit(req.full_url)
            host, port = split.hostname or "", split.port
            found = _find(host, port, scheme)
            if found is None:
                return original(self, req)
            interceptor, vendor = found
            headers = dict(req.unredirected_hdrs)
            headers.update(req.headers)
            data = _read_body(req.data)
            raw = [(k.lower().encode("latin-1"), str(v).encode("latin-1"))
                   for k, v in headers.items()]
            target = (split.path or "/") + (f"?{split.query}" if split.query else "")
            answer = interceptor.serve_sync(vendor, req.get_method(), scheme, host, port,
                                            target.encode("latin-1"),
                                            _with_defaults(raw, host, port, scheme, data), data)
            if answer.dropped:
                raise urllib.error.URLError(http.client.RemoteDisconnected(
                    "Remote end closed connection without response"))
            return _UrllibResponse(answer, req.full_url)
        return open_

    import urllib.error  # noqa: F401  (URLError above)
    _patch("urllib-http", urllib.request.HTTPHandler, "http_open",
           lambda original: make(original, "http"))
    if hasattr(urllib.request, "HTTPSHandler"):
        _patch("urllib-https", urllib.request.HTTPSHandler, "https_open",
               lambda original: make(original, "https"))


class _AiohttpTransport(asyncio.Transport):
    """The transport of an intercepted aiohttp connection: the bytes aiohttp writes are read
    with h11, served by the emulator, and the answer's bytes fed back to aiohttp's protocol."""

    live: set[_AiohttpTransport] = set()

    def __init__(self, owner: Interceptor, vendor: str, scheme: str, host: str,
                 port: int | None, protocol: Any) -> None:
        import h11
        super().__init__()
        self._h11 = h11
        self.owner, self.vendor, self.scheme, self.host, self.port = (owner, vendor, scheme,
                                                                      host, port)
        self.protocol = protocol
        self.conn = h11.Connection(h11.SERVER)
        self.closing = False
        self._request: Any = None
        self._body: list[bytes] = []
        self.loop = asyncio.get_running_loop()
        _AiohttpTransport.live.add(self)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "peername":
            return (self.host, self.port or DEFAULT_PORTS.get(self.scheme, 80))
        if name == "sockname":
            return ("127.0.0.1", 50000)
        return default

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            _AiohttpTransport.live.discard(self)
            self.loop.call_soon(self.protocol.connection_lost, None)

    def abort(self) -> None:
        if not self.closing:
            self.closing = True
            _AiohttpTransport.live.discard(self)
            try:
                self.loop.call_soon_threadsafe(self.protocol.connection_lost, None)
            except RuntimeError:  # the client's loop is closed already
                pass

    def is_reading(self) -> bool:
        return not self.closing

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def can_write_eof(self) -> bool:
        return False

    def writelines(self, chunks: Iterable[bytes]) -> None:  # type: ignore[override]
        self.write(b"".join(chunks))

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self.closing:
            return
        h11 = self._h11
        self.conn.receive_data(bytes(data))
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self._request, self._body = event, []
            elif isinstance(event, h11.Data):
                self._body.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                request, body = self._request, b"".join(self._body)
                self._request, self._body = None, []
                asyncio.ensure_future(self._answer(request, body))
                return
            elif isinstance(event, h11.ConnectionClosed):
                return

    async def _answer(self, request: Any, body: bytes) -> None:
        h11 = self._h11
        try:
            answer = await self.owner.run_async(self.owner.serve(
                self.vendor, request.method.decode("ascii"), self.scheme, self.host, self.port,
                bytes(request.target), [(bytes(k), bytes(v)) for k, v in request.headers],
                body))
        except BaseException as exc:  # noqa: BLE001 - handed to aiohttp as a lost connection
            self.closing = True
            _AiohttpTransport.live.discard(self)
            self.protocol.connection_lost(exc if isinstance(exc, Exception) else None)
            return
        if self.closing:
            return
        headers = [(k, v) for k, v in answer.headers
                   if k not in (b"content-length", b"transfer-encoding", b"connection")]
        # A dropped connection promises a body it never sends, as a real one cut short does.
        length = len(answer.body) or 1 if answer.dropped else len(answer.body)
        headers.append((b"content-length", str(length).encode()))
        out = self.conn.send(h11.Response(status_code=answer.status, headers=headers,
                                          reason=answer.reason.encode("ascii")))
        if answer.dropped:
            self.protocol.data_received(out)
            self.close()
            return
        out += self.conn.send(h11.Data(data=answer.body)) + self.conn.send(h11.EndOfMessage())
        self.protocol.data_received(out)
        if self.conn.our_state is h11.MUST_CLOSE or self.conn.their_state is h11.MUST_CLOSE:
            self.close()
            return
        try:
            self.conn.start_next_cycle()
        except h11.LocalProtocolError:
            self.close()


def _patch_aiohttp() -> None:
    try:
        import aiohttp
        from aiohttp.client_proto import ResponseHandler
    except ImportError:  # pragma: no cover - aiohttp is optional
        return

    def make(original: Any) -> Any:
        async def _create_connection(self: Any, req: Any, traces: Any, timeout: Any) -> Any:
            scheme = "https" if req.is_ssl() else "http"
            found = _find(req.host, req.port, scheme)
            if found is None:
                return await original(self, req, traces, timeout)
            interceptor, vendor = found
            protocol = ResponseHandler(asyncio.get_running_loop())
            protocol.connection_made(_AiohttpTransport(interceptor, vendor, scheme, req.host,
                                                       req.port, protocol))
            return protocol
        return _create_connection

    _patch("aiohttp", aiohttp.TCPConnector, "_create_connection", make)


__all__ = ["DEFAULT_HOSTS", "InterceptedEmulator",
           "Interceptor", "intercept"]


class _CallableModule(types.ModuleType):
    """``emulator.intercept`` is this module once it is imported (Python binds a submodule to
    its package's attribute), so the module itself calls ``intercept()``: ``emulator.intercept()``
    and ``from emulator import intercept`` work whichever was imported first."""

    def __call__(self, *args: Any, **kwargs: Any) -> Interceptor:
        return intercept(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
