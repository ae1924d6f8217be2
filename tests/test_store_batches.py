"""Bulk inserts of a fixture's rows, a hundred rows to a statement: every row lands exactly once
whatever the count (none, fewer than a batch, whole batches, batches and a remainder)."""

from __future__ import annotations

import sqlite3

import pytest

from emulator.store import open_template, parse_fixture, schema


@pytest.mark.parametrize("count", [0, 1, 99, 100, 101, 250, 300])
def test_every_row_lands_once(count: int) -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema.SCHEMA)
    rows = [(f"g{i}", f"u{i}", "member", i, "AcceptAndNotify", i % 3, "normal", "work", i % 2,
             f"G{i}", 1000 + i)
            for i in range(count)]
    schema.insert_in_batches(conn, "memberships", schema.MEMBERSHIP_ROW_COLUMNS, iter(rows))
    stored = conn.execute(f"SELECT {', '.join(schema.MEMBERSHIP_ROW_COLUMNS)} FROM memberships "
                          "ORDER BY join_time_ms").fetchall()
    assert stored == rows


def test_a_template_holds_the_fixture_as_parsed() -> None:
    fixture = {"users": [{"id": f"u{i}"} for i in range(30)],
               "groups": [{"id": f"g{g}", "name": f"G{g}", "type": "work", "owner": "u0",
                           "members": [f"u{i}" for i in range(1, 1 + g % 29)]
                           + ([{"id": "u29", "joinTime": 7, "msgFlag": "Discard", "unread": 2}]
                              if g % 2 else [])}
                          for g in range(150)]}
    data = parse_fixture(fixture, source="t", now_ms=1000)
    conn = open_template(data)
    stored = conn.execute(f"SELECT {', '.join(schema.MEMBERSHIP_COLUMNS)} FROM memberships "
                          "ORDER BY group_id, user_id").fetchall()
    assert stored == sorted(data.all_membership_rows())
    assert conn.execute("SELECT COUNT(*) FROM groups").fetchone() == (150,)
    assert [m.msg_flag for m in data.memberships if m.user_id == "u29"] == ["Discard"] * 75


def test_the_declared_group_defaults_are_the_ones_plain_groups_rely_on() -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema.SCHEMA)
    declared = {row[1]: row[4] for row in conn.execute("PRAGMA table_info(groups)")}
    for name, value in schema.GROUP_COLUMN_DEFAULTS.items():
        assert conn.execute(f"SELECT {declared[name]}").fetchone()[0] == value, name
    assert {name for name, default in declared.items() if default is not None} == set(
        schema.GROUP_COLUMN_DEFAULTS)


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
    conn = open_template(data)
    stored = [schema.group_from_row(row) for row in conn.execute(
        f"SELECT {', '.join(schema.GROUP_COLUMNS)} FROM groups ORDER BY id")]
    assert stored == sorted(data.groups, key=lambda group: group.id)
