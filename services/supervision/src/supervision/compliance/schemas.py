"""What the compliance report returns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field


class WeekPublic(BaseModel):
    """One Monday-to-Sunday week with hours worked or signed-off supervision."""

    week_starts_on: date
    hours_worked: Decimal
    supervised_minutes: int
    sessions: int = Field(description="signed-off sessions held that week")
    required_minutes: int = Field(description="minutes worked / N, rounded up (0 without ratio)")
    shortfall_minutes: int
    missing_session: bool = Field(description="weekly rule: hours worked but no session")
    cap_exceeded_on: date | None = Field(
        description="the first day this week the hours since the last session passed the cap"
    )
    compliant: bool


class PeerCompliance(BaseModel):
    """One peer's period: the totals and each week with activity."""

    peer_applicant_id: str
    compliant: bool
    hours_worked: Decimal
    supervised_minutes: int
    required_minutes: int
    shortfall_minutes: int
    first_cap_exceeded_on: date | None
    weeks: list[WeekPublic]


class ComplianceReportPublic(BaseModel):
    """The peers the caller may see, over whole weeks from ``starts_on`` to ``ends_on``."""

    starts_on: date = Field(description="the Monday the period starts on")
    ends_on: date = Field(description="the Sunday it ends on")
    peers: list[PeerCompliance]


class Shortfall(BaseModel):
    """A peer's complete week that is short today."""

    peer_applicant_id: str
    follow_up_by: date = Field(description="the week's Sunday + the policy's follow-up days")
    week: WeekPublic


class ShortfallPage(BaseModel):
    """A page of short weeks, earliest follow-up first, and how many there are in all."""

    items: list[Shortfall]
    next_cursor: str | None
    total: int = Field(description="short weeks in the period, on every page")
    overdue: int = Field(description="of those, how many are past their follow-up day")
    starts_on: date
    ends_on: date


class ShortfallDay(BaseModel):
    day: date
    shortfalls: int = Field(description="short weeks in the look-back at the day's end")
    shortfalls_late: int = Field(description="of those, past their follow-up day")


class ShortfallHistory(BaseModel):
    days: list[ShortfallDay] = Field(description="oldest first, ending today")
