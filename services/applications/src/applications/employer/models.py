"""Employers who follow certifications: their profile, what they enrolled, what they were told."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint, Uuid
from sqlmodel import Field, SQLModel

from applications.employer.rules import AlertKind
from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class Employer(SQLModel, table=True):
    """One per token subject of the ``employer`` role: who it is and where alerts go."""

    __tablename__ = "employer"
    __table_args__ = (UniqueConstraint("subject"),)

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    subject: str = Field(max_length=200)
    organisation: str = Field(max_length=200)
    alert_email: str = Field(max_length=320)
    webhook_url: str | None = Field(default=None, max_length=2000)
    # Signs webhook bodies as the providers' are signed; shown once, when the profile is made.
    webhook_secret: str = Field(max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class Enrolment(SQLModel, table=True):
    """An employer following one certification, from ``enrolled_at`` until it un-enrols
    (the row is then deleted; its alerts stay)."""

    __tablename__ = "employer_enrolment"
    __table_args__ = (
        UniqueConstraint("employer_id", "certification_id"),
        Index("ix_employer_enrolment_certification", "certification_id"),
        Index("ix_employer_enrolment_listing", "employer_id", "enrolled_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    employer_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("employer.id")])
    certification_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification.id")]
    )
    enrolled_at: datetime = Field(sa_type=UTCDateTime)
    enrolled_by: str = Field(max_length=200)


class EmployerAlert(SQLModel, table=True):
    """What one enrolment was told of one change; its unique key makes each change reach each
    enrolment once, however often the change's event is delivered."""

    __tablename__ = "employer_alert"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "dedupe_key"),
        Index("ix_employer_alert_listing", "employer_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    employer_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("employer.id")])
    # No foreign key: an alert outlives the enrolment it was sent for.
    enrolment_id: uuid.UUID = Field(sa_type=Uuid)
    certification_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification.id")]
    )
    number: str = Field(max_length=20)
    kind: AlertKind = Field(sa_type=enum_type(AlertKind))
    # ``event:<id>`` for a change's event; ``expiring:<valid through>:<days>d`` for a sweep's.
    dedupe_key: str = Field(max_length=120)
    summary: str = Field(max_length=1000)
    detail: dict[str, Any] = Field(sa_type=JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)


def snapshot(row: Employer | Enrolment) -> dict[str, Any]:
    """The audit trail's picture of a profile or an enrolment (never the webhook secret)."""
    return row.model_dump(mode="json", exclude={"webhook_secret"})
