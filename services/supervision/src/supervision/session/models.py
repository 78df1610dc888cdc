"""Tables of the supervision session aggregate: one row per logged session, never deleted."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class SessionFormat(StrEnum):
    """Individual or group supervision (domain.md §Supervision)."""

    INDIVIDUAL = "individual"
    GROUP = "group"


class Topic(StrEnum):
    """What the supervisor's sign-off covers: the fixed list of domain.md §Supervision."""

    ASSESSMENTS = "assessments"
    INTERPRETATIONS = "interpretations"
    REFERRALS = "referrals"
    SUPPORT_INTERVENTIONS = "support_interventions"
    PLANNING = "planning"


class SupervisionSession(SQLModel, table=True):
    """A supervision session as logged; signed off, it is locked and only superseded."""

    __tablename__ = "supervision_session"
    __table_args__ = (
        # The overlap check: the supervisor's current sessions by start.
        Index("ix_supervision_session_supervisor_starts", "supervisor_id", "starts_at"),
        # Compliance and listings: a peer's sessions by day.
        Index("ix_supervision_session_peer_day", "peer_applicant_id", "held_on"),
        CheckConstraint("stops_at > starts_at", name="stops_after_start"),
        CheckConstraint("minutes > 0", name="positive_minutes"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    agreement_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("supervision_agreement.id")]
    )
    # Copied from the agreement so scoping and compliance need no join.
    peer_applicant_id: str = Field(max_length=200)
    supervisor_id: str = Field(max_length=200)
    # As the peer gave them when logging (the record keeps what was attested then).
    peer_name: str = Field(max_length=200)
    peer_certification_number: str | None = Field(default=None, max_length=100)
    # As the supervisor gave them when signing off.
    supervisor_name: str | None = Field(default=None, max_length=200)
    supervisor_license_number: str | None = Field(default=None, max_length=100)
    held_on: date = Field(description="the local day, in the board's time zone")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    stops_at: datetime = Field(sa_type=UTCDateTime)
    minutes: int
    format: SessionFormat = Field(sa_type=enum_type(SessionFormat))
    topics: list[str] = Field(sa_column=Column(JSON, nullable=False))
    signed_off_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signed_off_by: str | None = Field(default=None, max_length=200)
    # An amendment is a new row naming the one it replaces; the earlier row stays, marked.
    supersedes_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("supervision_session.id")]
    )
    amendment_reason: str | None = Field(default=None, max_length=2000)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    superseded_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    created_by: str = Field(max_length=200)
    version: int = 1
