"""Reasonable-accommodation requests: reviewed within the policy's days, before scheduling."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Uuid
from sqlmodel import Field, SQLModel

from certboard_core.db import UTCDateTime, enum_type
from certboard_core.ids import new_id


class AccommodationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


class AccommodationRequest(SQLModel, table=True):
    __tablename__ = "accommodation_request"
    __table_args__ = (
        Index("ix_accommodation_request_review", "status", "review_due_on", "id"),
        Index("ix_accommodation_request_authorization", "authorization_id"),
        Index("ix_accommodation_request_applicant", "applicant_id", "submitted_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, sa_type=Uuid, primary_key=True)
    authorization_id: uuid.UUID = Field(
        sa_type=Uuid, sa_column_args=[ForeignKey("exam_authorization.id")]
    )
    application_id: uuid.UUID = Field(sa_type=Uuid)
    applicant_id: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    document_storage_key: str = Field(max_length=64)
    document_content_type: str = Field(max_length=100)
    document_sha256: str = Field(max_length=64)
    document_name: str = Field(max_length=255)
    submitted_by: str = Field(max_length=200)
    submitted_at: datetime = Field(sa_type=UTCDateTime)
    submitted_on: date
    review_due_on: date
    status: AccommodationStatus = Field(
        default=AccommodationStatus.PENDING, sa_type=enum_type(AccommodationStatus)
    )
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_reason: str | None = Field(default=None, max_length=2000)
    version: int = 1
