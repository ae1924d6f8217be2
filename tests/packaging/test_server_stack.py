"""The start banner names the server stack: httptools+uvloop where their wheels are installed
(the project depends on uvicorn's ``standard`` extra), h11+asyncio otherwise."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys

import pytest
import uvicorn

from emulator.server import server_stack


async def _app(scope: object, receive: object, send: object) -> None:  # pragma: no cover
    raise NotImplementedError


@pytest.mark.parametrize(("http", "loop", "shown"), [
    ("h11", "asyncio", "h11+asyncio"),
    ("httptools", "asyncio", "httptools+asyncio"),
    ("h11", "uvloop", "h11+uvloop"),
])
def test_server_stack_names_the_chosen_parser_and_loop(http: str, loop: str, shown: str) -> None:
    assert server_stack(uvicorn.Config(_app, http=http, loop=loop)) == shown


def test_auto_picks_the_fast_stack_where_installed() -> None:
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    assert server_stack(uvicorn.Config(_app)) == f"{parser}+{loop}"


def test_the_fast_stack_is_a_dependency() -> None:
    # uvicorn[standard] brings httptools and uvloop on CPython outside Windows (this suite's
    # machines); the banner then says so.
    assert importlib.util.find_spec("httptools") is not None
    assert importlib.util.find_spec("uvloop") is not None


def test_banner_says_which_stack_serves() -> None:
    process = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("im-emulator listening on http://127.0.0.1:"), line
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    err = process.stderr.read() if process.stderr else ""
    expected = server_stack(uvicorn.Config(_app))
    assert f"server: uvicorn {uvicorn.__version__} {expected};" in err.splitlines()[0]
