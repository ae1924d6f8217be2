"""The py-spy report of ``bench.spy``: each emulator frame's share of the samples whose stack
passes through it (a frame seen twice in one stack counts once), other files left out."""

from __future__ import annotations

from bench.spy import shares

PREFIX = "/repo/emulator/"
RAW = """\
main (/repo/emulator/cli.py:9);handle (/repo/emulator/edge.py:84);read (/repo/.venv/x.py:1) 6
main (/repo/emulator/cli.py:9);handle (/repo/emulator/edge.py:84);handle (/repo/emulator/edge.py:84) 3
idle (/usr/lib/python3.11/selectors.py:468) 1

"""


def test_shares_count_each_stack_once_per_frame() -> None:
    total, rows = shares(RAW, PREFIX)
    assert total == 10
    assert rows == [(90.0, "handle (edge.py:84)"), (90.0, "main (cli.py:9)")]


def test_no_samples_gives_no_rows() -> None:
    assert shares("", PREFIX) == (0, [])
