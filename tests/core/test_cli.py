"""The command line as a user runs it: start line, health, SIGTERM, bad values, broken fixtures,
environment twins and a file store that survives restarts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from emulator.cli import SettingError, settings_from

START_LINE = "im-emulator listening on http://"


@contextmanager
def running(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, **(env or {})})
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(START_LINE), (line, process.stderr.read() if process.stderr else "")
        yield line.strip().split(" ")[-1], process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def test_start_health_and_sigterm() -> None:
    with running() as (url, process):
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/_emulator/health").json() == {"status": "ok"}
        state = httpx.get(f"{url}/_emulator/state").json()
        assert any(g["id"] == "g-hiking" for g in state["groups"])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert "Traceback" not in (process.stderr.read() if process.stderr else "")


def test_credentials_are_printed() -> None:
    with running() as (_, process):
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        err = process.stderr.read() if process.stderr else ""
    assert "openIM123" in err and "1234567890" in err and "test-app-key" in err
    assert "administrator" in err


def test_broken_fixture_exits_non_zero(tmp_path: Path) -> None:
    broken = tmp_path / "x.json"
    broken.write_text(json.dumps({"users": [{"id": "a"}], "groups": [
        {"id": "g1", "name": "G", "type": "work", "owner": "a"},
        {"id": "g2", "name": "G", "type": "work", "owner": "zed"}]}), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "emulator", "--port", "0", "--fixtures",
                             str(broken)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"{broken}: groups[1].owner: user 'zed' is not defined" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("args", "message"), [
    (["--port", "http"], "--port: 'http' is not an integer"),
    (["--port", "70000"], "--port: 70000 is above the maximum 65535"),
    (["--zego-rate-limit", "0"], "--zego-rate-limit: 0 is below the minimum 1"),
    (["--log-level", "loud"], "--log-level: 'loud' is not one of"),
])
def test_bad_values_abort(args: list[str], message: str) -> None:
    result = subprocess.run([sys.executable, "-m", "emulator", *args], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_env_twins_and_flags() -> None:
    settings = settings_from(["--no-rate-limits", "--tencent-admin", "a,b"],
                             {"IM_EMULATOR_PORT": "9001", "IM_EMULATOR_RATE_LIMITS": "on",
                              "IM_EMULATOR_DB": "/tmp/x.db"})
    assert (settings.port, settings.rate_limits, settings.tencent_admins) == (9001, False, ("a", "b"))
    assert str(settings.db) == "/tmp/x.db"
    assert settings_from([], {"IM_EMULATOR_RATE_LIMITS": "off"}).rate_limits is False
    assert settings_from(["--port", "1"], {"IM_EMULATOR_PORT": "2"}).port == 1
    with pytest.raises(SettingError, match="IM_EMULATOR_RATE_LIMITS: 'maybe' is not on/off"):
        settings_from([], {"IM_EMULATOR_RATE_LIMITS": "maybe"})


def test_env_twin_of_a_bad_value_aborts() -> None:
    result = subprocess.run([sys.executable, "-m", "emulator"], capture_output=True, text=True,
                            timeout=30, env={**os.environ, "IM_EMULATOR_PORT": "-1"})
    assert result.returncode == 2 and "IM_EMULATOR_PORT: -1 is below the minimum 0" in result.stderr


def test_file_store_survives_restart_and_reset(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    new_group = {"groups": [{"id": "g-kept", "name": "Kept", "type": "work", "owner": "alice"}]}
    with running("--db", str(db)) as (url, _):
        assert httpx.post(f"{url}/_emulator/seed", json=new_group).status_code == 200
    with running("--db", str(db)) as (url, _):
        state = httpx.get(f"{url}/_emulator/state").json()
        assert any(g["id"] == "g-kept" for g in state["groups"])
    with running("--db", str(db), "--reset") as (url, _):
        state = httpx.get(f"{url}/_emulator/state").json()
        assert not any(g["id"] == "g-kept" for g in state["groups"])
        assert any(g["id"] == "g-hiking" for g in state["groups"])
