"""The wheel is whole: built from this tree and installed into a fresh virtualenv in a temporary
folder, it serves from any other folder (`im-emulator --version`, `python -m emulator --port 0`
with its bundled fixture), and a pytest project that only installed it uses `im_emulator` and
`im_emulator_server` with no fixture file of its own, and its own file through the marker.

Offline and quick: the wheel is built without build isolation (setuptools comes with the test
extra), installed with --no-deps, and the virtualenv finds the dependencies in this environment's
site-packages through a .pth file (whose own .pth files, such as an editable install of this
project, are not run), so what it imports of im-emulator comes from the wheel alone. One test
does every check, so the wheel and the virtualenv are made once.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import site
import subprocess
import sys
import sysconfig
import threading
import zipfile
from pathlib import Path

import httpx

from emulator.version import __version__

ROOT = Path(__file__).resolve().parents[2]
NOT_BUILT = ("tests", "bench", ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
             ".hypothesis", ".pytest_cache")
START_LINE = re.compile(r"^im-emulator listening on http://127\.0\.0\.1:(\d+)$")

PROJECT_TEST = '''
import emulator
import httpx
import pytest

VENV = {venv!r}


def test_the_plugin_comes_from_the_wheel():
    assert emulator.__file__.startswith(VENV), emulator.__file__


@pytest.mark.anyio
async def test_in_process_on_the_bundled_fixture(im_emulator):
    state = (await im_emulator.client.get("/_emulator/state")).json()
    assert "g-hiking" in [group["id"] for group in state["groups"]]


def test_server_on_the_bundled_fixture(im_emulator_server):
    state = im_emulator_server.admin.get("/_emulator/state").json()
    assert "g-hiking" in [group["id"] for group in state["groups"]]


@pytest.mark.im_emulator_fixtures("own.json")
@pytest.mark.anyio
async def test_own_fixture_file(im_emulator):
    state = (await im_emulator.client.get("/_emulator/state")).json()
    assert [group["id"] for group in state["groups"]] == ["g-own"]
'''
OWN_FIXTURE = ('{"users": [{"id": "owner", "name": "Owner"}], "groups": [{"id": "g-own", '
               '"name": "Own", "type": "work", "owner": "owner"}]}')


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 60) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, (args, done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


def _build_wheel(tmp: Path, env: dict[str, str]) -> Path:
    source = tmp / "im-emulator"  # a copy, so the build leaves nothing in the work tree
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_BUILT))
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
          "-w", str(tmp / "dist"), str(source)], tmp, env, timeout=120)
    (wheel,) = (tmp / "dist").glob("im_emulator-*.whl")
    return wheel


def _venv(tmp: Path, wheel: Path, env: dict[str, str]) -> Path:
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp, env)
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        tmp, env).strip())
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib"), *site.getsitepackages()}
    (purelib / "_im_emulator_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
          str(wheel)], tmp, env)
    return venv


def _serve_once(python: Path, cwd: Path, env: dict[str, str]) -> str:
    """`python -m emulator --port 0`: the start line, ready, SIGTERM exits 0; the banner."""
    process = subprocess.Popen([str(python), "-m", "emulator", "--port", "0"], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    try:
        assert process.stdout is not None
        line = process.stdout.readline().rstrip("\n")
        match = START_LINE.match(line)
        assert match, (line, process.stderr.read() if process.stderr else "")
        ready = httpx.get(f"http://127.0.0.1:{match[1]}/_emulator/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.stderr.read() if process.stderr else ""


def test_the_installed_wheel_works_from_any_folder(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTEST_ADDOPTS")
           and not key.startswith(("IM_EMULATOR_", "PYTEST_XDIST", "COV_CORE"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    wheel = _build_wheel(tmp_path, env)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(f"im_emulator-{__version__}.dist-info/METADATA").decode()
    assert "emulator/data/default.json" in names and "emulator/py.typed" in names, names
    assert "emulator/intercept/__init__.py" in names, names  # subpackages are found too
    assert re.search(r"^Requires-Dist: uvicorn\[standard\]", metadata, re.MULTILINE), metadata

    venv = _venv(tmp_path, wheel, env)
    python, im_emulator = venv / "bin" / "python", venv / "bin" / "im-emulator"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _run([str(im_emulator), "--version"], elsewhere, env).strip() == f"im-emulator {__version__}"

    banner = _serve_once(python, elsewhere, env)
    fixture = re.search(r"on fixtures (\S+?);", banner)
    assert fixture and Path(fixture[1]).is_relative_to(venv), banner
    assert "Traceback" not in banner, banner

    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\n")
    (project / "own.json").write_text(OWN_FIXTURE)
    (project / "test_uses_the_emulator.py").write_text(PROJECT_TEST.format(venv=str(venv)))
    out = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
               project, env, timeout=120)
    assert re.search(r"^4 passed", out, re.MULTILINE), out
