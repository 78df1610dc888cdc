"""Training completion certificates sent by providers, matched to applications, reviewed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, UniqueConstraint, Uuid, text
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id

REVIEWED = "reviewed_at IS NOT NULL"
MATCHED_LATER = "matched_at > received_at"


class CertificateStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class TrainingCertificate(SQLModel, table=True):
    __tablename__ = "training_certificate"
    __table_args__ = (
        # A provider's own certificate id is stored once, whatever the retries.
        UniqueConstraint("provider_id", "provider_certificate_id"),
        Index("ix_training_certificate_provider", "provider_id", "received_at", "id"),
        Index("ix_training_certificate_review", "status", "review_due_on", "id"),
        Index("ix_training_certificate_person", "email", "date_of_birth"),
        Index("ix_training_certificate_application", "application_id"),
        Index("ix_training_certificate_applicant", "applicant_id"),
        # The review and unmatched queues' last days (queue.history_repository): what left
        # them since a day, each index holding only rows that ever did.
        Index(
            "ix_training_certificate_reviewed",
            "reviewed_at",
            sqlite_where=text(REVIEWED),
            postgresql_where=text(REVIEWED),
        ),
        Index(
            "ix_training_certificate_matched_later",
            "matched_at",
            sqlite_where=text(MATCHED_LATER),
            postgresql_where=text(MATCHED_LATER),
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    provider_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("training_provider.id")]
    )
    program_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("training_program.id")])
    provider_certificate_id: str = Field(max_length=200)
    legal_name: str = Field(max_length=200)
    date_of_birth: date
    # Stored lower-cased: matching to applications is by email and date of birth.
    email: str = Field(max_length=254)
    completed_on: date
    hours: int
    valid_through: date
    applicant_id: str | None = Field(default=None, max_length=200)
    application_id: uuid.UUID | None = Field(
        default=None, sa_type=Uuid, sa_column_args=[ForeignKey("application.id")]
    )
    matched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_at: datetime = Field(sa_type=UTCDateTime)
    review_due_on: date
    status: CertificateStatus = Field(
        default=CertificateStatus.PENDING_REVIEW, sa_type=enum_type(CertificateStatus)
    )
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_on: date | None = None
    review_reason: str | None = Field(default=None, max_length=2000)
    file_storage_key: str | None = Field(default=None, max_length=64)
    file_content_type: str | None = Field(default=None, max_length=100)
    file_sha256: str | None = Field(default=None, max_length=64)
    version: int = 1
