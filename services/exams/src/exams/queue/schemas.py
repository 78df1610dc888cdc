"""What the staff queue counts return."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class QueueCount(BaseModel):
    """One queue today: how much waits, how much is past its day, and the earliest day."""

    waiting: int
    breaches: int = Field(description="waiting past the day it was due")
    next_due_on: date | None = Field(description="the earliest due day; null when empty")


class ExamQueueCounts(BaseModel):
    """Every exams work queue in one read, for staff's overview."""

    result_notices: QueueCount = Field(description="formal result notices unsent")
    accommodations: QueueCount = Field(description="accommodation requests to review")
    scheduling: QueueCount = Field(description="authorizations awaiting scheduling")


class ExamHistoryDay(BaseModel):
    day: date
    result_notices: int = Field(description="formal result notices unsent")
    result_notices_late: int = Field(description="of those, past their due day")
    accommodations: int = Field(description="accommodation requests waiting for review")
    accommodations_late: int = Field(description="of those, past their review day")
    scheduling: int = Field(description="authorizations awaiting scheduling")
    scheduling_late: int = Field(description="of those, past their review day")


class ExamQueueHistory(BaseModel):
    days: list[ExamHistoryDay] = Field(description="oldest first, ending today")
