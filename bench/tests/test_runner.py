"""The bench's runner and tools: the wrk scripts it writes, the table, and what it does when a
tool is missing (names the Debian package, skips the section, exits 1 when nothing ran;
never installs anything)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import __main__ as runner
from bench import servers
from bench.report import Missing, Row, Table, summarize
from bench.servers import Tree, lua_script
from bench.workload import FixedRequest, RotatingRequest


def test_a_fixed_script_sets_method_headers_and_body() -> None:
    script = lua_script(FixedRequest("POST", "/p", {"A": "b"}, b'{"x":"]]"}'))
    assert script == ('wrk.method = [=[POST]=]\nwrk.headers[ [=[A]=] ] = [=[b]=]\n'
                      'wrk.body = [=[{"x":"]]"}]=]\n')


def test_a_rotating_script_sends_each_body_in_turn_with_its_own_length() -> None:
    script = lua_script(RotatingRequest("POST", "/p", {}, (b"one", b"two")))
    assert "  [=[one]=],\n  [=[two]=],\n" in script
    assert 'wrk.headers["Content-Length"] = nil' in script
    assert "return wrk.format(nil, nil, nil, bodies[next_body])" in script


def test_the_table_has_one_line_per_row_and_notes_skipped_sections() -> None:
    table = Table()
    table.add(Row("P2", "a", "1 ms", "", "1.00x", "<= 2 ms", "PASS"))
    table.skipped["P1"] = "wrk is not installed"
    lines = table.markdown().splitlines()
    assert lines[2] == "| P2 | a | 1 ms |  | 1.00x | <= 2 ms | PASS |"
    assert lines[-1] == "- P1 not run: wrk is not installed"


def test_a_summary_is_the_median_and_spread() -> None:
    got = summarize([3.0, 1.0, 2.0])
    assert (got.median, got.low, got.high, got.count, got.spread_pct) == (2.0, 1.0, 3.0, 3, 100)


def test_missing_wrk_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(Missing, match=r"Debian package `wrk`"):
        servers.find_wrk()


def test_nothing_run_is_exit_1_and_writes_nothing(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(runner, "RESULTS", tmp_path / "RESULTS.md")
    assert runner.main(["--only", "P1", "--write"]) == 1
    assert "P1 not run: wrk is not installed" in capsys.readouterr().out
    assert not (tmp_path / "RESULTS.md").exists()


def test_the_generated_block_is_replaced_and_the_analysis_kept(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# R\n{runner.START_MARK}\nold\n{runner.END_MARK}\n## Analysis\n")
    monkeypatch.setattr(runner, "RESULTS", results)
    runner._write("new")
    assert results.read_text() == f"# R\n{runner.START_MARK}\nnew\n{runner.END_MARK}\n## Analysis\n"


def test_a_checkout_to_compare_needs_its_venv(tmp_path: Path) -> None:
    (tmp_path / "emulator").mkdir()
    with pytest.raises(Missing, match=r"make -C .* \.venv/\.installed"):
        Tree.at(tmp_path)
    with pytest.raises(Missing, match="not a checkout"):
        Tree.at(tmp_path / "emulator")
