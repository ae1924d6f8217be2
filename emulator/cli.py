"""The ``im-emulator`` command: flags with ``IM_EMULATOR_*`` environment twins, fixture checks
before start, and the start line ``im-emulator listening on http://HOST:PORT`` (port 0 works).

The server bounds what a client can hold (``GuardedH11Protocol``): a connection that has not
sent a complete request head within ``--head-timeout`` seconds (from when it opened or its last
answer was sent), or its whole body within ``--body-timeout`` seconds of the head, is closed;
past ``--max-connections`` open connections (by default the open-file limit less a reserve) a
new one gets a quick 503 and is closed. A failure that repeats (a timeout, a refused connection,
"Too many open files" on accept) is logged once per ``LOG_INTERVAL`` seconds with a count, not
once per attempt. Binding to an address other than loopback prints a warning.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import resource
import signal
import socket
import sys
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, ClassVar

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from emulator import registry
from emulator.app import create_app, host_name, is_loopback
from emulator.pipeline import CLOSED_BY_SERVER
from emulator.clock import ManualClock
from emulator.services import fixture_template
from emulator.settings import Settings, setting_fields
from emulator.store import FixtureError, StoreError, check_file
from emulator.version import __version__

ENV_PREFIX = "IM_EMULATOR_"
LOG_INTERVAL = 10.0
# A quick answer for a connection over the limit (written without parsing its request).
_BUSY = b"too many open connections; retry later"
SERVICE_UNAVAILABLE = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; "
                       b"charset=utf-8\r\ncontent-length: %d\r\nconnection: close\r\n"
                       b"retry-after: 1\r\n\r\n%s" % (len(_BUSY), _BUSY))
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class SettingError(ValueError):
    """A flag or environment value that cannot be used."""


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _env(name: str) -> str:
    return ENV_PREFIX + name.upper()


def _convert(kind: Any, raw: str, meta: typing.Mapping[str, Any], origin: str) -> Any:
    """Turn a flag or environment string into a setting value, or raise SettingError."""
    if kind is bool:
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise SettingError(f"{origin}: '{raw}' is not on/off (use one of "
                           f"{', '.join(sorted(TRUE_WORDS | FALSE_WORDS))})")
    if kind in (int, float):
        try:
            value = int(raw, 10) if kind is int else float(raw)
        except ValueError:
            raise SettingError(f"{origin}: '{raw}' is not {'an integer' if kind is int else 'a number'}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise SettingError(f"{origin}: '{raw}' is not a finite number")
        low, high = meta.get("minimum"), meta.get("maximum")
        if low is not None and value < low:
            raise SettingError(f"{origin}: {value} is below the minimum {low}")
        if high is not None and value > high:
            raise SettingError(f"{origin}: {value} is above the maximum {high}")
        return value
    if kind in (Path, Path | None):
        if not raw:
            raise SettingError(f"{origin}: a path must not be empty")
        return Path(raw)
    choices = meta.get("choices")
    if choices and raw not in choices:
        raise SettingError(f"{origin}: '{raw}' is not one of {', '.join(choices)}")
    return raw


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="im-emulator",
        description="Offline emulator of the OpenIM, ZEGOCLOUD ZIM, RongCloud and Tencent Cloud "
                    "IM server REST APIs. Every flag has an IM_EMULATOR_* environment twin.")
    parser.add_argument("--version", action="version", version=f"im-emulator {__version__}")
    for f in setting_fields():
        help_text = f"{f.metadata['help']} (env {_env(f.name)}; default {f.default})"
        if f.kind is bool:
            parser.add_argument(_flag(f.name), dest=f.name, action=argparse.BooleanOptionalAction,
                                default=None, help=help_text)
        else:
            parser.add_argument(_flag(f.name), dest=f.name, default=None, metavar="VALUE",
                                help=help_text)
    return parser


def settings_from(argv: Sequence[str] | None, environ: typing.Mapping[str, str]) -> Settings:
    """Settings from flags, then environment twins, then defaults; raises SettingError."""
    args = _parser().parse_args(argv)
    values: dict[str, Any] = {}
    for f in setting_fields():
        given = getattr(args, f.name)
        if isinstance(given, bool):
            values[f.name] = given
        elif given is not None:
            values[f.name] = _convert(f.kind, given, f.metadata, _flag(f.name))
        elif _env(f.name) in environ:
            values[f.name] = _convert(f.kind, environ[_env(f.name)], f.metadata, _env(f.name))
    return Settings(**values)


def credentials_text(settings: Settings) -> str:
    """The credentials each vendor accepts, as printed at startup (one line per vendor)."""
    return "\n".join(f"  {vendor.title:<10} {vendor.credentials(settings.vendor(vendor.name))}"
                     for vendor in registry.vendors())


class OncePer:
    """Logs a repeated event once per ``interval`` seconds of the event loop's clock, with the
    count of those left out since."""

    def __init__(self, logger: logging.Logger, interval: float = LOG_INTERVAL) -> None:
        self.logger = logger
        self.interval = interval
        self._last: dict[str, float] = {}
        self._left_out: dict[str, int] = {}

    def log(self, key: str, level: int, message: str, now: float) -> bool:
        """Log ``message`` unless ``key`` was logged less than ``interval`` ago; True if it was
        logged."""
        last = self._last.get(key)
        if last is not None and now - last < self.interval:
            self._left_out[key] = self._left_out.get(key, 0) + 1
            return False
        left_out = self._left_out.pop(key, 0)
        self._last[key] = now
        if left_out:
            message += f" (and {left_out} more like it in the last {self.interval:g} s)"
        self.logger.log(level, message)
        return True


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


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with head and body timeouts and a connection limit."""

    limits: ClassVar[ConnectionLimits] = ConnectionLimits()
    notices: ClassVar[OncePer] = OncePer(logging.getLogger("emulator.server"))

    _excess = False
    _phase: str | None = None
    _timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
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
        state = self.conn.their_state
        phase = "head" if state is h11.IDLE else "body" if state is h11.SEND_BODY else None
        if phase == self._phase:
            return
        self._cancel()
        self._phase = phase
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


