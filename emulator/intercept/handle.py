"""The handle ``intercept()`` yields: the ``im_emulator`` fixture's handle whose coroutines
run on the serving loop, whichever loop awaits them, with ``.sync`` forms for code that is not
async."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from starlette.applications import Starlette

from emulator.app import IN_PROCESS_HOST
from emulator.pytest_plugin import InProcessEmulator, MessagePredicate
from emulator.services import Services

if TYPE_CHECKING:
    from emulator.intercept.runner import Interceptor

T = TypeVar("T")


class _Sync:
    """The synchronous forms of the handle's coroutines, for code that is not async."""

    def __init__(self, emulator: InterceptedEmulator) -> None:
        self._emulator = emulator

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run any coroutine (``emulator.store.…``) on the emulator's loop and wait for it."""
        return self._emulator.interceptor.run(coroutine)

    def seed(self, fixture: dict[str, Any]) -> None:
        """Add users and groups (fixture format); raises FixtureError on a bad fixture."""
        self.run(InProcessEmulator.seed(self._emulator, fixture))

    def reset(self) -> None:
        """Back to the loaded fixtures, with limits, fault rules and journal cleared."""
        self.run(InProcessEmulator.reset(self._emulator))

    def wait_for_message(self, group: str | None = None,
                         predicate: MessagePredicate | None = None, *, timeout: float = 5.0,
                         sender: str | None = None, vendor: str | None = None
                         ) -> dict[str, Any]:
        """The oldest matching message (see ``InProcessEmulator.wait_for_message``)."""
        return self.run(InProcessEmulator.wait_for_message(
            self._emulator, group, predicate, timeout=timeout, sender=sender, vendor=vendor))


class InterceptedEmulator(InProcessEmulator):
    """The ``im_emulator`` handle for an emulator that ``intercept()`` runs on its own loop:
    its coroutines run there, whichever loop awaits them, and ``.sync`` has their synchronous
    forms. ``.client`` is an ``httpx.AsyncClient`` on ``http://im-emulator.test`` (every path,
    the admin API too, with its token); ``.hosts`` the hosts routed, per vendor."""

    def __init__(self, app: Starlette, services: Services, interceptor: Interceptor) -> None:
        self.app = app
        self.services = services
        self.interceptor = interceptor
        self.hosts = interceptor.hosts
        self.client = httpx.AsyncClient(base_url=f"http://{IN_PROCESS_HOST}")
        self.sync = _Sync(self)

    async def seed(self, fixture: dict[str, Any]) -> None:
        await self.interceptor.run_async(InProcessEmulator.seed(self, fixture))

    async def reset(self) -> None:
        await self.interceptor.run_async(InProcessEmulator.reset(self))

    async def wait_for_message(self, group: str | None = None,
                               predicate: MessagePredicate | None = None, *,
                               timeout: float = 5.0, sender: str | None = None,
                               vendor: str | None = None) -> dict[str, Any]:
        return await self.interceptor.run_async(InProcessEmulator.wait_for_message(
            self, group, predicate, timeout=timeout, sender=sender, vendor=vendor))
