"""Services: the shared objects every vendor and the admin API use (settings, clock, store,
limiter, journal, fault rules), the fixture template that resets copy from, and ``admit``, the
gate each vendor request passes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from emulator import registry
from emulator.call import CallInfo
from emulator.clock import ManualClock
from emulator.errors import RateLimited
from emulator.faults import Faults, InjectedFault
from emulator.journal import Journal
from emulator.ratelimit import RateLimiter
from emulator.settings import Settings
from emulator.store import FixtureError, GroupStore, load_fixture_file, open_template

_TEMPLATES: dict[tuple[str, int, int], sqlite3.Connection] = {}


def fixture_template(path: Path, clock: ManualClock) -> sqlite3.Connection:
    """An in-memory database seeded from a fixture file, built once per file version."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise FixtureError(str(path), "", f"cannot read the file: {exc.strerror or exc}") from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    template = _TEMPLATES.get(key)
    if template is None:
        template = open_template(load_fixture_file(path, now_ms=clock.now_ms()))
        _TEMPLATES[key] = template
    return template


@dataclass
class Services:
    """Everything a route set needs, shared by the four vendors and the admin API."""

    settings: Settings
    clock: ManualClock = field(default_factory=ManualClock)
    store: GroupStore = field(init=False)
    limiter: RateLimiter = field(init=False)
    journal: Journal = field(init=False)
    faults: Faults = field(init=False)
    template: sqlite3.Connection | None = None
    ready: bool = False

    def __post_init__(self) -> None:
        s = self.settings
        self.store = GroupStore(s.db, cache_size=s.read_cache_size,
                                messages_per_group=s.messages_per_group,
                                messages_total=s.messages_total)
        self.limiter = RateLimiter(self.clock, enabled=s.rate_limits)
        self.faults = Faults(registry.names())
        self.journal = Journal(s.journal_size)

    def load_template(self) -> sqlite3.Connection:
        """The template of the configured fixture file (built on first use)."""
        if self.template is None:
            self.template = fixture_template(self.settings.fixtures, self.clock)
        return self.template

    async def start(self) -> None:
        """Open the store and seed it: always in memory; a file when new or with ``reset``."""
        await self.store.open(rebuilding=self.settings.reset)
        if self.settings.db is None or self.store.was_new or self.settings.reset:
            await self.reset_store()
        self.ready = True

    async def reset_store(self) -> None:
        """Put the store back to the loaded fixtures."""
        await self.store.restore(self.load_template())

    async def stop(self) -> None:
        """Close the store."""
        self.ready = False
        await self.store.close()

    def admit(self, call: CallInfo, limit: int | None) -> None:
        """The gate of every vendor request: fault rules, then ``limit`` requests per second
        for ``call``'s vendor, app and endpoint. A delay rule only marks the call; the pipeline
        delays its answer."""
        rule = self.faults.fire(call)
        if rule is not None:
            if rule.effect != "delay":
                raise InjectedFault(rule)
            call.delay_ms = rule.delay_ms
            call.reason = f"fault rule {rule.id}: delay {rule.delay_ms} ms"
        if not self.limiter.allow((call.vendor, call.app, call.endpoint), limit):
            raise RateLimited(self.limiter.retry_after())

    def reset_runtime(self) -> None:
        """Forget rate-limit windows, fault rules and the journal."""
        self.limiter.clear()
        self.faults.clear()
        self.journal.clear()
