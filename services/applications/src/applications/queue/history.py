"""A queue's last days, rebuilt from when each item joined and left it: how many waited at the
end of each day, and how many of those were past their due day. Pure: spans and days in,
counts out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import BaseModel, Field


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


class HistoryDay(BaseModel):
    day: date
    first_notification: int = Field(description="applications waiting for their first notice")
    first_notification_late: int = Field(description="of those, past the notice's due day")
    certificates: int = Field(description="training certificates waiting for review")
    certificates_late: int = Field(description="of those, past their review day")


class QueueHistory(BaseModel):
    days: list[HistoryDay] = Field(description="oldest first, ending today")


def history(
    today: date, days: int, first_notices: list[Span], certificates: list[Span]
) -> QueueHistory:
    """Each of the last ``days`` days, as the two staff clocks stood at its end."""
    out = []
    for day in days_back(today, days):
        notices, notices_late = waiting_on(first_notices, day)
        reviews, reviews_late = waiting_on(certificates, day)
        out.append(
            HistoryDay(
                day=day,
                first_notification=notices,
                first_notification_late=notices_late,
                certificates=reviews,
                certificates_late=reviews_late,
            )
        )
    return QueueHistory(days=out)
