"""Tables of the hours-worked aggregate: what a peer reports, per day or per week."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class HoursPeriod(StrEnum):
    """What one report covers: a day, or a Monday-to-Sunday week in the board's zone."""

    DAY = "day"
    WEEK = "week"


class HoursWorked(SQLModel, table=True):
    """Hours a peer worked under one agreement; a correction supersedes, never overwrites."""

    __tablename__ = "supervision_hours"
    __table_args__ = (
        Index("ix_supervision_hours_peer_day", "peer_applicant_id", "starts_on"),
        Index("ix_supervision_hours_agreement_day", "agreement_id", "starts_on"),
        CheckConstraint("hundredths >= 0", name="hours_not_negative"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    agreement_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("supervision_agreement.id")]
    )
    peer_applicant_id: str = Field(max_length=200)
    supervisor_id: str = Field(max_length=200)
    period: HoursPeriod = Field(sa_type=enum_type(HoursPeriod))
    # The day reported, or the Monday of the week reported.
    starts_on: date
    # Hours to two decimal places, stored as whole hundredths: exact on every backend.
    hundredths: int
    supersedes_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("supervision_hours.id")]
    )
    amendment_reason: str | None = Field(default=None, max_length=2000)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    superseded_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)
    version: int = 1
