"""The command line: a warning naming the risk when binding to a non-loopback address, the
--admin-token flag and its environment twin, and the new numeric settings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest

from emulator.cli import SettingError, exposure_warning, settings_from
from emulator.settings import Settings


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "devbox.lan"])
def test_a_non_loopback_bind_is_warned_about(host: str) -> None:
    warning = exposure_warning(Settings(host=host))
    assert warning.startswith(f"im-emulator: warning: listening on {host}")
    assert "/_emulator/*" in warning and "--admin-token" in warning
    protected = exposure_warning(Settings(host=host, admin_token="t"))
    assert "needs the --admin-token bearer token" in protected


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_a_loopback_bind_is_not_warned_about(host: str) -> None:
    assert exposure_warning(Settings(host=host)) == ""


def test_the_new_settings_have_flags_and_twins() -> None:
    settings = settings_from(["--max-body-bytes", "2048", "--head-timeout", "2.5"],
                             {"IM_EMULATOR_ADMIN_TOKEN": "s3cret",
                              "IM_EMULATOR_BODY_TIMEOUT": "7",
                              "IM_EMULATOR_MAX_SEED_BODY_BYTES": "4096",
                              "IM_EMULATOR_ADMIN_HOSTS": "emulator",
                              "IM_EMULATOR_MAX_CONNECTIONS": "50"})
    assert (settings.max_body_bytes, settings.head_timeout, settings.admin_token,
            settings.body_timeout, settings.max_seed_body_bytes, settings.admin_hosts,
            settings.max_connections) == (2048, 2.5, "s3cret", 7.0, 4096, "emulator", 50)
    defaults = Settings()
    assert (defaults.max_body_bytes, defaults.max_seed_body_bytes, defaults.head_timeout,
            defaults.body_timeout, defaults.admin_token) == (1_048_576, 67_108_864, 10.0, 30.0,
                                                             "")


@pytest.mark.parametrize("argv", [["--head-timeout", "nan"], ["--body-timeout", "inf"],
                                  ["--head-timeout", "0"], ["--max-body-bytes", "0"],
                                  ["--head-timeout", "x"]])
def test_bad_values_are_refused(argv: list[str]) -> None:
    with pytest.raises(SettingError):
        settings_from(argv, {})


def test_the_cli_warns_and_protects_the_admin_api() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--host", "0.0.0.0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "IM_EMULATOR_ADMIN_TOKEN": "s3cret"})
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        port = line.strip().rsplit(":", 1)[-1]
        url = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}/_emulator/health", timeout=5).status_code == 401
        ok = httpx.get(f"{url}/_emulator/health", timeout=5,
                       headers={"Authorization": "Bearer s3cret"})
        assert ok.json() == {"status": "ok"}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    err = process.stderr.read() if process.stderr else ""
    assert "warning: listening on 0.0.0.0" in err
    assert "needs the --admin-token bearer token" in err
    assert "s3cret" not in err
