"""The one clock every rule reads, and the test clock that development and tests can move."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from certboard_core.errors import DomainError

# The test clock stays where rules can still do date arithmetic (a deadline a few years on,
# an age from a date of birth) and the database can store the result.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    """Real time; the only clock in production."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ClockOutOfRange(DomainError):
    """A move of the test clock beyond ``EARLIEST`` or ``LATEST``; the clock is left as it was."""

    status_code = 422
    code = "CLOCK_OUT_OF_RANGE"

    def __init__(self, *, field: str) -> None:
        super().__init__(
            f"the test clock stays between {EARLIEST.isoformat()} and {LATEST.isoformat()}; "
            "it was not moved",
            field=field,
        )


def _in_range(instant: datetime, *, field: str) -> datetime:
    if not EARLIEST <= instant <= LATEST:
        raise ClockOutOfRange(field=field)
    return instant


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
        """Show ``instant`` from now on, frozen there or running on from it."""
        if instant.tzinfo is None:
            raise ValueError("the clock is set to an aware instant")
        # Checked before converting: 9999-12-31T23:00-05:00 has no UTC form.
        instant = _in_range(instant, field="set_to").astimezone(UTC)
        with self._lock:
            if frozen:
                self._frozen_at = instant
                self._offset = timedelta()
            else:
                self._frozen_at = None
                self._offset = instant - self._base.now()

    def advance(self, delta: timedelta) -> None:
        """Move the clock by ``delta`` (back if negative), staying within its range."""
        with self._lock:
            shown = self._base.now() + self._offset if self._frozen_at is None else self._frozen_at
            try:
                _in_range(shown + delta, field="advance_seconds")
            except OverflowError:  # beyond datetime's own range, so beyond ours
                raise ClockOutOfRange(field="advance_seconds") from None
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta()

    def state(self) -> ClockState:
        """What the clock shows, and whether it is frozen or running at an offset."""
        with self._lock:
            frozen = self._frozen_at is not None
            offset = self._offset
        return ClockState(now=self.now(), frozen=frozen, offset_seconds=offset.total_seconds())
