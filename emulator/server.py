"""How the emulator is served: uvicorn on the fastest stack installed (httptools and uvloop
where their wheels exist, else h11 and asyncio), with bounds on what a client can hold.

A connection that has not sent a complete request head within ``--head-timeout`` seconds (from
when it opened or its last answer was sent), or its whole body within ``--body-timeout`` seconds
of the head, is closed; past ``--max-connections`` open connections (by default the open-file
limit less a reserve) a new connection first takes the place of the one that has waited longest
for a request head (a stalled or idle one, which is closed); only when every connection is in
the middle of a request does the new one get a quick 503. A failure that repeats (a
timeout, a refused connection, "Too many open files" on accept) is logged once per
``LOG_INTERVAL`` seconds with a count, not once per attempt.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import resource
import signal
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from emulator.notices import OncePer
from emulator.pipeline import CLOSED_BY_SERVER
from emulator.settings import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is not installed: uvicorn serves with h11
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

# A quick answer for a connection over the limit (written without parsing its request).
_BUSY = b"too many open connections; retry later"
SERVICE_UNAVAILABLE = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; "
                       b"charset=utf-8\r\ncontent-length: %d\r\nconnection: close\r\n"
                       b"retry-after: 1\r\n\r\n%s" % (len(_BUSY), _BUSY))


@dataclass(frozen=True)
class ConnectionLimits:
    """How long a connection may take to send its request, and how many may be open."""

    head_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> ConnectionLimits:
        return cls(settings.head_timeout, settings.body_timeout,
                   settings.max_connections or file_limit_connections())


def file_limit_connections() -> int:
    """The open-file limit less a reserve (a tenth, at least 32) for the store, logs, the
    listening socket and the quick 503s."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft <= 0:
        soft = 65536
    return max(8, soft - max(32, soft // 10))


# Orders connections by when they began to wait for what they wait for (the loop's clock is
# too coarse to tell connections accepted in one iteration apart).
_PHASE_CHANGES = itertools.count()


class ConnectionGuard:
    """Head and body timeouts and a connection limit, mixed into uvicorn's HTTP protocol class
    (``waiting_for`` says, per protocol, what the connection is waiting for)."""

    limits: ClassVar[ConnectionLimits] = ConnectionLimits()
    notices: ClassVar[OncePer] = OncePer(logging.getLogger("emulator.server"))

    _excess = False
    _phase: str | None = None
    _phase_order = 0
    _timer: asyncio.TimerHandle | None = None

    def waiting_for(self) -> str | None:
        """"head", "body" or None (answering)."""
        raise TypeError("mix ConnectionGuard into a protocol class that says what it waits for")

    def connection_made(self, transport: asyncio.Transport) -> None:
        if len(self.connections) >= self.limits.max_connections and not self._make_room():
            self._excess = True
            self.transport = transport
            self._notice("limit", logging.WARNING,
                         f"{len(self.connections)} connections are open, the limit: new ones "
                         "get 503")
            self._timer = self.loop.call_later(min(1.0, self.limits.head_timeout), self._refuse)
            return
        super().connection_made(transport)
        self._sync()

    def data_received(self, data: bytes) -> None:
        if self._excess:
            self._refuse()
            return
        super().data_received(data)
        self._sync()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._sync()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        if self._excess:
            return
        super().connection_lost(exc)

    def _make_room(self) -> bool:
        """Close the connection that has waited longest for a request head (a stalled or idle
        one), so a new client is served; False when every connection is mid-request."""
        waiting = [other for other in self.connections
                   if isinstance(other, ConnectionGuard) and other._phase == "head"
                   and other.transport is not None and not other.transport.is_closing()]
        if not waiting:
            return False
        oldest = min(waiting, key=lambda other: other._phase_order)
        oldest._cancel()
        oldest.transport.close()
        self._notice("room", logging.INFO,
                     f"{len(self.connections)} connections are open, the limit: closed the one "
                     "waiting longest for a request head to serve a new one")
        return True

    def _refuse(self) -> None:
        self._cancel()
        if not self.transport.is_closing():
            self.transport.write(SERVICE_UNAVAILABLE)
            self.transport.close()

    def _notice(self, key: str, level: int, message: str) -> None:
        self.notices.log(key, level, message, self.loop.time())

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _sync(self) -> None:
        """Arm the timer of what the connection is waiting for: a request head (after it
        opened or its last answer), a body (after a head), or nothing (while answering)."""
        if self.transport is None or self.transport.is_closing():
            self._cancel()
            return
        phase = self.waiting_for()
        if phase == self._phase:
            return
        self._cancel()
        self._phase = phase
        self._phase_order = next(_PHASE_CHANGES)
        if phase == "head":
            self._timer = self.loop.call_later(self.limits.head_timeout, self._expire, phase)
        elif phase == "body":
            self._timer = self.loop.call_later(self.limits.body_timeout, self._expire, phase)

    def _expire(self, phase: str) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if phase == "head":
            why = f"no complete request head within {self.limits.head_timeout:g} s"
        else:
            why = f"request body not complete within {self.limits.body_timeout:g} s"
            if self.scope is not None:
                self.scope[CLOSED_BY_SERVER] = why  # type: ignore[literal-required]
        self._notice(phase, logging.INFO, f"closed a connection: {why}")
        self.transport.close()


class GuardedH11Protocol(ConnectionGuard, H11Protocol):
    """uvicorn's h11 protocol, guarded."""

    def waiting_for(self) -> str | None:
        state = self.conn.their_state
        return "head" if state is h11.IDLE else "body" if state is h11.SEND_BODY else None


if HttpToolsProtocol is not None:
    class GuardedHttpToolsProtocol(ConnectionGuard, HttpToolsProtocol):  # type: ignore[misc]
        """uvicorn's httptools protocol, guarded: the parser's callbacks say what it waits for."""

        _reading: str | None = "head"

        def on_headers_complete(self) -> None:
            super().on_headers_complete()
            self._reading = "body"

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._reading = None

        def on_response_complete(self) -> None:
            self._reading = "head"
            super().on_response_complete()

        def waiting_for(self) -> str | None:
            return self._reading


def protocol_base() -> type[ConnectionGuard]:
    """The guarded protocol of the fastest parser installed."""
    if HttpToolsProtocol is not None:
        return GuardedHttpToolsProtocol
    return GuardedH11Protocol


def guarded_protocol(limits: ConnectionLimits) -> type[ConnectionGuard]:
    """The protocol class bound to these limits (its repeated notices shared)."""
    notices = OncePer(logging.getLogger("emulator.server"))
    base = protocol_base()
    return type(base.__name__, (base,), {"limits": limits, "notices": notices})


def server_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration the emulator serves with: the guarded protocol of the fastest
    parser installed, uvicorn's own loop choice (uvloop when installed), no WebSockets, the
    settings' log level and access log (``options`` override)."""
    values: dict[str, Any] = {"log_level": settings.log_level,
                              "access_log": settings.access_log, "lifespan": "on",
                              "http": guarded_protocol(ConnectionLimits.from_settings(settings)),
                              "ws": "none", **options}
    return uvicorn.Config(app, **values)


def server_stack(config: uvicorn.Config) -> str:
    """The HTTP parser and event loop that serve, as ``PARSER+LOOP``: ``httptools+uvloop`` where
    their wheels are installed, else ``h11+asyncio``."""
    if not config.loaded:
        config.load()
    protocol = config.http_protocol_class
    parser = ("httptools" if HttpToolsProtocol is not None and issubclass(protocol, HttpToolsProtocol)
              else "h11")
    factory = config.get_loop_factory()
    loop = "asyncio" if factory is None else factory.__module__.split(".")[0]
    return f"{parser}+{loop}"


def _quiet_repeats(loop: asyncio.AbstractEventLoop) -> None:
    """Log an event-loop error that repeats (e.g. "Too many open files" on accept) once per
    interval, in one line."""
    notices = OncePer(logging.getLogger("emulator.server"))

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        message = str(context.get("message", "event loop error"))
        key = f"{message}|{type(exc).__name__}"
        text = f"{message}: {exc}" if exc is not None else message
        notices.log(key, logging.ERROR, text, loop.time())

    loop.set_exception_handler(handler)


class Server(uvicorn.Server):
    """uvicorn's server, announcing its URL (``announce``) once the app is ready and the socket
    bound."""

    def __init__(self, config: uvicorn.Config, sock: socket.socket,
                 announce: Callable[[str], None]) -> None:
        super().__init__(config)
        self._announce = announce
        self._sock = sock

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        """SIGTERM and Ctrl-C stop the server gracefully, and the process then exits 0."""
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self._stop) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.should_exit = True

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        _quiet_repeats(asyncio.get_running_loop())
        await super().startup(sockets)
        if not self.should_exit:
            host, port = self._sock.getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host
            self._announce(f"http://{shown}:{port}")


