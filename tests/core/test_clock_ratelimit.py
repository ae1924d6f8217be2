"""The clock (freeze, advance, set) and the shared rate limiter's one-second windows."""

from __future__ import annotations

from emulator.clock import ManualClock
from emulator.ratelimit import RateLimiter


class FakeBase:
    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t


def test_manual_clock_follows_then_freezes() -> None:
    base = FakeBase()
    clock = ManualClock(base=base)
    assert clock.now() == 1000.0 and not clock.frozen
    base.t = 1001.5
    assert clock.now() == 1001.5 and clock.now_ms() == 1001500
    clock.freeze()
    base.t = 2000.0
    assert clock.now() == 1001.5
    clock.advance(10)
    assert clock.now() == 1011.5
    clock.set(50)
    assert clock.now() == 50.0
    clock.unfreeze()
    base.t = 2001.0
    assert clock.now() == 51.0
    clock.advance(4)
    assert clock.now() == 55.0
    clock.set(10)
    assert clock.now() == 10.0
    clock.reset()
    assert clock.now() == 2001.0 and not clock.frozen


def test_started_frozen() -> None:
    assert ManualClock(123.0).now() == 123.0 and ManualClock(123.0).frozen


def test_windows_are_per_second_and_per_key() -> None:
    clock = ManualClock(100.0)
    limiter = RateLimiter(clock)
    zego_a = ("zego", "app", "A")
    assert [limiter.allow(zego_a, 3) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow(("zego", "app", "B"), 3) and limiter.allow(("zego", "other", "A"), 3)
    clock.advance(0.999)
    assert not limiter.allow(zego_a, 3)
    clock.advance(0.001)
    assert limiter.allow(zego_a, 3)
    assert all(limiter.allow(("openim", "x", "y"), 0) for _ in range(1000))
    assert all(limiter.allow(("openim", "x", "y"), None) for _ in range(1000))
    assert limiter.retry_after() == 1.0


def test_switch_off_and_clear() -> None:
    clock = ManualClock(100.0)
    limiter = RateLimiter(clock, enabled=False)
    key = ("tencent", "a", "e")
    assert all(limiter.allow(key, 1) for _ in range(10))
    limiter.enabled = True
    assert limiter.allow(key, 1) and not limiter.allow(key, 1)
    limiter.clear()
    assert limiter.allow(key, 1)
    assert [limiter.allow(key, 5) for _ in range(5)] == [True] * 4 + [False]
