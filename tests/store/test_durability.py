"""Durability of a file-backed store: it survives a reopen in WAL mode; a file of an older layout
is refused with a pointer to ``--reset`` (by ``check_file``, ``GroupStore.open`` and the CLI)
and rebuilt with it; and the ``im-emulator`` command (``--port 0 --db FILE --no-rate-limits``)
killed with SIGKILL in the middle of a concurrent write load over the four vendors' create APIs
keeps, after a restart on the same file, every acknowledged create, as the admin state and the
vendors' own read APIs show."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from emulator import cli
from emulator.signing import OpenIMAuth, RongCloudAuth, TencentAuth, ZegoAuth
from emulator.store import (Group, GroupStore, JoinedQuery, Membership, StoreError, check_file,
                            open_template, parse_fixture)
from tests.store.fixtures import THREE_USERS

pytestmark = pytest.mark.anyio

TINY = Path(__file__).parent.parent / "data" / "tiny.json"
START_LINE = "im-emulator listening on "
OWNER = "solo"
WORKERS = 24
KILL_AFTER = 200
VENDORS = ("openim", "zego", "rongcloud", "tencent")


@contextmanager
def emulator_process(db: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The CLI on a free port with a store file; yields its URL and the process."""
    with log.open("a", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "emulator", "--port", "0", "--db", str(db), "--fixtures",
             str(TINY), "--no-rate-limits", "--log-level", "warning"],
            stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(START_LINE), (line, log.read_text(encoding="utf-8"))
        yield line[len(START_LINE):].strip(), process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def create_request(vendor: str, group_id: str) -> dict[str, Any]:
    """The keywords of one create of ``group_id`` owned by ``OWNER`` through ``vendor``."""
    if vendor == "openim":
        return {"url": "/group/create_group", "json": {
            "groupInfo": {"groupID": group_id, "groupName": group_id, "groupType": 2},
            "ownerUserID": OWNER, "memberUserIDs": []}}
    if vendor == "zego":
        return {"url": "/", "params": {"Action": "CreateGroup"},
                "json": {"GroupId": group_id, "GroupName": group_id, "GroupOwner": OWNER}}
    if vendor == "rongcloud":
        return {"url": "/group/create.json",
                "data": {"userId": OWNER, "groupId": group_id, "groupName": group_id}}
    return {"url": "/v4/group_open_http_svc/create_group",
            "json": {"Owner_Account": OWNER, "Type": "Public", "Name": group_id,
                     "GroupId": group_id}}


def acknowledged(vendor: str, response: httpx.Response) -> bool:
    """True when the vendor's answer says the group was created."""
    body = response.json()
    if vendor == "openim":
        return bool(body["errCode"] == 0)
    if vendor == "zego":
        return bool(body["Code"] == 0)
    if vendor == "rongcloud":
        return bool(body["code"] == 200)
    return bool(body["ErrorCode"] == 0)


async def write_until_killed(url: str, process: subprocess.Popen[str]) -> set[str]:
    """Concurrent creates until KILL_AFTER are acknowledged, then SIGKILL with more in flight;
    the ids whose create was acknowledged."""
    acked: set[str] = set()
    numbers = itertools.count()
    auths: dict[str, httpx.Auth] = {"zego": ZegoAuth(), "rongcloud": RongCloudAuth(),
                                    "tencent": TencentAuth()}
    limits = httpx.Limits(max_connections=WORKERS)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10) as client:
        auths["openim"] = OpenIMAuth(token=(await client.post(
            "/auth/get_admin_token", headers={"operationID": "durability"},
            json={"secret": "openIM123", "userID": "imAdmin"})).json()["data"]["token"])

        async def worker() -> None:
            while True:
                number = next(numbers)
                vendor = VENDORS[number % len(VENDORS)]
                group_id = f"{vendor}-{number}"
                try:
                    response = await client.post(auth=auths[vendor],
                                                 **create_request(vendor, group_id))
                except httpx.TransportError:
                    return
                assert acknowledged(vendor, response), response.text
                acked.add(group_id)
                if len(acked) == KILL_AFTER:
                    os.kill(process.pid, signal.SIGKILL)

        await asyncio.gather(*[worker() for _ in range(WORKERS)])
    return acked


