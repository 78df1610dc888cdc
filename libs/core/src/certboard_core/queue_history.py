"""A work queue's last days, rebuilt from when each item joined and left it: how many waited
at the end of each day, and how many of those were past their due day. Counting only (no rule
of the board): spans and days in, counts out."""

from __future__ import annotations

from collections.abc import Iterable
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


def counts_by_day(spans: Iterable[Span], days: list[date]) -> list[tuple[int, int]]:
    """At the end of each of ``days`` (consecutive, oldest first): how many waited (joined by
    then, not yet left) and how many of those were late (past their due day).

    One pass over the spans, marking where each starts and stops counting, then running sums
    over the days: a queue of 15,000 over 30 days is 15,000 steps, not 450,000."""
    first, size = days[0], len(days)
    waiting, late = [0] * (size + 1), [0] * (size + 1)
    for span in spans:
        start = max((span.joined - first).days, 0)
        end = size if span.left is None else min((span.left - first).days, size)
        if start >= end:
            continue
        waiting[start] += 1
        waiting[end] -= 1
        overdue = max(start, (span.due - first).days + 1)
        if overdue < end:
            late[overdue] += 1
            late[end] -= 1
    counted, now_waiting, now_late = [], 0, 0
    for day in range(size):
        now_waiting += waiting[day]
        now_late += late[day]
        counted.append((now_waiting, now_late))
    return counted
