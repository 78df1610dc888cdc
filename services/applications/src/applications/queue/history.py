"""The applications service's queues over their last days (the first notice, certificate
review), counted by ``certboard_core.queue_history``."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from certboard_core.queue_history import Span, days_back, waiting_on


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