async def read_back(url: str) -> dict[str, set[str]]:
    """The owner's group ids as the admin state and each vendor's read API show them."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        state = (await client.get("/_emulator/state")).json()
        rongcloud = (await client.post("/user/group/query.json", auth=RongCloudAuth(),
                                       data={"userId": OWNER})).json()
        tencent = (await client.post("/v4/group_open_http_svc/get_joined_group_list",
                                     auth=TencentAuth(), json={"Member_Account": OWNER})).json()
        zego: list[str] = []
        cursor = ""
        while cursor != "0":
            page = (await client.post("/", params={"Action": "QueryGroupsInfoOfUser"},
                                      auth=ZegoAuth(), json={"FromUserId": OWNER, "Limit": 100,
                                                             "Next": cursor})).json()
            zego += [group["GroupId"] for group in page["GroupInfoList"]]
            cursor = page["NextRsp"]
    return {"state": {group["id"] for group in state["groups"]},
            "rongcloud": {group["id"] for group in rongcloud["groups"]},
            "tencent": {group["GroupId"] for group in tencent["GroupIdList"]},
            "zego": set(zego)}


async def test_acknowledged_creates_survive_sigkill(tmp_path: Path) -> None:
    db, log = tmp_path / "store.db", tmp_path / "server.log"
    with emulator_process(db, log) as (url, process):
        acked = await write_until_killed(url, process)
        assert process.wait(10) == -signal.SIGKILL
    assert len(acked) >= KILL_AFTER
    assert {group_id.split("-")[0] for group_id in acked} == set(VENDORS)
    with emulator_process(db, log) as (url, process):
        seen = await read_back(url)
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    for source, ids in seen.items():
        assert acked <= ids, (source, sorted(acked - ids))
    assert "tiny" in seen["state"]


# ---- store files -----------------------------------------------------------------------------

OLD_MEMBERSHIPS = """
CREATE TABLE memberships (
    group_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL, msg_flag TEXT NOT NULL, unread INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)) WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships (user_id, join_time_ms, group_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('seeded', '1');
"""


async def totals(store: GroupStore, user_id: str) -> tuple[int, int, int, int]:
    """The user's counts: default, with dismissed, active only, work groups only."""
    queries = (JoinedQuery(user_id), JoinedQuery(user_id, include_dismissed=True),
               JoinedQuery(user_id, include_inactive=False),
               JoinedQuery(user_id, types=frozenset({"work"})))
    return tuple([(await store.joined(q)).total for q in queries])  # type: ignore[return-value]


async def test_file_store_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = GroupStore(path)
    await store.open()
    assert store.was_new
    await store.restore(open_template(parse_fixture(THREE_USERS, source="t", now_ms=1000)))
    await store.create_group(Group(id="kept", name="Kept", type="work", owner="ann"),
                             [Membership("kept", "ann", "owner")])
    await store.close()
    again = GroupStore(path)
    await again.open()
    assert not again.was_new
    assert (await again.get_group("kept")) is not None
    mode = again.raw.execute("PRAGMA journal_mode").fetchone()[0]
    await again.close()
    assert mode == "wal"


def _old_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(OLD_MEMBERSHIPS)
    conn.close()


# The layout before triggers kept the copies (every column there, no layout number).
UNNUMBERED = """
CREATE TABLE memberships (
    group_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL, msg_flag TEXT NOT NULL, unread INTEGER NOT NULL,
    g_status TEXT NOT NULL, g_type TEXT NOT NULL, g_activated INTEGER NOT NULL,
    g_name TEXT NOT NULL, g_create_time_ms INTEGER NOT NULL);
CREATE UNIQUE INDEX memberships_pair ON memberships (group_id, user_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('seeded', '1');
"""
WITHOUT_NAME_COPIES = """
CREATE TABLE memberships (
    group_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL, msg_flag TEXT NOT NULL, unread INTEGER NOT NULL,
    g_status TEXT NOT NULL, g_type TEXT NOT NULL, g_activated INTEGER NOT NULL);
CREATE UNIQUE INDEX memberships_pair ON memberships (group_id, user_id);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('seeded', '1');
"""
CLUSTERED_MEMBERSHIPS = """
CREATE TABLE memberships (
    group_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    join_time_ms INTEGER NOT NULL, msg_flag TEXT NOT NULL, unread INTEGER NOT NULL,
    g_status TEXT NOT NULL, g_type TEXT NOT NULL, g_activated INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('seeded', '1');
"""


@pytest.mark.parametrize("layout", [OLD_MEMBERSHIPS, CLUSTERED_MEMBERSHIPS, WITHOUT_NAME_COPIES,
                                    UNNUMBERED],
                         ids=["without group columns", "clustered by group and user",
                              "without name copies", "without a layout number"])
async def test_an_old_file_is_refused_with_a_pointer_to_reset(tmp_path: Path, layout: str
                                                              ) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(layout)
    conn.close()
    with pytest.raises(StoreError, match="start with --reset to rebuild it from the fixtures"):
        check_file(path)
    store = GroupStore(path)
    with pytest.raises(StoreError, match="start with --reset"):
        await store.open()
    check_file(tmp_path / "missing.db")


async def test_reset_rebuilds_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_file(path)
    store = GroupStore(path)
    await store.open(rebuilding=True)
    await store.restore(open_template(parse_fixture(THREE_USERS, source="t", now_ms=1000)))
    assert await totals(store, "ann") == (3, 4, 2, 2)
    await store.close()
    check_file(path)
    again = GroupStore(path)
    await again.open()
    assert not again.was_new
    assert await totals(again, "ann") == (3, 4, 2, 2)
    await again.close()


def test_the_cli_prints_the_refusal_without_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "old.db"
    _old_file(path)
    assert cli.main(["--db", str(path), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err == (f"im-emulator: the store file {path} was written by an older im-emulator "
                   "(its memberships table has an older layout); start with --reset to rebuild "
                   "it from the fixtures, or use a new --db path\n")
