"""Tables of the application aggregate."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"


class LivedExperience(StrEnum):
    """How the applicant self-identifies (domain.md §Application 1)."""

    CONSUMER = "consumer"
    FAMILY_MEMBER = "family_member"


class DocumentKind(StrEnum):
    GOVERNMENT_ID = "government_id"
    DIPLOMA = "diploma"


class ApplicationBase(SQLModel):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date
    email: str = Field(max_length=254)
    code_of_ethics_agreed: bool
    lived_experience: LivedExperience = Field(sa_type=enum_type(LivedExperience))
    willing_to_share_experience: bool


class Application(ApplicationBase, table=True):
    __tablename__ = "application"
    __table_args__ = (
        Index("ix_application_applicant", "applicant_id", "submitted_at"),
        Index("ix_application_status_submitted", "status", "submitted_at", "id"),
        Index("ix_application_first_notification_due", "first_notification_due_on"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, sa_type=Uuid, primary_key=True)
    applicant_id: str = Field(max_length=200)
    status: ApplicationStatus = Field(
        default=ApplicationStatus.SUBMITTED, sa_type=enum_type(ApplicationStatus)
    )
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    # Stored (derived at submission under the policy then in force) so staff queues can be
    # ordered and filtered by an index instead of recomputing every row.
    submitted_on: date
    first_notification_due_on: date
    version: int = 1


class ApplicationDocument(SQLModel, table=True):
    __tablename__ = "application_document"
    __table_args__ = (Index("ix_application_document_application", "application_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, sa_type=Uuid, primary_key=True)
    application_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("application.id")])
    kind: DocumentKind = Field(sa_type=enum_type(DocumentKind))
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=64)
    original_filename: str | None = Field(default=None, max_length=255)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)
