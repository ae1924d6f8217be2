"""P4: a member page read through a vendor's own command, in-process: Tencent's
``get_group_member_info`` on a group of 10,000 members, ``Limit`` 100 at ``Offset`` 5,000,
every field (no ``MemberInfoFilter``), signed once by the vendor's own signer and handed
straight to the emulator's ASGI app (no socket, no client), beside the store's page of the
same 100 members measured in the same run (the part of the request the SQL costs).

``python -m bench.memberpage [--profile] [--requests N]`` prints the figures (and with
``--profile`` cProfile's top functions); ``make bench`` runs it in P4.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.profile import call
from bench.report import Row, Table, per_call_ms, spread_text, summarize, verdict
from bench.workload import OUT, FixedRequest, sign, succeeded

MEMBERS = 10_000
LIMIT = 100
OFFSET = 5_000
TARGET_MS = 0.5
BATCHES = 7
PER_BATCH = 300
GROUP = "big"


def group_fixture(members: int) -> dict[str, Any]:
    """One Work group ``big`` of ``members`` members: an owner, 10 admins and the rest
    members, joined one millisecond apart."""
    users = [f"u{i:05d}" for i in range(members)]
    return {"users": [{"id": user} for user in users],
            "groups": [{"id": GROUP, "name": "Big", "type": "work", "owner": users[0],
                        "createTime": 1, "maxMembers": 0,
                        "admins": [{"id": u, "joinTime": 2 + i} for i, u in
                                   enumerate(users[1:11])],
                        "members": [{"id": u, "joinTime": 20 + i} for i, u in
                                    enumerate(users[11:])]}]}


def _request(offset: int) -> FixedRequest:
    from emulator import signing
    from emulator.settings import Settings
    body = orjson.dumps({"GroupId": GROUP, "Limit": LIMIT, "Offset": offset})
    request = httpx.Request("POST", "http://127.0.0.1/v4/group_open_http_svc/"
                                    "get_group_member_info", content=body)
    return sign(signing.signer("tencent", Settings()), request, None)


async def measure(*, members: int = MEMBERS, offset: int = OFFSET, batches: int = BATCHES,
                  per_batch: int = PER_BATCH, profile_requests: int = 0,
                  out: Path = OUT) -> dict[str, Any]:
    """Per-call medians (ms) of the command and of the store page, over a group of
    ``members`` (its fixture file cached in ``out``) at ``offset``; with
    ``profile_requests``, cProfile's report of that many commands."""
    from emulator.app import create_app
    from emulator.settings import Settings

    out.mkdir(parents=True, exist_ok=True)
    path = out / f"fixture-one-group-{members}.json"
    if not path.exists():
        path.write_bytes(orjson.dumps(group_fixture(members)))
    app = create_app(Settings(rate_limits=False, fixtures=path))
    services = app.state.services
    await services.start()
    request = _request(offset)
    try:
        status, answer = await call(app, request, request.body)
        rows = orjson.loads(answer).get("MemberList", [])
        if not succeeded("tencent", status, answer) or len(rows) != LIMIT:
            raise RuntimeError(f"get_group_member_info failed: {status} {answer[:200]!r}")

        async def command() -> None:
            await call(app, request, request.body)

        async def page() -> None:
            await services.store.member_page(GROUP, offset=offset, limit=LIMIT)

        figures: dict[str, Any] = {"command": [], "store": [], "members": members,
                                   "offset": offset}
        for _ in range(batches):
            figures["command"] += await per_call_ms(command, batches=1, per_batch=per_batch)
            figures["store"] += await per_call_ms(page, batches=1, per_batch=per_batch)
        figures["bytes"] = len(answer)
        if profile_requests:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(profile_requests):
                await command()
            profiler.disable()
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(25)
            figures["profile"] = report.getvalue()
    finally:
        await services.stop()
    return figures


def rows(figures: dict[str, Any]) -> list[Row]:
    """The P4 rows: the store page, then the command against it and its target."""
    store, command = summarize(figures["store"]), summarize(figures["command"])
    members, offset = figures["members"], figures["offset"]
    return [
        Row("P4", f"store page of {LIMIT} at offset {offset:,}, {members:,} members",
            f"{store.median * 1000:.1f} us", spread_text(store, "ms", 4), "1.00x"),
        Row("P4", f"tencent get_group_member_info, {members:,} members, Limit {LIMIT} at "
                  f"Offset {offset:,}, every field, in-process (ASGI app called directly; "
                  f"answer {figures['bytes']:,} bytes)",
            f"{command.median * 1000:.1f} us", spread_text(command, "ms", 4),
            f"{command.median / store.median:.2f}x", f"<= {TARGET_MS} ms",
            verdict(command.median <= TARGET_MS))]


async def run(table: Table) -> None:
    """Measure and add the rows (this tree only)."""
    for row in rows(await measure()):
        table.add(row)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the rows (and the profile)."""
    parser = argparse.ArgumentParser(prog="python -m bench.memberpage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--requests", type=int, default=2000,
                        help="commands run under cProfile (with --profile)")
    args = parser.parse_args(argv)
    import logging
    logging.getLogger("emulator").setLevel(logging.CRITICAL)
    figures = asyncio.run(measure(profile_requests=args.requests if args.profile else 0))
    for row in rows(figures):
        sys.stdout.write(f"{row.what}: {row.value} ({row.spread}) {row.baseline} {row.target} "
                         f"{row.verdict}\n")
    sys.stdout.write(figures.get("profile", ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
