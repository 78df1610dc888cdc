"""Tables of the application aggregate."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint, Uuid, text
from sqlmodel import Field, SQLModel

from applications.application.lifecycle import ApplicationStatus
from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class LivedExperience(StrEnum):
    """How the applicant self-identifies (domain.md §Application 1)."""

    CONSUMER = "consumer"
    FAMILY_MEMBER = "family_member"


class DocumentKind(StrEnum):
    GOVERNMENT_ID = "government_id"
    DIPLOMA = "diploma"
    OTHER = "other"


class BackgroundCheck(StrEnum):
    NOT_VERIFIED = "not_verified"
    PASSED = "passed"
    FAILED = "failed"


class ApplicationBase(SQLModel):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date
    email: str = Field(max_length=254)
    code_of_ethics_agreed: bool
    lived_experience: LivedExperience = Field(sa_type=enum_type(LivedExperience))
    willing_to_share_experience: bool
    # Montana's extra attestations (policy.requires_recovery_attestations); null elsewhere.
    recovery_two_years_attested: bool | None = None
    diagnosis_treatment_attested: bool | None = None


DUE = "first_notification_due_on"
WAITING = "first_notified_on IS NULL"
NOTIFIED = "first_notified_on IS NOT NULL"
NOTIFIED_LATE = "first_notified_on > first_notification_due_on"


def _partial(name: str, where: str, *columns: str) -> Index:
    return Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where))


class Application(ApplicationBase, table=True):
    __tablename__ = "application"
    __table_args__ = (
        Index("ix_application_applicant", "applicant_id", "submitted_at"),
        Index("ix_application_status_submitted", "status", "submitted_at", "id"),
        Index("ix_application_first_notification", "first_notification_due_on", "id"),
        Index("ix_application_status_last_day", "status", "last_day_to_complete", "id"),
        Index("ix_application_status_valid_through", "status", "valid_through", "id"),
        Index("ix_application_last_name", "last_name"),
        Index("ix_application_person", "email", "date_of_birth"),
        # The first-notice work queues (applications.queue) count and page the applications
        # still waiting for their first notice, and those notified late; partial, so each
        # holds only those rows and a count reads its index alone, never the table.
        _partial("ix_application_awaiting_first_notice", WAITING, "status", DUE),
        _partial("ix_application_awaiting_first_notice_due", WAITING, DUE),
        _partial("ix_application_notified_late", NOTIFIED_LATE, DUE),
        # The first-notice queue's last days (queue.history_repository) group these by their
        # days: each index holds every column read, so the table is never visited.
        _partial("ix_application_first_notice_waiting", WAITING, "submitted_on", DUE, "status"),
        _partial(
            "ix_application_first_notice_sent", NOTIFIED, "first_notified_on", "submitted_on", DUE
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    applicant_id: str = Field(max_length=200)
    status: ApplicationStatus = Field(
        default=ApplicationStatus.SUBMITTED, sa_type=enum_type(ApplicationStatus)
    )
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    # Deadlines are derived once, under the policy in force at the event, and stored so that
    # queues and the sweep select them through an index instead of recomputing every row.
    submitted_on: date
    first_notification_due_on: date
    last_day_to_complete: date
    first_notified_on: date | None = None
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    valid_through: date | None = None
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_reason: str | None = Field(default=None, max_length=2000)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    background_check: BackgroundCheck = Field(
        default=BackgroundCheck.NOT_VERIFIED, sa_type=enum_type(BackgroundCheck)
    )
    background_check_by: str | None = Field(default=None, max_length=200)
    background_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    background_check_note: str | None = Field(default=None, max_length=2000)
    version: int = 1


class ApplicationDocument(SQLModel, table=True):
    """Every version of every document is kept; the highest version of a kind is current."""

    __tablename__ = "application_document"
    __table_args__ = (
        UniqueConstraint("application_id", "kind", "version"),
        Index("ix_application_document_application", "application_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    application_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("application.id")])
    kind: DocumentKind = Field(sa_type=enum_type(DocumentKind))
    version: int = 1
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=64)
    original_filename: str | None = Field(default=None, max_length=255)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)
    uploaded_by: str = Field(max_length=200)


class RevisionRequest(SQLModel, table=True):
    """What staff asked the applicant to fix, from a fixed vocabulary plus free text."""

    __tablename__ = "revision_request"
    __table_args__ = (
        Index("ix_revision_request_application", "application_id", "requested_at"),
        # The incomplete queue's last days (queue.history_repository): what was answered since.
        Index("ix_revision_request_resolved", "resolved_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    application_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("application.id")])
    items: list[str] = Field(sa_type=JSON)
    note: str | None = Field(default=None, max_length=4000)
    requested_by: str = Field(max_length=200)
    requested_at: datetime = Field(sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def snapshot(application: Application) -> dict[str, Any]:
    """The audit trail's picture of an application."""
    return application.model_dump(mode="json")
