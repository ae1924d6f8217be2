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
    limiter = RateLimiter(clock, {"zego": 3, "openim": 0})
    assert [limiter.allow("zego", "app", "A") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("zego", "app", "B") and limiter.allow("zego", "other", "A")
    clock.advance(0.999)
    assert not limiter.allow("zego", "app", "A")
    clock.advance(0.001)
    assert limiter.allow("zego", "app", "A")
    assert all(limiter.allow("openim", "x", "y") for _ in range(1000))
    assert limiter.limit("openim") is None and limiter.limit("zego") == 3
    assert limiter.retry_after() == 1.0


def test_switch_off_and_clear() -> None:
    clock = ManualClock(100.0)
    limiter = RateLimiter(clock, {"tencent": 1}, enabled=False)
    assert all(limiter.allow("tencent", "a", "e") for _ in range(10))
    assert limiter.limit("tencent") is None
    limiter.enabled = True
    assert limiter.allow("tencent", "a", "e") and not limiter.allow("tencent", "a", "e")
    limiter.clear()
    assert limiter.allow("tencent", "a", "e")
    limiter.set_limit("tencent", 5)
    assert limiter.limit("tencent") == 5
