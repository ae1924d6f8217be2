"""The web inspector's browser tests: a real emulator (``python -m emulator`` with an admin
token, on a free port) and Debian's headless Chromium (/usr/bin/chromium) driven by Playwright.

Run them with ``make test-ui``; ``make test`` leaves them out. They skip when Playwright (the
``ui`` extra) or the browser is missing. Every test gets a fresh page at 1280x800, the emulator
reset before it, fails on any console error or uncaught page error, and leaves a full-page
screenshot in ``build/ui-artifacts/`` (``UI_ARTIFACTS`` to change it).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

try:
    from playwright import sync_api
except ImportError:  # the ui extra is not installed
    sync_api = None

CHROMIUM = os.environ.get("UI_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("UI_ARTIFACTS", Path(__file__).parents[2] / "build" / "ui-artifacts"))
# As the machine notes say: no background networking, so the closed network refuses nothing.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]



class Emulator:
    """The emulator under test: its URL, token and an admin client that carries the token."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.admin = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                                  timeout=10)

    @property
    def ui(self) -> str:
        """The inspector's address with the token in its fragment."""
        return f"{self.url}/_emulator/ui#token={self.token}"

    def reset(self) -> None:
        self.admin.post("/_emulator/reset").raise_for_status()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    port = _free_port()
    token = secrets.token_urlsafe(16)
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--host", "127.0.0.1", "--port", str(port),
         "--admin-token", token],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    emulator = Emulator(f"http://127.0.0.1:{port}", token)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if emulator.admin.get("/_emulator/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the emulator did not start: "
                                   + (process.stderr.read().decode() if process.poll() is not None else "timeout"))
            time.sleep(0.1)
        yield emulator
    finally:
        emulator.admin.close()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if sync_api is None:
        pytest.skip("needs Playwright: pip install -e '.[ui]'")
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium chromium-driver)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, emulator: Emulator, request: pytest.FixtureRequest) -> Iterator[Any]:
    emulator.reset()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.problems = problems
    try:
        yield page
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        finally:
            context.close()
    assert problems == [], problems


def assert_no_horizontal_scroll(page: Any) -> None:
    """At 1280 px the page never scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the page is {width} px wide"
