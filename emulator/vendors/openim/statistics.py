"""``/statistics/group/create`` (``GroupCreateCount``, open-im-server
``internal/rpc/group/statistics.go``, ``pkg/common/storage/database/mgo/group.go``
``CountTotal`` and ``CountRangeEverydayTotal``; commit in docs/vendors/openim.md): how many
groups there are, how many were created before ``start``, and how many on each UTC day from
``start`` (included) to ``end`` (excluded). Every group counts, dismissed ones and other
vendors' too (they are all in the store's one group table).
"""

from __future__ import annotations

import datetime
from typing import Any

from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import check_admin
from emulator.vendors.openim.protocol import Ctx

PAGE = 1000


async def _create_times(ctx: Ctx) -> list[int]:
    """Every group's creation time (ms)."""
    times: list[int] = []
    after = 0
    while True:
        page = await ctx.services.store.group_page(after=after, limit=PAGE)
        times += [group.create_time_ms for group in page.groups]
        if not page.next:
            return times
        after = page.next


def _day(ms: int) -> str:
    """Mongo's ``$dateToString`` ``%Y-%m-%d`` of a time, in UTC."""
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return (epoch + datetime.timedelta(milliseconds=ms)).strftime("%Y-%m-%d")


async def group_create_count(ctx: Ctx) -> dict[str, Any]:
    """1001 when start > end (upstream's text keeps its ``%d`` verbs and adds the two values
    as a key and value), then admins only (1002); ``{"total", "before", "count"}``, ``count``
    left out when no group was created in the range (a map field, ``omitempty``)."""
    start, end = ctx.body["start"], ctx.body["end"]
    if start > end:
        raise e.oim_error(e.ARGS, f"start > end: %d > %d, {start}={end}")
    check_admin(ctx)
    times = await _create_times(ctx)
    days: dict[str, int] = {}
    for ms in sorted(t for t in times if start <= t < end):
        days[_day(ms)] = days.get(_day(ms), 0) + 1
    answer: dict[str, Any] = {"total": len(times), "before": sum(t < start for t in times)}
    if days:
        answer["count"] = dict(sorted(days.items()))
    return answer
