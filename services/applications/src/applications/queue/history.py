"""The applications service's queues over their last days (the first notice, certificate
review), counted by ``certboard_core.queue_history``."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from certboard_core.queue_history import Span, counts_by_day, days_back


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
    every_day = days_back(today, days)
    return QueueHistory(
        days=[
            HistoryDay(
                day=day,
                first_notification=notices,
                first_notification_late=notices_late,
                certificates=reviews,
                certificates_late=reviews_late,
            )
            for day, (notices, notices_late), (reviews, reviews_late) in zip(
                every_day,
                counts_by_day(first_notices, every_day),
                counts_by_day(certificates, every_day),
                strict=True,
            )
        ]
    )
