"""The load generator: wrk (Debian's package, installed when missing) on loopback, bounded in
time, driven by a Lua script that sends one fixed, pre-signed request, or the same request with
its body rotated over a list (one body after the other, in order, then again).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

CONNECTIONS = 32
THREADS = 1


class LoadError(RuntimeError):
    """wrk is missing and cannot be installed, or its output cannot be read."""


@dataclass(frozen=True)
class FixedRequest:
    """One request, sent again and again: method, path with query, headers and body."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class RotatingRequest:
    """One request whose body changes on every send: the bodies in order, then again."""

    method: str
    path: str
    headers: Mapping[str, str]
    bodies: tuple[bytes, ...]


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured."""

    requests_per_second: float
    requests: int
    non_2xx: int
    socket_errors: int


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    for command in (["apt-get", "install", "-y", "-q", "wrk"],
                    ["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "wrk"]):
        subprocess.run(command, capture_output=True, check=False)
        found = shutil.which("wrk")
        if found:
            return found
    raise LoadError("wrk is missing and `apt-get install wrk` did not install it")


def _lua_string(text: str) -> str:
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_script(request: FixedRequest | RotatingRequest) -> str:
    """A wrk script that sends the request. wrk.format stores the first body's Content-Length
    in ``wrk.headers``, so the rotating script clears it before formatting each body."""
    lines = [f"wrk.method = {_lua_string(request.method)}"]
    for name, value in request.headers.items():
        lines.append(f"wrk.headers[ {_lua_string(name)} ] = {_lua_string(value)}")
    if isinstance(request, FixedRequest):
        lines.append(f"wrk.body = {_lua_string(request.body.decode('utf-8'))}")
        return "\n".join(lines) + "\n"
    lines.append("local bodies = {")
    lines.extend(f"  {_lua_string(body.decode('utf-8'))}," for body in request.bodies)
    lines += ["}", "local count = #bodies", "local next_body = 0",
              "function request()",
              "  next_body = next_body % count + 1",
              "  wrk.headers[\"Content-Length\"] = nil",
              "  return wrk.format(nil, nil, nil, bodies[next_body])",
              "end"]
    return "\n".join(lines) + "\n"


def _number(pattern: str, text: str, default: str | None = None) -> str:
    found = re.search(pattern, text)
    if found:
        return found.group(1)
    if default is None:
        raise LoadError(f"cannot find {pattern!r} in wrk's output:\n{text}")
    return default


def run(base_url: str, request: FixedRequest | RotatingRequest, seconds: float) -> LoadResult:
    """Load ``base_url`` with the request for a number of seconds."""
    wrk = ensure_wrk()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(request))
    try:
        done = subprocess.run(
            [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", "5s",
             "-s", script.name, base_url + request.path],
            capture_output=True, text=True, check=False, timeout=seconds + 30)
    finally:
        Path(script.name).unlink()
    out = done.stdout
    if done.returncode != 0 or done.stderr.strip():
        raise LoadError(f"wrk failed ({done.returncode}): {done.stderr or out}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return LoadResult(
        requests_per_second=float(_number(r"Requests/sec:\s+([\d.]+)", out)),
        requests=int(_number(r"(\d+) requests in", out)),
        non_2xx=int(_number(r"Non-2xx or 3xx responses: (\d+)", out, "0")),
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )
