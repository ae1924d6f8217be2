"""Timing helpers: batches of repeated calls, each batch giving one per-call median."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable

from bench.stats import Summary, summarize


async def per_call_ms(call: Callable[[], Awaitable[object]], *, batches: int, per_batch: int,
                      warmup: int = 20) -> Summary:
    """Milliseconds per call: the median of each batch's per-call medians, and their spread."""
    for _ in range(warmup):
        await call()
    medians: list[float] = []
    for _ in range(batches):
        samples: list[float] = []
        for _ in range(per_batch):
            began = time.perf_counter()
            await call()
            samples.append((time.perf_counter() - began) * 1000)
        medians.append(statistics.median(samples))
    return summarize(medians)
