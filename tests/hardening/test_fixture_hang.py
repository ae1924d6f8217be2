"""A fixture error fails the test and never hangs the run: pytest, in a subprocess with its
output to a pipe (as in CI), with a missing or broken fixture file for each fixture, exits within
seconds."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

TESTS = '''
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.im_emulator_fixtures("broken.json")
async def test_in_process_broken(im_emulator):
    pass


@pytest.mark.im_emulator_fixtures("missing.json")
async def test_in_process_missing(im_emulator):
    pass


@pytest.mark.im_emulator_fixtures("invalid.json")
async def test_in_process_invalid(im_emulator):
    pass


@pytest.mark.im_emulator_fixtures("broken.json")
def test_server_broken(im_emulator_server):
    pass


def test_server_fine(im_emulator_server):
    assert im_emulator_server.admin.get("/_emulator/health").status_code == 200
'''


@pytest.mark.parametrize("select", ["in_process", "server", ""])
def test_a_broken_fixture_file_does_not_hang_pytest(tmp_path: Path, select: str) -> None:
    (tmp_path / "broken.json").write_text('{"users": [', encoding="utf-8")
    (tmp_path / "invalid.json").write_text('{"groups": [{"id": "g"}]}', encoding="utf-8")
    (tmp_path / "test_broken.py").write_text(TESTS, encoding="utf-8")
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
            "-q", str(tmp_path / "test_broken.py"), "--rootdir", str(tmp_path)]
    if select:
        args += ["-k", select]
    began = time.monotonic()
    done = subprocess.run(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, timeout=30, text=True)
    assert time.monotonic() - began < 20
    assert done.returncode == 1, done.stdout
    if select != "server":
        assert "3 error" in done.stdout or "errors" in done.stdout, done.stdout
    assert "test_server_fine" not in done.stdout or "1 passed" in done.stdout
