"""The ``im-emulator`` command: flags with ``IM_EMULATOR_*`` environment twins, fixture checks
before start, and the start line ``im-emulator listening on http://HOST:PORT`` (port 0 works).

How it is served (the server stack, bounds on connections) is ``emulator.server``. Binding to an
address other than loopback prints a warning.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import socket
import sys
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn

from emulator import registry
from emulator.app import create_app, host_name, is_loopback
from emulator.clock import ManualClock
from emulator.server import Server, server_config, server_stack
from emulator.services import fixture_template
from emulator.settings import Settings, setting_fields
from emulator.store import FixtureError, StoreError, check_file
from emulator.version import __version__

ENV_PREFIX = "IM_EMULATOR_"
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
        description="Offline emulator of the "
                    + ", ".join(vendor.title for vendor in registry.vendors())
                    + " server REST APIs. Every flag has an IM_EMULATOR_* environment twin.")
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


def _announce(url: str) -> None:
    """The start line scripts wait for, on stdout."""
    print(f"im-emulator listening on {url}", flush=True)


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
    config = server_config(create_app(settings, clock=clock), settings)
    print(f"im-emulator {__version__} on fixtures {settings.fixtures}"
          f"{'' if settings.db is None else f' with store {settings.db}'}; "
          f"server: uvicorn {uvicorn.__version__} {server_stack(config)}; credentials:\n"
          f"{credentials_text(settings)}", file=sys.stderr, flush=True)
    server = Server(config, sock, _announce)
    server.run(sockets=[sock])
    return 0 if server.started else 1

