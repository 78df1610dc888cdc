"""The continuing-education ledger: approved CE courses of providers, and each person's records.

Hours are whole hundredths of an hour (``applications.renewal.ce_rules``), never floats.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid, text
from sqlmodel import Field, SQLModel

from applications.renewal.ce_rules import CeCategory
from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id

REVIEWED = "reviewed_at IS NOT NULL"


class CeRecordStatus(StrEnum):
    """Only accepted records count toward a requirement."""

    PENDING_VERIFICATION = "pending_verification"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CeSource(StrEnum):
    """Who told the board of a completion: an approved provider, or the person with proof."""

    PROVIDER = "provider"
    SELF_REPORTED = "self_reported"


class CeCourse(SQLModel, table=True):
    """A CE course the board approved for one provider: its hours and category are fixed
    here, so a provider's report names the course, never its own idea of the hours."""

    __tablename__ = "ce_course"
    __table_args__ = (UniqueConstraint("provider_id", "name"),)

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    provider_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("training_provider.id")]
    )
    name: str = Field(max_length=200)
    hours: int = Field(ge=1, description="hundredths of an hour")
    category: CeCategory = Field(sa_type=enum_type(CeCategory))
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    version: int = 1


class CeRecord(SQLModel, table=True):
    """One completion in a certified person's ledger, reported by a provider (accepted on
    arrival) or by the person (waits for staff to verify its document)."""

    __tablename__ = "ce_record"
    __table_args__ = (
        # A provider's own completion id is stored once, whatever the retries (NULLs, the
        # self-reports, never collide).
        UniqueConstraint("provider_id", "provider_completion_id"),
        Index("ix_ce_record_certification", "certification_id", "completed_on", "id"),
        Index("ix_ce_record_verification", "status", "received_at", "id"),
        Index("ix_ce_record_applicant", "applicant_id"),
        # The verification queue's last days (queue.history_repository): what staff verified
        # since a day.
        Index(
            "ix_ce_record_reviewed",
            "reviewed_at",
            sqlite_where=text(REVIEWED),
            postgresql_where=text(REVIEWED),
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    certification_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("certification.id")]
    )
    # The certification's holder, kept on the row so owner scoping needs no join.
    applicant_id: str = Field(max_length=200)
    source: CeSource = Field(sa_type=enum_type(CeSource))
    provider_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("training_provider.id")]
    )
    course_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("ce_course.id")]
    )
    provider_completion_id: str | None = Field(default=None, max_length=200)
    # Copied from the course (or as the person typed them): the record reads alone.
    course_title: str = Field(max_length=200)
    provider_name: str = Field(max_length=200)
    hours: int = Field(description="hundredths of an hour")
    category: CeCategory = Field(sa_type=enum_type(CeCategory))
    completed_on: date
    received_at: datetime = Field(sa_type=UTCDateTime)
    status: CeRecordStatus = Field(sa_type=enum_type(CeRecordStatus))
    document_storage_key: str | None = Field(default=None, max_length=64)
    document_content_type: str | None = Field(default=None, max_length=100)
    document_sha256: str | None = Field(default=None, max_length=64)
    document_name: str | None = Field(default=None, max_length=200)
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_reason: str | None = Field(default=None, max_length=2000)
    version: int = 1


def snapshot(row: CeCourse | CeRecord) -> dict[str, Any]:
    """The audit trail's picture of a course or a record."""
    return row.model_dump(mode="json")
