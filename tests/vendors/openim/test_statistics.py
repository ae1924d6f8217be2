"""OpenIM's /statistics/group/create: the total, the groups created before start and per UTC
day in [start, end), admins only (open-im-server internal/rpc/group/statistics.go,
mgo/group.go CountTotal and CountRangeEverydayTotal, protocol group/group.go Check())."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tests.vendors.openim.test_members import make_group

pytestmark = pytest.mark.anyio

STATS = "/statistics/group/create"
DAY_MS = 86_400_000


async def stats(openim, body: dict[str, Any], token: str | None = None) -> Any:
    return await openim.call(STATS, body, token or await openim.admin_token())


def day(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%d")


@pytest.mark.parametrize(("body", "dlt"), [
    ({}, "start is invalid"),
    ({"start": 0, "end": 5}, "start is invalid"),
    ({"start": 5}, "end is invalid"),
    ({"start": 9, "end": 3}, "start > end: %d > %d, 9=3"),
])
async def test_arguments(openim, body: dict[str, Any], dlt: str) -> None:
    assert await stats(openim, body) == {"errCode": 1001, "errMsg": "ArgsError", "errDlt": dlt}


async def test_admins_only(openim) -> None:
    denied = await stats(openim, {"start": 1, "end": 2}, await openim.user_token("alice"))
    assert denied == {"errCode": 1002, "errMsg": "NoPermissionError",
                      "errDlt": "user alice is not admin userID"}


async def test_counts_by_day(openim) -> None:
    clock = openim.emulator.services.clock
    baseline = (await stats(openim, {"start": 1, "end": 1}))["data"]
    start = clock.now_ms()
    await make_group(openim, "g-one")
    await make_group(openim, "g-two")
    clock.advance(86400)
    await make_group(openim, "g-three")
    await openim.call("/group/dismiss_group", {"groupID": "g-three"}, await openim.admin_token())
    end = clock.now_ms() + 1
    created = {g: (await openim.emulator.services.store.get_group(g)).create_time_ms
               for g in ("g-one", "g-two", "g-three")}
    answer = await stats(openim, {"start": start, "end": end})
    assert answer["errCode"] == 0, answer
    data = answer["data"]
    assert list(data) == ["total", "before", "count"]
    assert data["total"] == baseline["total"] + 3
    assert data["before"] == baseline["total"]
    expected: dict[str, int] = {}
    for ms in created.values():
        expected[day(ms)] = expected.get(day(ms), 0) + 1
    assert data["count"] == expected and sum(expected.values()) == 3
    # end is excluded; an empty range leaves count out.
    only_first = await stats(openim, {"start": start, "end": created["g-three"]})
    assert sum(only_first["data"]["count"].values()) == 2
    empty = await stats(openim, {"start": end + DAY_MS, "end": end + 2 * DAY_MS})
    assert empty["data"] == {"total": data["total"], "before": data["total"]}
