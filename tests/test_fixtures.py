"""Fixture validation: every error names the file, the entry and the field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from emulator.settings import DEFAULT_FIXTURES
from emulator.store import FixtureError, load_fixture_file, parse_fixture

NOW = 1_700_000_000_000


def parse(raw: Any) -> Any:
    return parse_fixture(raw, source="x.json", now_ms=NOW)


def error_of(raw: Any) -> str:
    with pytest.raises(FixtureError) as caught:
        parse(raw)
    return str(caught.value)


USERS = [{"id": "alice"}, {"id": "bob"}]


@pytest.mark.parametrize(("raw", "message"), [
    ([], "x.json: a fixture must be a JSON object, not a list"),
    ({"users": [], "extra": 1}, "x.json: extra: unknown key 'extra' (allowed: groups, users)"),
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
     "x.json: groups[0].members[0].role: unknown key 'role' (allowed: id, joinTime, msgFlag, unread)"),
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
])
def test_errors_name_file_entry_and_field(raw: Any, message: str) -> None:
    assert error_of(raw) == message


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
        subprocess.run([sys.executable, str(DEFAULT_FIXTURES.parent / "generate.py"), "--users",
                        "50", "--groups", "40", "--memberships", "300", "--seed", "3", "--out",
                        str(out)], check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    data = load_fixture_file(tmp_path / "a.json", now_ms=NOW)
    assert (len(data.users), len(data.groups), len(data.memberships)) == (50, 40, 300)
    assert json.loads(outputs[0])["groups"][0]["id"] == "g0"
