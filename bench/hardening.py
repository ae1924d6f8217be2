"""Hardening bench (issue 15): what a careless or hostile client costs the emulator.

1. ``bodies``: each vendor receives a 100 MB body (declared with Content-Length, and chunked);
   the server's peak resident memory (VmHWM) is read before and after. Goal: within 50 MiB of
   idle.
2. ``stalled``: under ``ulimit -n 1024``, 1,100 connections that send nothing, half a request
   head or half a body; meanwhile a fresh client asks every half second. Goals: the others are
   still served, memory stays flat, the log stays a few lines.

Self-contained: it starts ``python -m emulator`` as a child process on a free port and talks to
it over raw loopback sockets. ``python -m bench.hardening [bodies|stalled|all] [--quick]``
prints a Markdown report; ``--quick`` uses short timeouts (2 s head, 4 s body) so a run takes
seconds instead of a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024
BODY_BYTES = 100 * MIB
CHUNK = 256 * 1024
VENDOR_PATHS = {
    "openim": ("/group/get_joined_group_list", "application/json"),
    "zego": ("/?Action=QueryGroupsInfoOfUser", "application/json"),
    "tencent": ("/v4/group_open_http_svc/get_joined_group_list?sdkappid=1400000000",
                "application/json"),
    "rongcloud": ("/user/group/query.json", "application/x-www-form-urlencoded"),
}
_LISTENING = re.compile(r"listening on http://([\d.]+):(\d+)")


@dataclass
class Child:
    """The emulator as a child process, its stderr (the log) in a file."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path

    def status(self, key: str) -> float:
        """A /proc status figure in MiB (VmRSS, VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {key}")

    def log_bytes(self) -> int:
        return self.log.stat().st_size

    def connect(self, timeout: float = 10) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def health(self, timeout: float = 2.0) -> float | None:
        """Seconds a fresh connection takes to get /_emulator/health, or None on failure."""
        began = time.perf_counter()
        try:
            with self.connect(timeout) as conn:
                conn.sendall(b"GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             b"Connection: close\r\n\r\n")
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return None
                    data += chunk
            return time.perf_counter() - began if data.startswith(b"HTTP/1.1 200") else None
        except OSError:
            return None


def _limit_files(soft: int | None) -> None:
    if soft is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, hard), hard))


@contextmanager
def emulator(args: Sequence[str] = (), nofile: int | None = None) -> Iterator[Child]:
    """``python -m emulator --port 0`` with ``args``, its open-file limit set to ``nofile``."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "stderr.log"
        with log.open("wb") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", "emulator", "--port", "0", "--no-rate-limits", *args],
                stdout=subprocess.PIPE, stderr=err, preexec_fn=lambda: _limit_files(nofile))
            try:
                assert process.stdout is not None
                line = process.stdout.readline().decode()
                match = _LISTENING.search(line)
                if not match:
                    raise RuntimeError(f"no start line: {line!r}; log: {log.read_text()[-2000:]}")
                yield Child(process, match.group(1), int(match.group(2)), log)
            finally:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _read_status(conn: socket.socket) -> int | None:
    conn.settimeout(10)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return None
            data += chunk
    except OSError:
        return None
    return int(data.split()[1])


