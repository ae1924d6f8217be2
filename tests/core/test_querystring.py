"""``parse_query`` splits every query string exactly as ``parse_qsl(text,
keep_blank_values=True)`` does, on its fast path and off it."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.querystring import parse_query

PIECES = st.sampled_from(["a", "b", "=", "&", "%", "%41", "%zz", "+", " ", ";", "é", "Action",
                          "Signature", "0", ""])


@given(text=st.lists(PIECES, max_size=12).map("".join))
def test_agrees_with_parse_qsl_on_pieces_of_queries(text: str) -> None:
    assert parse_query(text) == parse_qsl(text, keep_blank_values=True)


@given(text=st.text(max_size=40))
def test_agrees_with_parse_qsl_on_any_text(text: str) -> None:
    assert parse_query(text) == parse_qsl(text, keep_blank_values=True)


@pytest.mark.parametrize(("text", "pairs"), [
    ("", []),
    ("a=1&&b", [("a", "1"), ("b", "")]),
    ("a==1&=x", [("a", "=1"), ("", "x")]),
    ("Action=Q&AppId=1&Action=R", [("Action", "Q"), ("AppId", "1"), ("Action", "R")]),
    ("a=%41+b", [("a", "A b")]),
])
def test_examples(text: str, pairs: list[tuple[str, str]]) -> None:
    assert parse_query(text) == pairs
