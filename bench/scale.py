"""P3 and P4: the store at scale.

P3 loads the 1M-membership fixture the way the CLI and the pytest plugin do (read, validate,
build the in-memory template), each time in a fresh process of the tree under test
(``python -m bench.scale --load FILE``), beside ``orjson.loads`` of the same file in the same
process. P4 reads one user's first page of 10 from a store of 1k and one of 1M memberships
(the user has about 100 groups in both), with the store's read cache off (``cache_size=0``)
so every call runs the SQL, the two stores timed in alternating batches so machine noise hits
both alike. (P4 over HTTP is measured with P1, in ``bench.throughput``.) P4 also times the
group-management reads: a member page of 100 at 1k and at 10k members (first page, and from
a cursor halfway), and an in-process message append and history page of 20; and Tencent's
``get_group_member_info`` over 10k members (``bench.memberpage``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from bench import memberpage
from bench.report import Missing, Row, Table, spread_text, summarize, verdict
from bench.servers import Tree
from bench.workload import LARGE, PAGE_USER, SMALL, Size, fixture

LOAD_RUNS = 3
LOAD_TARGET_S = 6.0
BATCHES = 7
PER_BATCH = 2000
SCALING_TARGET = 1.3


def load_once(path: Path) -> dict[str, float]:
    """Seconds to parse the file with orjson alone, then to load it as the emulator does."""
    from emulator.clock import ManualClock
    from emulator.services import fixture_template

    began = time.perf_counter()
    orjson.loads(path.read_bytes())
    parsed = time.perf_counter()
    template = fixture_template(path, ManualClock())
    loaded = time.perf_counter()
    count = template.execute("SELECT COUNT(*) FROM memberships").fetchone()[0]
    return {"parse_s": parsed - began, "load_s": loaded - parsed, "memberships": count}


def run_load(table: Table, trees: Sequence[Tree]) -> None:
    """Measure and add the P3 rows; with two trees, alternately, and their ratio."""
    path = fixture(LARGE)
    parse: dict[str, list[float]] = {tree.label: [] for tree in trees}
    load: dict[str, list[float]] = {tree.label: [] for tree in trees}
    for _ in range(LOAD_RUNS):
        for tree in trees:
            figures = json.loads(tree.run_module("bench.scale", "--load", str(path)))
            if figures["memberships"] != LARGE.memberships:
                raise RuntimeError(f"{tree.label}: loaded {figures['memberships']} "
                                   f"memberships, not {LARGE.memberships}")
            parse[tree.label].append(figures["parse_s"])
            load[tree.label].append(figures["load_s"])
    here = trees[-1].label
    base = summarize(parse[here])
    table.add(Row("P3", "baseline: orjson.loads of the 1M-membership file",
                  f"{base.median:.2f} s", spread_text(base, "s"), "1.00x"))
    for tree in trees:
        cost = summarize(load[tree.label])
        last = tree.label == here
        suffix = f" [{tree.label}]" if len(trees) > 1 else ""
        table.add(Row("P3", f"load 1M memberships (read, validate, build the store){suffix}",
                      f"{cost.median:.2f} s", spread_text(cost, "s"),
                      f"{cost.median / base.median:.1f}x",
                      f"<= {LOAD_TARGET_S:g} s" if last else "",
                      verdict(cost.median <= LOAD_TARGET_S) if last else ""))
    if len(trees) > 1:
        # each run loads before, then after: the ratio of each pair
        pairs = summarize([a / b for b, a in zip(load[trees[0].label], load[here])])
        table.add(Row("P3", "load 1M memberships: after / before", f"{pairs.median:.2f}x",
                      f"runs {pairs.low:.2f}..{pairs.high:.2f}"))


async def _store(size: Size) -> Any:
    from emulator.clock import ManualClock
    from emulator.services import fixture_template
    from emulator.store import GroupStore

    try:
        store = GroupStore(None, cache_size=0)
    except TypeError:
        raise Missing("this store takes no cache_size, so its read cache cannot be turned "
                      "off (P4 needs the store with the cache size as a constructor "
                      "argument)") from None
    await store.open()
    await store.restore(fixture_template(fixture(size), ManualClock()))
    return store


async def _batch_ms(store: Any, query: Any) -> float:
    samples = []
    for _ in range(PER_BATCH):
        began = time.perf_counter()
        page = await store.joined(query)
        samples.append((time.perf_counter() - began) * 1000)
    if len(page.rows) != query.limit:
        raise RuntimeError(f"{query.user_id} has only {len(page.rows)} rows on the first page")
    return statistics.median(samples)


async def run_pages(table: Table) -> None:
    """Measure and add the P4 store rows (this tree only)."""
    from emulator.store import JoinedQuery

    small, large = await _store(SMALL), await _store(LARGE)
    try:
        queries = {"join order": JoinedQuery(PAGE_USER, limit=10),
                   "name order, types filter": JoinedQuery(
                       PAGE_USER, order="name", limit=10,
                       types=frozenset({"work", "public", "meeting", "community"}),
                       include_inactive=False)}
        for label, query in queries.items():
            totals = [(await store.joined(query)).total for store in (small, large)]
            for store in (small, large):
                await _batch_ms(store, query)
            at_small: list[float] = []
            at_large: list[float] = []
            for _ in range(BATCHES):
                at_small.append(await _batch_ms(small, query))
                at_large.append(await _batch_ms(large, query))
            few, big = summarize(at_small), summarize(at_large)
            ratios = summarize([b / a for a, b in zip(at_small, at_large)])
            table.add(Row("P4", f"store page of 10 ({label}), 1k memberships "
                                f"(user total {totals[0]})",
                          f"{few.median * 1000:.1f} us", spread_text(few, "ms", 4), "1.00x"))
            table.add(Row("P4", f"same page, 1M memberships (user total {totals[1]})",
                          f"{big.median * 1000:.1f} us", spread_text(big, "ms", 4),
                          f"{ratios.median:.2f}x ({ratios.low:.2f}..{ratios.high:.2f})",
                          f"<= {SCALING_TARGET}x", verdict(ratios.median <= SCALING_TARGET)))
    finally:
        await small.close()
        await large.close()
    await run_group_ops(table)


MEMBER_SIZES = (1_000, 10_000)
MEMBER_PAGE = 100
OP_TARGET_MS = 0.5


async def _group_store(members: int) -> Any:
    """A store holding one group ``big`` of ``members`` members (an owner, 10 admins, the
    rest members, joined one millisecond apart), with the read cache off."""
    from bench.memberpage import group_fixture
    from emulator.store import GroupStore, open_template, parse_fixture

    store = GroupStore(None, cache_size=0)
    await store.open()
    await store.restore(open_template(parse_fixture(group_fixture(members), source="bench",
                                                    now_ms=1)))
    return store


async def run_group_ops(table: Table) -> None:
    """The group-management rows: a member page of 100 (first, and from a cursor halfway)
    at 1k and 10k members, timed in alternating batches; then an in-process message append
    and a history page of 20."""
    from bench.report import per_call_ms

    stores = [await _group_store(size) for size in MEMBER_SIZES]
    try:
        try:
            halfway = [(await store.member_page("big", limit=size // 2)).next
                       for store, size in zip(stores, MEMBER_SIZES)]
        except AttributeError:
            raise Missing("this store has no member_page") from None
        for label, cursors in (("first page", [None, None]), ("page from a cursor halfway",
                                                               halfway)):
            timings: list[list[float]] = [[], []]
            for _ in range(BATCHES):
                for index, store in enumerate(stores):
                    cursor = cursors[index]

                    async def page(store: Any = store, cursor: Any = cursor) -> None:
                        found = await store.member_page("big", after=cursor, limit=MEMBER_PAGE)
                        if len(found.rows) != MEMBER_PAGE:
                            raise RuntimeError("a short member page")

                    timings[index] += await per_call_ms(page, batches=1, per_batch=300)
            few, many = summarize(timings[0]), summarize(timings[1])
            ratios = summarize([b / a for a, b in zip(*timings)])
            table.add(Row("P4", f"member page of {MEMBER_PAGE} ({label}), "
                                f"{MEMBER_SIZES[0]:,} members",
                          f"{few.median * 1000:.1f} us", spread_text(few, "ms", 4), "1.00x"))
            table.add(Row("P4", f"same page, {MEMBER_SIZES[1]:,} members",
                          f"{many.median * 1000:.1f} us", spread_text(many, "ms", 4),
                          f"{ratios.median:.2f}x ({ratios.low:.2f}..{ratios.high:.2f})",
                          f"<= {SCALING_TARGET}x", verdict(ratios.median <= SCALING_TARGET)))
        store = stores[1]
        clock = iter(range(10**6, 10**9))

        async def append() -> None:
            await store.append_message("big", sender="u00000", vendor="bench", type="text",
                                       body={"MsgType": "TIMTextElem",
                                             "MsgContent": {"Text": "hello"}},
                                       now_ms=next(clock), client_id="")

        async def history() -> None:
            if len(await store.history("big", limit=20)) != 20:
                raise RuntimeError("a short history page")

        for label, call in (("append a group message (in-process)", append),
                            ("read a history page of 20 (in-process)", history)):
            cost = summarize(await per_call_ms(call, batches=BATCHES, per_batch=500))
            table.add(Row("P4", label, f"{cost.median * 1000:.1f} us",
                          spread_text(cost, "ms", 4), "", f"<= {OP_TARGET_MS} ms",
                          verdict(cost.median <= OP_TARGET_MS)))
    finally:
        for store in stores:
            await store.close()
    await memberpage.run(table)


def main(argv: Sequence[str] | None = None) -> int:
    """``--load FILE``: load one file and print the timings as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--load", type=Path, required=True)
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(load_once(args.load)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