def send_body(child: Child, path: str, content_type: str, chunked: bool) -> tuple[int | None,
                                                                                   float, int]:
    """POST a 100 MB body; the status, the seconds taken, and the bytes the server took
    before it answered or closed."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            + ("Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {BODY_BYTES}\r\n")
            + "\r\n").encode()
    block = b"a" * CHUNK
    framed = b"%x\r\n%s\r\n" % (CHUNK, block) if chunked else block
    began = time.perf_counter()
    sent = 0
    with child.connect() as conn:
        conn.sendall(head)
        conn.setblocking(False)
        try:
            while sent < BODY_BYTES:
                try:
                    conn.send(framed)
                    sent += CHUNK
                except BlockingIOError:
                    try:
                        if conn.recv(1, socket.MSG_PEEK):
                            break  # the server answered before the body ended
                    except BlockingIOError:
                        time.sleep(0.001)
            if chunked and sent >= BODY_BYTES:
                conn.send(b"0\r\n\r\n")
        except OSError:
            pass
        conn.setblocking(True)
        status = _read_status(conn)
    return status, time.perf_counter() - began, sent


def run_bodies(args: Sequence[str] = ()) -> list[str]:
    """The 100 MB body run, as Markdown lines."""
    lines = ["### 100 MB request bodies", "",
             "| vendor | framing | status | seconds | MB sent before the answer | VmHWM after (MiB) |",
             "|---|---|---|---|---|---|"]
    with emulator(args) as child:
        child.health()
        idle = child.status("VmHWM")
        for vendor, (path, content_type) in VENDOR_PATHS.items():
            for chunked in (False, True):
                status, seconds, sent = send_body(child, path, content_type, chunked)
                lines.append(f"| {vendor} | {'chunked' if chunked else 'Content-Length'} | "
                             f"{status} | {seconds:.2f} | {sent / MIB:.1f} | "
                             f"{child.status('VmHWM'):.1f} |")
        peak = child.status("VmHWM")
        lines += ["", f"Idle VmHWM {idle:.1f} MiB, peak after all runs {peak:.1f} MiB: "
                      f"+{peak - idle:.1f} MiB (goal: within 50 MiB). Log: "
                      f"{child.log_bytes()} bytes."]
    return lines


@dataclass
class Stalled:
    """The stalled connections of one kind."""

    kind: str
    sent: bytes
    conns: list[socket.socket] = field(default_factory=list)

    def open_count(self) -> int:
        alive = 0
        for conn in self.conns:
            try:
                conn.setblocking(False)
                data = conn.recv(4096)
                if data and not data.startswith(b"HTTP/1.1 503"):
                    alive += 1
            except BlockingIOError:
                alive += 1
            except OSError:
                pass
        return alive


def run_stalled(quick: bool, count: int = 1100, nofile: int = 1024) -> list[str]:
    """The stalled-connections run, as Markdown lines."""
    head_timeout, body_timeout = (2.0, 4.0) if quick else (10.0, 30.0)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(count * 2 + 256, 4096)), hard))
    kinds = [Stalled("idle", b""),
             Stalled("half a head", b"POST /v4/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-"),
             Stalled("half a body", b"POST /group/get_joined_group_list HTTP/1.1\r\n"
                                    b"Host: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{\"x\":")]
    lines = ["### Stalled connections", "",
             f"{count} connections under `ulimit -n {nofile}` (a third each sending nothing, "
             f"half a request head, half a body), head timeout {head_timeout:g} s, body timeout "
             f"{body_timeout:g} s.", ""]
    args = ["--head-timeout", str(head_timeout), "--body-timeout", str(body_timeout)]
    with emulator(args, nofile=nofile) as child:
        child.health()
        rss_before = child.status("VmRSS")
        log_before = child.log_bytes()
        refused = 0
        for i in range(count):
            kind = kinds[i % 3]
            try:
                conn = child.connect(timeout=5)
                if kind.sent:
                    conn.sendall(kind.sent)
                kind.conns.append(conn)
            except OSError:
                refused += 1
        began = time.monotonic()
        samples: list[tuple[float, float | None]] = []
        opened = {k.kind: len(k.conns) for k in kinds}
        end = began + body_timeout + 4
        checkpoints: dict[str, dict[str, int]] = {}
        while time.monotonic() < end:
            samples.append((time.monotonic() - began, child.health()))
            at = time.monotonic() - began
            if at > head_timeout + 1 and "after head timeout" not in checkpoints:
                checkpoints["after head timeout"] = {k.kind: k.open_count() for k in kinds}
            time.sleep(0.5)
        checkpoints["after body timeout"] = {k.kind: k.open_count() for k in kinds}
        served = [s for _, s in samples if s is not None]
        missed = [f"{at:.1f}" for at, s in samples if s is None]
        rss_after = child.status("VmRSS")
        log_after = child.log_bytes()
        log_text = child.log.read_text(errors="replace")
        for kind in kinds:
            for conn in kind.conns:
                conn.close()
    lines += [f"- connections opened: {opened} (refused at connect: {refused})",
              f"- still open {checkpoints}",
              f"- health checks served: {len(served)}/{len(samples)}; slowest "
              f"{max(served) * 1000:.0f} ms; not served (a 503 or no answer) at "
              f"{', '.join(missed) or '-'} s" if served else "- health checks served: 0",
              f"- VmRSS before {rss_before:.1f} MiB, after {rss_after:.1f} MiB",
              f"- log grew by {log_after - log_before} bytes, "
              f"{len(log_text[log_before:].splitlines())} lines:", "", "```",
              *log_text.splitlines()[-12:], "```"]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hardening")
    parser.add_argument("run", nargs="?", default="all", choices=("bodies", "stalled", "all"))
    parser.add_argument("--quick", action="store_true", help="short timeouts (2 s / 4 s)")
    options = parser.parse_args(argv)
    out: list[str] = [f"## Hardening bench (pid {os.getpid()}, {time.strftime('%Y-%m-%d %H:%M')})",
                      ""]
    if options.run in ("bodies", "all"):
        out += run_bodies() + [""]
    if options.run in ("stalled", "all"):
        out += run_stalled(options.quick)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
