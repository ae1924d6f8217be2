"""The fast paths for plain groups (only the common keys, every value valid) and for member
lists of plain members read a fixture exactly as the full checks do: the same groups,
memberships and users for every valid group, and the same error, worded the same, for every
invalid one."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.store import FixtureError, parse_fixture
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
    "members": st.sampled_from([
        [], ["ben"], ["ben", "cat"], [{"id": "cat", "joinTime": 9}], "ben", ["ann"],
        ["ben", {"id": "cat"}], [{"id": "cat", "joinTime": -1}], [{"id": "cat", "joinTime": True}],
        [{"id": ""}], [""], [None], [7], [{"id": "cat", "msgFlag": "Discard"}],
        [{"id": "cat", "unread": 2}], [{"id": "cat", "joinTime": 9, "x": 1}], ["ben", "ben"],
        [{"joinTime": 3}], ["zed"], [{"id": "cat", "joinTime": 1.5}], {"id": "ben"}, None]),
    "admins": st.sampled_from([[], ["cat"], None]),
    "faceURL": st.sampled_from(["http://x/y.png"]),
}
REQUIRED = ("id", "name", "type", "owner")


def _parse(group: dict[str, Any], *, fast: bool, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[Any, ...] | str:
    """The fixture read with or without the fast paths: its users, groups and every
    membership in order (the owner, the admins, the members), or the error."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(_Reader, "plain_group", lambda self, raw: None)
            patch.setattr(_Reader, "plain_members", staticmethod(lambda *args: None))
        try:
            data = parse_fixture({"users": [{"id": u} for u in USERS], "groups": [group]},
                                 source="f.json", now_ms=1_650_000_000_000)
        except FixtureError as exc:
            return str(exc)
    if not fast:
        assert data.plain_member_rows == []
    return data.users, data.groups, data.all_membership_rows()


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


def test_a_plain_member_list_is_kept_narrow_and_widened_on_demand() -> None:
    data = parse_fixture({"users": [{"id": u} for u in USERS], "groups": [
        {"id": "g1", "name": "G", "type": "work", "owner": "ann", "admins": ["cat"],
         "members": ["ben"]},
        {"id": "g2", "name": "H", "type": "work", "owner": "ann", "createTime": 9,
         "members": [{"id": "ben", "joinTime": 5}, {"id": "cat", "msgFlag": "Discard"}]},
    ]}, source="f.json", now_ms=1000)
    assert data.plain_member_rows == [("g1", "ben", 1000)]
    assert data.membership_rows == [
        ("g1", "ann", "owner", 1000, "AcceptAndNotify", 0),
        ("g1", "cat", "admin", 1000, "AcceptAndNotify", 0),
        ("g2", "ann", "owner", 9, "AcceptAndNotify", 0),
        ("g2", "ben", "member", 5, "AcceptAndNotify", 0),
        ("g2", "cat", "member", 9, "Discard", 0)]
    assert data.all_membership_rows()[-1] == ("g1", "ben", "member", 1000, "AcceptAndNotify", 0)
    assert [g.member_count for g in data.groups] == [3, 3]
    assert data.user_ids_named() == {"ann", "ben", "cat"}