def guarded_protocol(limits: ConnectionLimits) -> type[GuardedH11Protocol]:
    """The protocol class bound to these limits (its repeated notices shared)."""
    notices = OncePer(logging.getLogger("emulator.server"))
    return type("GuardedH11Protocol", (GuardedH11Protocol,),
                {"limits": limits, "notices": notices})


def server_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration the emulator serves with: its guarded protocol, no
    WebSockets, the settings' log level and access log (``options`` override)."""
    values: dict[str, Any] = {"log_level": settings.log_level,
                              "access_log": settings.access_log, "lifespan": "on",
                              "http": guarded_protocol(ConnectionLimits.from_settings(settings)),
                              "ws": "none", **options}
    return uvicorn.Config(app, **values)


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


class _Server(uvicorn.Server):
    """uvicorn's server, printing the start line once the app is ready and the socket bound."""

    def __init__(self, config: uvicorn.Config, sock: socket.socket) -> None:
        super().__init__(config)
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
            print(f"im-emulator listening on http://{shown}:{port}", flush=True)


def exposure_warning(settings: Settings) -> str:
    """The warning for a bind address other than loopback ("" for loopback)."""
    if is_loopback(host_name(settings.host)):
        return ""
    admin = ("the admin API /_emulator/* needs the --admin-token bearer token" if
             settings.admin_token else
             "anyone who can reach it can reseed, reset, read and break it through /_emulator/* "
             "(set --admin-token to protect it)")
    return (f"im-emulator: warning: listening on {settings.host}, which other machines can "
            f"reach: {admin}, and the vendor APIs take the documented dev credentials")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until SIGTERM or Ctrl-C; the exit status."""
    try:
        settings = settings_from(argv, os.environ)
    except SettingError as exc:
        print(f"im-emulator: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    clock = ManualClock()
    try:
        fixture_template(settings.fixtures, clock)
    except FixtureError as exc:
        print(f"im-emulator: {exc}", file=sys.stderr)
        return 1
    try:
        if settings.db is not None and not settings.reset:
            check_file(settings.db)
    except StoreError as exc:
        print(f"im-emulator: {exc}", file=sys.stderr)
        return 1
    try:
        sock = _bind(settings.host, settings.port)
    except OSError as exc:
        print(f"im-emulator: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1
    warning = exposure_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    print(f"im-emulator {__version__} on fixtures {settings.fixtures}"
          f"{'' if settings.db is None else f' with store {settings.db}'}; credentials:\n"
          f"{credentials_text(settings)}", file=sys.stderr, flush=True)
    config = server_config(create_app(settings, clock=clock), settings)
    server = _Server(config, sock)
    server.run(sockets=[sock])
    return 0 if server.started else 1

