"""The servers under test and the load generator: a checkout of the emulator (this one, or
another for ``--compare``) and its Python, its CLI run as a child process, the baseline echo
(a bare Starlette app served by uvicorn exactly as the emulator's CLI serves the emulator, so
both run on the same stack: h11 or httptools, asyncio or uvloop, whichever that Python has),
and wrk, driven by a Lua script that replays one pre-signed request or rotates its body.

``python -m bench.servers echo [--port N]`` serves the echo (the bench starts it itself).
Nothing here installs anything: a missing tool raises ``Missing`` naming its Debian package.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench.report import Missing
from bench.workload import ROOT, FixedRequest, RotatingRequest

CONNECTIONS = 32
THREADS = 1
_LISTENING = re.compile(r"listening on (http://\S+)")
_STACK = ("import importlib.util as u; "
          "print('httptools' if u.find_spec('httptools') else 'h11', "
          "'uvloop' if u.find_spec('uvloop') else 'asyncio')")


class ServerFailed(RuntimeError):
    """A server that exited or never printed its start line, or a load run that failed."""


# -- the baseline echo ---------------------------------------------------------------------

async def _echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"code": 0, "path": request.url.path, "bytes": len(body)})


echo_app = Starlette(routes=[Route("/{path:path}", _echo, methods=["GET", "POST"])])


def serve_echo(port: int) -> None:
    """Serve the echo like ``emulator.cli`` serves the emulator: a TCP socket bound first,
    uvicorn's default loop and HTTP parser, no access log, lifespan on."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            host, bound = sock.getsockname()[:2]
            print(f"echo listening on http://{host}:{bound}", flush=True)

    config = uvicorn.Config(echo_app, log_level="warning", access_log=False, lifespan="on")
    Server(config).run(sockets=[sock])


# -- checkouts and child servers -----------------------------------------------------------

_LINKED: dict[Path, Path] = {}


@dataclass(frozen=True)
class Tree:
    """A checkout of the emulator and the Python that runs it."""

    label: str
    root: Path
    python: str

    @classmethod
    def here(cls, label: str = "after") -> Tree:
        """This checkout, run by this Python."""
        return cls(label, ROOT, sys.executable)

    @classmethod
    def at(cls, path: Path, label: str = "before") -> Tree:
        """Another checkout, run by its own ``.venv``."""
        root = path.resolve()
        python = root / ".venv" / "bin" / "python"
        if not (root / "emulator").is_dir():
            raise Missing(f"{root} is not a checkout of the emulator (no emulator/ in it)")
        if not python.exists():
            raise Missing(f"{root} has no .venv: run `make -C {root} .venv/.installed`")
        return cls(label, root, str(python))

    def stack(self) -> str:
        """The HTTP parser and event loop uvicorn picks in this tree's Python."""
        done = subprocess.run([self.python, "-c", _STACK], capture_output=True, text=True,
                              check=True)
        return " + ".join(done.stdout.split())

    def bench_dir(self) -> Path:
        """A directory to run bench modules from against this tree's emulator: this
        checkout's ``bench`` beside the tree's ``emulator`` (a directory of two links)."""
        if self.root == ROOT:
            return ROOT
        where = _LINKED.get(self.root)
        if where is None:
            where = Path(tempfile.mkdtemp(prefix="bench-tree-"))
            (where / "emulator").symlink_to(self.root / "emulator")
            (where / "bench").symlink_to(ROOT / "bench")
            _LINKED[self.root] = where
        return where

    def run_module(self, module: str, *args: str) -> str:
        """``python -m module args`` against this tree; its standard output."""
        done = subprocess.run([self.python, "-m", module, *args], cwd=self.bench_dir(),
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise ServerFailed(f"{self.label}: {module} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-2000:]}")
        return done.stdout


@dataclass
class Server:
    """A running child server."""

    process: subprocess.Popen[str]
    url: str

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory (VmHWM), in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise ServerFailed("no VmHWM in /proc status")

    def stop(self) -> None:
        """SIGINT (as Ctrl-C does), then wait; SIGKILL after 10 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _start(python: str, cwd: Path, args: Sequence[str]) -> Server:
    process = subprocess.Popen([python, *args], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=dict(os.environ))
    assert process.stdout is not None
    for line in process.stdout:
        found = _LISTENING.search(line)
        if found:
            return Server(process, found.group(1))
    process.wait()
    raise ServerFailed(f"{' '.join(args)} exited with {process.returncode} before listening")


def emulator(tree: Tree, fixtures: Path | None, *, rate_limits: bool = False,
             extra: Sequence[str] = ()) -> Server:
    """A tree's emulator CLI on a free port, over a fixture file (None: its default)."""
    args = ["-m", "emulator", "--port", "0", "--log-level", "warning"]
    if fixtures is not None:
        args += ["--fixtures", str(fixtures)]
    if not rate_limits:
        args.append("--no-rate-limits")
    return _start(tree.python, tree.root, [*args, *extra])


def echo(tree: Tree) -> Server:
    """The baseline echo on a free port, run by a tree's Python."""
    return _start(tree.python, tree.bench_dir(), ["-m", "bench.servers", "echo"])


# -- the load generator --------------------------------------------------------------------

def find_wrk() -> str:
    """The path of wrk; ``Missing`` (naming Debian's package) when it is not installed."""
    found = shutil.which("wrk")
    if found is None:
        raise Missing("wrk is not installed (Debian package `wrk`: apt-get install wrk)")
    return found


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
        raise ServerFailed(f"cannot find {pattern!r} in wrk's output:\n{text}")
    return default


def load(base_url: str, request: FixedRequest | RotatingRequest, seconds: float) -> float:
    """Requests per second wrk reaches on ``base_url`` with the request; ServerFailed when
    any answer is not 2xx or a socket fails."""
    wrk = find_wrk()
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
        raise ServerFailed(f"wrk failed ({done.returncode}): {done.stderr or out}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = int(_number(r"Non-2xx or 3xx responses: (\d+)", out, "0"))
    socket_errors = sum(int(n) for n in errors.groups()) if errors else 0
    if non_2xx or socket_errors:
        raise ServerFailed(f"{request.path}: {non_2xx} non-2xx answers, {socket_errors} "
                           "socket errors")
    return float(_number(r"Requests/sec:\s+([\d.]+)", out))


def main(argv: Sequence[str] | None = None) -> int:
    """``echo [--port N]``: serve the baseline echo until SIGINT."""
    parser = argparse.ArgumentParser(prog="python -m bench.servers")
    parser.add_argument("what", choices=("echo",))
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    serve_echo(args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
