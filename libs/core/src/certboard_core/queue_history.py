"""A work queue's last days, rebuilt from when each item joined and left it: how many waited
at the end of each day, and how many of those were past their due day. Counting only (no rule
of the board): spans and days in, counts out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Span:
    """One item's time in a queue: it joined on ``joined``, left on ``left`` (None: still
    waits), and was due by the end of ``due``."""

    joined: date
    left: date | None
    due: date


def days_back(today: date, days: int) -> list[date]:
    """The ``days`` days that end with today, oldest first."""
    return [today - timedelta(days=n) for n in range(days - 1, -1, -1)]


def waiting_on(spans: list[Span], day: date) -> tuple[int, int]:
    """At the end of ``day``: how many waited (joined by then, not yet left), how many late."""
    waiting = [s for s in spans if s.joined <= day and (s.left is None or s.left > day)]
    return len(waiting), sum(1 for s in waiting if s.due < day)
