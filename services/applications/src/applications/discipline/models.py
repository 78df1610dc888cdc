"""Complaints against certified people, their attachments, and staff's decisions on them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Uuid
from sqlmodel import Field, SQLModel

from applications.discipline.rules import ComplaintStatus, DisciplineOutcome
from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class Complaint(SQLModel, table=True):
    __tablename__ = "complaint"
    __table_args__ = (
        Index("ix_complaint_queue", "status", "received_at", "id"),
        Index("ix_complaint_certification", "certification_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    certification_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification.id")]
    )
    description: str = Field(max_length=10_000)
    # Who complained: optional for the public; a signed-in caller's identity is kept too.
    complainant_name: str | None = Field(default=None, max_length=200)
    complainant_email: str | None = Field(default=None, max_length=320)
    filed_by: str = Field(max_length=200)
    received_at: datetime = Field(sa_type=UTCDateTime)
    status: ComplaintStatus = Field(sa_type=enum_type(ComplaintStatus))
    investigator: str | None = Field(default=None, max_length=200)
    investigation_note: str | None = Field(default=None, max_length=10_000)
    investigation_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: DisciplineOutcome | None = Field(default=None, sa_type=enum_type(DisciplineOutcome))
    reasons: str | None = Field(default=None, max_length=10_000)
    conditions: str | None = Field(default=None, max_length=10_000)
    ends_on: date | None = None
    decided_on: date | None = None
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    appeal_until: date | None = None
    version: int = 1


class ComplaintAttachment(SQLModel, table=True):
    __tablename__ = "complaint_attachment"
    __table_args__ = (Index("ix_complaint_attachment_complaint", "complaint_id"),)

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    complaint_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("complaint.id")])
    storage_key: str = Field(max_length=64)
    content_type: str = Field(max_length=100)
    sha256: str = Field(max_length=64)
    name: str | None = Field(default=None, max_length=200)
    size_bytes: int


def snapshot(row: Complaint) -> dict[str, Any]:
    """The audit trail's picture of a complaint."""
    return row.model_dump(mode="json")
