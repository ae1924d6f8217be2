"""Fixture loading: every error names the file, the entry and the field; the defaults and roles;
the fast path and the full validator give the same store (same snapshot) for any group and the
same error, worded the same, for any invalid one; and a template built from a fixture holds
every row and column as parsed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.settings import DEFAULT_FIXTURES
from emulator.store import (FixtureError, GroupStore, Snapshot, load_fixture_file, open_template,
                            parse_fixture)

GENERATOR = Path(__file__).resolve().parents[2] / "fixtures" / "generate.py"

NOW = 1_700_000_000_000


def parse(raw: Any) -> Any:
    return parse_fixture(raw, source="x.json", now_ms=NOW)


def error_of(raw: Any) -> str:
    with pytest.raises(FixtureError) as caught:
        parse(raw)
    return str(caught.value)


USERS = [{"id": "alice"}, {"id": "bob"}]
G = {"id": "g", "name": "G", "type": "work", "owner": "alice"}


@pytest.mark.parametrize(("raw", "message"), [
    ([], "x.json: a fixture must be a JSON object, not a list"),
    ({"users": [], "extra": 1}, "x.json: extra: unknown key 'extra' (allowed: groups, messages, users)"),
    ({"users": {}}, "x.json: users: must be a list, not an object"),
    ({"users": [{"name": "x"}]}, "x.json: users[0].id: is required"),
    ({"users": [{"id": ""}]}, "x.json: users[0].id: must not be empty"),
    ({"users": [{"id": 5}]}, "x.json: users[0].id: must be a string, not a number"),
    ({"users": [{"id": "a", "nick": "x"}]},
     "x.json: users[0].nick: unknown key 'nick' (allowed: createTime, ex, faceURL, id, name)"),
    ({"users": [{"id": "a"}, {"id": "a"}]},
     "x.json: users[1].id: user 'a' is already defined at users[0]"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "zed"}]},
     "x.json: groups[0].owner: user 'zed' is not defined"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "club", "owner": "alice"}]},
     "x.json: groups[0].type: 'club' is not one of work, public, meeting, avchatroom, community"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "status": "gone"}]},
     "x.json: groups[0].status: 'gone' is not one of normal, muted, dismissed"),
    ({"users": USERS, "groups": [{"id": "g", "type": "work", "owner": "alice"}]},
     "x.json: groups[0].name: is required"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "members": ["bob", "carl"]}]},
     "x.json: groups[0].members[1]: user 'carl' is not defined"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "admins": ["bob"], "members": [{"id": "bob"}]}]},
     "x.json: groups[0].members[0]: user 'bob' is already in the group as admin"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "members": ["alice"]}]},
     "x.json: groups[0].members[0]: user 'alice' is already in the group as owner"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "members": [{"id": "bob", "joinTime": "soon"}]}]},
     "x.json: groups[0].members[0].joinTime: must be an integer, not a string"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "members": [{"id": "bob", "role": "admin"}]}]},
     "x.json: groups[0].members[0].role: unknown key 'role' (allowed: ex, faceURL, id, joinTime, msgFlag, muteUntil, nickname, unread)"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "activated": 1}]},
     "x.json: groups[0].activated: must be true or false, not a number"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "public", "owner": "alice",
                                  "activated": False}]},
     "x.json: groups[0].activated: only work groups can be not activated"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice"},
                                 {"id": "g", "name": "H", "type": "work", "owner": "bob"}]},
     "x.json: groups[1].id: group 'g' is already defined at groups[0]"),
    ({"users": USERS, "groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                                  "maxMembers": -1}]},
     "x.json: groups[0].maxMembers: must not be negative"),
    ({"users": USERS, "groups": [{**G, "attributes": {"k": 1}}]},
     "x.json: groups[0].attributes.k: must be a string, not a number"),
    ({"users": USERS, "groups": [{**G, "attributes": ["k"]}]},
     "x.json: groups[0].attributes: must be an object, not a list"),
    ({"users": USERS, "groups": [{**G, "whitelist": ["bob", "zed"]}]},
     "x.json: groups[0].whitelist[1]: user 'zed' is not defined"),
    ({"users": USERS, "groups": [{**G, "muteAllUntil": "soon"}]},
     "x.json: groups[0].muteAllUntil: must be an integer, not a string"),
    ({"users": USERS, "groups": [{**G, "members": [{"id": "bob", "muteUntil": -5}]}]},
     "x.json: groups[0].members[0].muteUntil: must not be negative"),
    ({"users": USERS, "groups": [{**G, "members": [{"id": "bob", "nickname": 5}]}]},
     "x.json: groups[0].members[0].nickname: must be a string, not a number"),
    ({"users": USERS, "groups": [G], "messages": {}},
     "x.json: messages: must be a list, not an object"),
    ({"users": USERS, "groups": [G], "messages": [{"group": "h", "sender": "bob", "body": 1}]},
     "x.json: messages[0].group: group 'h' is not defined"),
    ({"users": USERS, "groups": [G], "messages": [{"group": "g", "sender": "bob"}]},
     "x.json: messages[0].body: is required"),
    ({"users": USERS, "groups": [G], "messages": [{"group": "g", "sender": "", "body": 1}]},
     "x.json: messages[0].sender: must not be empty"),
    ({"users": USERS, "groups": [G], "messages": [{"group": "g", "sender": "b", "body": 1,
                                                   "seq": 1}]},
     "x.json: messages[0].seq: unknown key 'seq' (allowed: body, group, sender, time, type)"),
])
def test_errors_name_file_entry_and_field(raw: Any, message: str) -> None:
    assert error_of(raw) == message


def test_new_keys_and_message_numbering() -> None:
    data = parse({"users": USERS, "groups": [
        {**G, "muteAllUntil": 5, "attributes": {"a": "1"}, "whitelist": ["bob", "bob"],
         "members": [{"id": "bob", "nickname": "B", "muteUntil": 9}]},
        {**G, "id": "h", "nextMsgSeq": 7}],
        "messages": [{"group": "h", "sender": "x", "time": 5_000, "body": "a"},
                     {"group": "g", "sender": "bob", "body": {"t": 1}, "type": "custom"},
                     {"group": "h", "sender": "x", "time": 2_000, "body": "b"}]})
    g, h = data.groups
    assert (g.mute_all, g.mute_all_until_ms) == (True, 5)
    assert data.attributes == [("g", "a", "1")] and data.whitelist == [("g", "bob")]
    assert [m for m in data.memberships if m.user_id == "bob"][0].nickname == "B"
    assert [(m[0], m[1], m[2]) for m in data.messages] == [("h", 7, 5_000), ("g", 1, NOW),
                                                            ("h", 8, 2_000)]
    assert (g.next_msg_seq, h.next_msg_seq, h.last_msg_time) == (2, 9, 5)


def test_defaults_and_roles() -> None:
    data = parse({"users": USERS + [{"id": "carol"}],
                  "groups": [{"id": "g", "name": "G", "type": "public", "owner": "alice",
                              "admins": ["bob"], "members": [{"id": "carol", "joinTime": 5}]}]})
    group = data.groups[0]
    assert (group.status, group.activated, group.create_time_ms, group.member_count) == (
        "normal", True, NOW, 3)
    assert [(m.user_id, m.role, m.join_time_ms) for m in data.memberships] == [
        ("alice", "owner", NOW), ("bob", "admin", NOW), ("carol", "member", 5)]
    assert data.users[0].created_at == NOW


def test_seed_may_name_users_that_exist_elsewhere() -> None:
    raw = {"groups": [{"id": "g", "name": "G", "type": "work", "owner": "old"}]}
    data = parse_fixture(raw, source="seed", now_ms=NOW, known_users=lambda ids: {"old"})
    assert data.groups[0].owner == "old"


def test_file_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{\"users\": [", encoding="utf-8")
    with pytest.raises(FixtureError, match=r"broken.json: not valid JSON: Expecting value"):
        load_fixture_file(broken, now_ms=NOW)
    with pytest.raises(FixtureError, match="cannot read the file"):
        load_fixture_file(tmp_path / "missing.json", now_ms=NOW)


def test_default_fixture_is_realistic() -> None:
    data = load_fixture_file(DEFAULT_FIXTURES, now_ms=NOW)
    assert len(data.users) >= 40 and len(data.groups) >= 30
    assert {g.type for g in data.groups} == {"work", "public", "meeting", "avchatroom", "community"}
    assert {g.status for g in data.groups} == {"normal", "muted", "dismissed"}
    assert any(not g.activated and g.type == "work" for g in data.groups)
    assert {m.role for m in data.memberships} == {"owner", "admin", "member"}
    assert any(not u.name.isascii() for u in data.users)
    per_user: dict[str, int] = {}
    for member in data.memberships:
        per_user[member.user_id] = per_user.get(member.user_id, 0) + 1
    assert max(per_user.values()) >= 250


def test_generator_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        subprocess.run([sys.executable, str(GENERATOR), "--users",
                        "50", "--groups", "40", "--memberships", "300", "--seed", "3", "--out",
                        str(out)], check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    data = load_fixture_file(tmp_path / "a.json", now_ms=NOW)
    assert (len(data.users), len(data.groups), len(data.memberships)) == (50, 40, 300)
    assert json.loads(outputs[0])["groups"][0]["id"] == "g0"


# ---- the fast path and the full validator agree ------------------------------------------

FAST_USERS = ["ann", "ben", "cat"]
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
        [{"joinTime": 3}], ["zed"], [{"id": "cat", "joinTime": 1.5}], {"id": "ben"}, None,
        [{"id": "cat", "nickname": "C", "faceURL": "f", "ex": "e", "muteUntil": 5}],
        [{"id": "cat", "muteUntil": -1}], [{"id": "cat", "nickname": 3}]]),
    "admins": st.sampled_from([[], ["cat"], None]),
    "faceURL": st.sampled_from(["http://x/y.png"]),
    "attributes": st.sampled_from([{}, {"k": "v"}, {"k": 1}, ["k"], None]),
    "muteAllUntil": st.sampled_from([0, 1_700_000_000_000, -1, "1"]),
    "whitelist": st.sampled_from([[], ["cat"], ["zed"], [""], "cat"]),
}
REQUIRED = ("id", "name", "type", "owner")


@st.composite
def groups(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.sets(st.sampled_from(sorted(VALUES))))
    keys |= set(draw(st.sets(st.sampled_from(REQUIRED), min_size=3)))
    return {key: draw(VALUES[key]) for key in sorted(keys)}


def _snapshot(data: Any) -> Snapshot:
    async def read() -> Snapshot:
        store = GroupStore()
        await store.open()
        try:
            await store.restore(open_template(data))
            return await store.snapshot()
        finally:
            await store.close()
    return anyio.run(read)


def _load(group: dict[str, Any], *, fast: bool) -> tuple[Any, Snapshot] | str:
    """The fixture (FAST_USERS and ``group``) parsed with or without the fast path, and the
    store built from it; or the error."""
    try:
        data = parse_fixture({"users": [{"id": u} for u in FAST_USERS], "groups": [group],
                              "messages": [{"group": "g1", "sender": "ann", "body": {"t": 1}}]},
                             source="f.json", now_ms=1_650_000_000_000, fast=fast)
    except FixtureError as exc:
        return str(exc)
    return data, _snapshot(data)


@given(group=groups())
def test_fast_path_and_full_validator_agree(group: dict[str, Any]) -> None:
    assert _load(group, fast=True) == _load(group, fast=False)


def test_a_plain_group_gets_the_full_defaults() -> None:
    for fast in (True, False):
        data = parse_fixture({"users": [{"id": u} for u in FAST_USERS], "groups": [
            {"id": "g1", "name": "G", "type": "work", "owner": "ann", "admins": ["cat"],
             "members": ["ben"]},
            {"id": "g2", "name": "H", "type": "work", "owner": "ann", "createTime": 9,
             "members": [{"id": "ben", "joinTime": 5}, {"id": "cat", "msgFlag": "Discard"}]},
        ]}, source="f.json", now_ms=1_650_000_000_000, fast=fast)
        group = data.groups[0]
        assert (group.create_time_ms, group.last_info_time, group.next_msg_seq, group.status,
                group.activated, group.apply_join_option, group.max_members) == (
            1_650_000_000_000, 1_650_000_000, 1, "normal", True, "NeedPermission", 2000)
        assert data.membership_rows == [
            ("g1", "ann", "owner", 1_650_000_000_000, "AcceptAndNotify", 0),
            ("g1", "cat", "admin", 1_650_000_000_000, "AcceptAndNotify", 0),
            ("g1", "ben", "member", 1_650_000_000_000, "AcceptAndNotify", 0),
            ("g2", "ann", "owner", 9, "AcceptAndNotify", 0),
            ("g2", "ben", "member", 5, "AcceptAndNotify", 0),
            ("g2", "cat", "member", 9, "Discard", 0)]
        assert [g.member_count for g in data.groups] == [3, 3]


# ---- a template holds the fixture as parsed --------------------------------------------------

@pytest.mark.parametrize("count", [0, 1, 99, 100, 101, 250, 300])
def test_every_membership_lands_once(count: int) -> None:
    fixture = {"users": [{"id": f"u{i}"} for i in range(count + 1)],
               "groups": [{"id": "g", "name": "G", "type": "work", "owner": f"u{count}",
                           "members": [{"id": f"u{i}", "joinTime": i, "unread": i % 3}
                                       for i in range(count)]}]}
    data = parse_fixture(fixture, source="t", now_ms=1000)
    stored = _snapshot(data).memberships
    assert sorted(stored, key=lambda m: m.user_id) == sorted(data.memberships,
                                                             key=lambda m: m.user_id)
    assert len(stored) == count + 1


def test_a_template_holds_the_fixture_as_parsed() -> None:
    fixture = {"users": [{"id": f"u{i}"} for i in range(30)],
               "groups": [{"id": f"g{g}", "name": f"G{g}", "type": "work", "owner": "u0",
                           "members": [f"u{i}" for i in range(1, 1 + g % 29)]
                           + ([{"id": "u29", "joinTime": 7, "msgFlag": "Discard", "unread": 2}]
                              if g % 2 else [])}
                          for g in range(150)]}
    data = parse_fixture(fixture, source="t", now_ms=1000)
    snapshot = _snapshot(data)
    key = lambda m: (m.group_id, m.user_id)  # noqa: E731
    assert snapshot.memberships == sorted(data.memberships, key=key)
    assert len(snapshot.groups) == 150
    assert [m.msg_flag for m in data.memberships if m.user_id == "u29"] == ["Discard"] * 75


@pytest.mark.parametrize("extra", [
    {}, {"creator": "ben"}, {"introduction": "hi"}, {"notification": "n"}, {"faceURL": "f"},
    {"ex": "x"}, {"needVerification": 1}, {"lookMemberInfo": 1}, {"applyMemberFriend": 1},
    {"applyJoinOption": "FreeAccess"}, {"maxMembers": 9}, {"muteAll": True},
    {"lastMsgTime": 5}, {"nextMsgSeq": 0}, {"notificationUpdateTime": 3},
    {"notificationUserID": "ann"}, {"lastInfoTime": 0}])
def test_a_template_holds_every_group_column_as_parsed(extra: dict[str, object]) -> None:
    fixture = {"users": [{"id": "ann"}, {"id": "ben"}],
               "groups": [{"id": f"g{i}", "name": f"G{i}", "type": "work", "owner": "ann",
                           "createTime": 1_700_000_000_000 + i, **(extra if i % 2 else {})}
                          for i in range(5)]}
    data = parse_fixture(fixture, source="t", now_ms=1000)
    assert _snapshot(data).groups == sorted(data.groups, key=lambda group: group.id)
