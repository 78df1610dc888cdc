"""The one clock every rule reads, and the test clock that development and tests can move."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    """Real time; the only clock in production."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class ClockState:
    now: datetime
    frozen: bool
    offset_seconds: float


class TestClock:
    """Real time shifted by an offset, or frozen at an instant, like a payment test clock.

    Frozen time is what tests want (nothing moves unless told); a running offset is what a
    developer walking an application through its windows by hand wants.
    """

    __test__ = False  # not a pytest test class

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._lock = threading.Lock()
        self._frozen_at: datetime | None = None
        self._offset = timedelta()

    def now(self) -> datetime:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return self._base.now() + self._offset

    def set(self, instant: datetime, *, frozen: bool = True) -> None:
        if instant.tzinfo is None:
            raise ValueError("the clock is set to an aware instant")
        instant = instant.astimezone(UTC)
        with self._lock:
            if frozen:
                self._frozen_at = instant
                self._offset = timedelta()
            else:
                self._frozen_at = None
                self._offset = instant - self._base.now()

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta

    def reset(self) -> None:
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta()

    def state(self) -> ClockState:
        with self._lock:
            frozen = self._frozen_at is not None
            offset = self._offset
        return ClockState(now=self.now(), frozen=frozen, offset_seconds=offset.total_seconds())
