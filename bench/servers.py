"""Start and stop the servers under test as child processes, and read their peak memory."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.data import ROOT

_LISTENING = re.compile(r"listening on (http://\S+)")


class ServerFailed(RuntimeError):
    """A server that exited or never printed its start line."""


@dataclass
class Server:
    """A running child server."""

    process: subprocess.Popen[str]
    url: str

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory (VmHWM), in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
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


def start(args: Sequence[str], env: dict[str, str] | None = None) -> Server:
    """Run ``python <args>`` from the project root and wait for its start line."""
    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, **(env or {})})
    assert process.stdout is not None
    for line in process.stdout:
        found = _LISTENING.search(line)
        if found:
            return Server(process, found.group(1))
    process.wait()
    raise ServerFailed(f"{' '.join(args)} exited with {process.returncode} before listening")


def emulator(fixtures: Path, *, db: Path | None = None, rate_limits: bool = False,
             extra: Sequence[str] = (), module: str = "emulator") -> Server:
    """The emulator's CLI on a free port (``module`` names a launcher that runs it)."""
    args = ["-m", module, "--port", "0", "--fixtures", str(fixtures), "--log-level", "warning"]
    if db is not None:
        args += ["--db", str(db), "--reset"]
    if not rate_limits:
        args.append("--no-rate-limits")
    return start([*args, *extra])


def echo() -> Server:
    """The baseline echo server on a free port."""
    return start(["-m", "bench.echo_server"])
