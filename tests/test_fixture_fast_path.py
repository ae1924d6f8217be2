"""The fast path for plain groups (only the common keys, every value valid) reads a fixture
exactly as the full checks do: the same groups, memberships and users for every valid group,
and the same error, worded the same, for every invalid one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.store import FixtureData, FixtureError, parse_fixture
from emulator.store.fixtures import _Reader

USERS = ["ann", "ben", "cat"]
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.sampled_from(["g1", "", 7, None]),
    "name": st.sampled_from(["Group", "", 3, None, ["x"]]),
    "type": st.sampled_from(["work", "public", "meeting", "avchatroom", "community", "Work",
                             "", 1, None, ["work"]]),
    "owner": st.sampled_from(["ann", "", 5, None]),
    "createTime": st.sampled_from([0, 1, 1_700_000_123_456, -1, True, 1.5, "1", None]),
    "status": st.sampled_from(["normal", "muted", "dismissed", "gone", 0, None]),
    "activated": st.sampled_from([True, False, 1, 0, "true", None]),
    "members": st.sampled_from([[], ["ben"], ["ben", "cat"], [{"id": "cat", "joinTime": 9}],
                                "ben", ["ann"]]),
    "admins": st.sampled_from([[], ["cat"], None]),
    "faceURL": st.sampled_from(["http://x/y.png"]),
}
REQUIRED = ("id", "name", "type", "owner")


def _parse(group: dict[str, Any], *, fast: bool, monkeypatch: pytest.MonkeyPatch
           ) -> FixtureData | str:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(_Reader, "plain_group", lambda self, raw: None)
        try:
            return parse_fixture({"users": [{"id": u} for u in USERS], "groups": [group]},
                                 source="f.json", now_ms=1_650_000_000_000)
        except FixtureError as exc:
            return str(exc)


@st.composite
def groups(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.sets(st.sampled_from(sorted(VALUES))))
    keys |= set(draw(st.sets(st.sampled_from(REQUIRED), min_size=3)))
    return {key: draw(VALUES[key]) for key in sorted(keys)}


@given(group=groups())
def test_fast_and_full_paths_agree(group: dict[str, Any]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert (_parse(group, fast=True, monkeypatch=monkeypatch)
                == _parse(group, fast=False, monkeypatch=monkeypatch))


def test_a_plain_group_takes_the_fast_path_with_the_full_defaults() -> None:
    reader = _Reader("f.json", 1_650_000_000_000)
    group = reader.plain_group({"id": "g1", "name": "G", "type": "work", "owner": "ann",
                                "members": ["ben"]})
    assert group is not None
    assert (group.create_time_ms, group.last_info_time, group.next_msg_seq, group.status,
            group.activated, group.apply_join_option, group.max_members) == (
        1_650_000_000_000, 1_650_000_000, 1, "normal", True, "NeedPermission", 2000)
    assert reader.plain_group({"id": "g1", "name": "G", "type": "work", "owner": "ann",
                               "ex": ""}) is None
