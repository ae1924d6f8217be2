"""P4: the same user's first page of 10 costs (almost) the same at 1,000 and at 1,000,000
memberships. Measured at the store (``GroupStore.joined``) where the size could show, with its read cache
emptied before each call so every call runs the SQL, the two stores interleaved batch by batch so
machine noise hits both alike.
"""

from __future__ import annotations

import statistics
import time

from bench.data import LARGE, PAGE_USER, SMALL, Size, fixture
from bench.stats import Row, Table, spread_text, summarize, verdict
from emulator.clock import ManualClock
from emulator.services import fixture_template
from emulator.store import GroupStore, JoinedQuery

BATCHES = 7
PER_BATCH = 2000
TARGET_RATIO = 1.3


async def _store(size: Size) -> GroupStore:
    store = GroupStore()
    await store.open()
    await store.restore(fixture_template(fixture(size), ManualClock()))
    return store


async def _batch_ms(store: GroupStore, query: JoinedQuery) -> float:
    samples = []
    for _ in range(PER_BATCH):
        store.invalidate()
        began = time.perf_counter()
        page = await store.joined(query)
        samples.append((time.perf_counter() - began) * 1000)
    if len(page.rows) != query.limit:
        raise RuntimeError(f"{query.user_id} has only {len(page.rows)} rows on the first page")
    return statistics.median(samples)


async def run(table: Table) -> None:
    """Measure and add the P4 rows."""
    small, large = await _store(SMALL), await _store(LARGE)
    try:
        queries = {"join order": JoinedQuery(PAGE_USER, limit=10),
                   "name order, types filter": JoinedQuery(
                       PAGE_USER, order="name", limit=10,
                       types=frozenset({"work", "public", "meeting", "community"}),
                       include_inactive=False)}
        for label, query in queries.items():
            small_totals = (await small.joined(query)).total
            large_totals = (await large.joined(query)).total
            for store in (small, large):
                await _batch_ms(store, query)
            at_small: list[float] = []
            at_large: list[float] = []
            for _ in range(BATCHES):
                at_small.append(await _batch_ms(small, query))
                at_large.append(await _batch_ms(large, query))
            s, big = summarize(at_small), summarize(at_large)
            ratios = summarize([b / a for a, b in zip(at_small, at_large)])
            table.add(Row("P4", f"store page of 10 ({label}), 1k memberships "
                                f"(user total {small_totals})",
                          f"{s.median * 1000:.1f} us", spread_text(s, "ms", 4), "1.00x", ""))
            table.add(Row("P4", f"same page, 1M memberships (user total {large_totals})",
                          f"{big.median * 1000:.1f} us", spread_text(big, "ms", 4),
                          f"{ratios.median:.2f}x ({ratios.low:.2f}..{ratios.high:.2f})",
                          f"<= {TARGET_RATIO}x", verdict(ratios.median <= TARGET_RATIO)))
    finally:
        await small.close()
        await large.close()
