"""A work queue's last days, rebuilt from when each item joined and left it: how many waited
at the end of each day, and how many of those were past their due day. Counting only (no rule
of the board): spans and days in, counts out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Span:
    """One item's time in a queue: it joined on ``joined``, left on ``left`` (None: still
    waits), and was due by the end of ``due`` (None: never late, its clock is not staff's).
    ``items``: how many items share these days, where a query grouped them by day."""

    joined: date
    left: date | None
    due: date | None
    items: int = 1


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
        waiting[start] += span.items
        waiting[end] -= span.items
        if span.due is None:
            continue
        overdue = max(start, (span.due - first).days + 1)
        if overdue < end:
            late[overdue] += span.items
            late[end] -= span.items
    counted, now_waiting, now_late = [], 0, 0
    for day in range(size):
        now_waiting += waiting[day]
        now_late += late[day]
        counted.append((now_waiting, now_late))
    return counted


def history(
    today: date, days: int, queues: Mapping[str, Iterable[Span]]
) -> list[dict[str, date | int]]:
    """Each of the ``days`` days ending today, oldest first, as a service's history answers
    it: ``day``, then per queue named in ``queues`` ``<name>`` (waiting at the day's end) and
    ``<name>_late`` (of those, past due)."""
    every_day = days_back(today, days)
    counted = {name: counts_by_day(spans, every_day) for name, spans in queues.items()}
    rows: list[dict[str, date | int]] = []
    for n, day in enumerate(every_day):
        row: dict[str, date | int] = {"day": day}
        for name, counts in counted.items():
            row[name], row[f"{name}_late"] = counts[n]
        rows.append(row)
    return rows
