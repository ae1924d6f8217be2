"""One event loop at a time serves an intercepted emulator: the loop of an async caller runs
its requests itself (no thread hop), sync callers share the emulator's own loop, and a caller
on another loop waits until the one serving is idle. Requests of one loop interleave as on a
real server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LoopGate:
    """Which loop serves now; ``on_new_loop`` runs (with nothing in flight) whenever a loop
    other than the last one starts serving."""

    def __init__(self, on_new_loop: Callable[[], None]) -> None:
        self._on_new_loop = on_new_loop
        self._lock = threading.Lock()
        self._owner: asyncio.AbstractEventLoop | None = None
        self._last_owner: asyncio.AbstractEventLoop | None = None
        self._inflight = 0
        self._waiting: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def is_serving(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Whether ``loop`` is the one serving now."""
        with self._lock:
            return loop is self._owner

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await a coroutine on the running loop once no other loop is serving."""
        here = asyncio.get_running_loop()
        while True:
            with self._lock:
                if self._owner is None or self._owner is here:
                    if self._owner is None and self._last_owner is not here:
                        self._on_new_loop()
                    self._owner, self._last_owner = here, here
                    self._inflight += 1
                    break
                idle: asyncio.Future[None] = here.create_future()
                self._waiting.append((here, idle))
            try:
                await idle
            except BaseException:
                coroutine.close()
                raise
        try:
            return await coroutine
        finally:
            with self._lock:
                self._inflight -= 1
                waking: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
                if self._inflight == 0:
                    self._owner = None
                    waking, self._waiting = self._waiting, []
            for loop, idle in waking:
                try:
                    loop.call_soon_threadsafe(_wake, idle)
                except RuntimeError:  # that loop is closed
                    pass


def _wake(idle: asyncio.Future[None]) -> None:
    if not idle.done():
        idle.set_result(None)
