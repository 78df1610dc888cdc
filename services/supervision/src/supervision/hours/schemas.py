"""What the hours-worked API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from certboard_core.fields import IsoDate
from supervision.hours.models import HoursPeriod

# Exact decimal hours to two places (7.25, "39.75"); never a binary float.
Hours = Annotated[Decimal, Field(ge=0, max_digits=5, decimal_places=2, examples=["7.50"])]


class HoursReport(BaseModel):
    """Hours the peer worked under one agreement on a day, or in a Monday-to-Sunday week."""

    agreement_id: uuid.UUID
    period: HoursPeriod
    starts_on: IsoDate = Field(description="the day, or the Monday of the week")
    hours: Hours


class HoursAmendment(BaseModel):
    """A correction: a new report supersedes the earlier one, which stays."""

    expected_version: int = Field(ge=1)
    hours: Hours
    reason: str = Field(min_length=1, max_length=2000)


class HoursPublic(BaseModel):
    """A report as stored; ``current`` until a correction supersedes it."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    peer_applicant_id: str
    supervisor_id: str
    period: HoursPeriod
    starts_on: date
    hours: Decimal
    current: bool
    supersedes_id: uuid.UUID | None
    amendment_reason: str | None
    superseded_at: datetime | None
    superseded_by: str | None
    created_at: datetime
    created_by: str
    version: int


class HoursPage(BaseModel):
    items: list[HoursPublic]
    next_cursor: str | None
