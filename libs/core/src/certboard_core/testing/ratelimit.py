"""Rate limits in tests: counters on a hand-moved clock, so a window's reset needs no sleep."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI
from limits.aio.storage import Storage

from certboard_core.ratelimit import LimitClass, RateLimiter


class ManualClock:
    """Seconds since the epoch that move only when told."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ManualStorage(Storage):
    """A ``limits`` storage for fixed windows that reads time from a ManualClock."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self.clock = clock
        self.counts: dict[str, int] = {}
        self.expiries: dict[str, float] = {}

    @property
    def base_exceptions(self) -> tuple[type[Exception], ...]:
        return ()

    def _expire(self, key: str) -> None:
        if self.expiries.get(key, self.clock.now + 1) <= self.clock.now:
            self.counts.pop(key, None)
            self.expiries.pop(key, None)

    async def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        self._expire(key)
        if key not in self.counts:
            self.expiries[key] = self.clock.now + expiry
        self.counts[key] = self.counts.get(key, 0) + amount
        return self.counts[key]

    async def get(self, key: str) -> int:
        self._expire(key)
        return self.counts.get(key, 0)

    async def get_expiry(self, key: str) -> float:
        self._expire(key)
        return self.expiries.get(key, self.clock.now)

    async def check(self) -> bool:
        return True

    async def reset(self) -> int | None:
        cleared = len(self.counts)
        self.counts.clear()
        self.expiries.clear()
        return cleared

    async def clear(self, key: str) -> None:
        self.counts.pop(key, None)
        self.expiries.pop(key, None)


def limit_with_manual_clock(app: FastAPI, limits: Mapping[LimitClass, str]) -> ManualClock:
    """Turn the app's rate limits on with ``limits``, counted on a clock the test moves."""
    clock = ManualClock()
    app.state.rate_limiter = RateLimiter(limits, storage=ManualStorage(clock), now=clock)
    return clock
