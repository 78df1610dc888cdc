"""What the certificate API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, EmailStr, Field, field_validator

from applications.certificate.models import CertificateStatus
from certboard_core.fields import IsoDate
from certboard_core.schemas import RequestModel


class CertificateUpload(RequestModel):
    """A batch from a provider. Rows are checked one by one, so one bad row never sinks the
    batch: each comes back accepted, duplicate or rejected with the field at fault."""

    certificates: list[dict[str, Any]] = Field(min_length=1, max_length=1000)


class CertificateRow(BaseModel):
    """One certificate as a provider sends it."""

    certificate_id: str = Field(min_length=1, max_length=200, description="the provider's own id")
    legal_name: str = Field(min_length=1, max_length=200)
    date_of_birth: IsoDate
    email: EmailStr
    program_id: uuid.UUID
    completion_date: IsoDate
    hours: int = Field(ge=1, le=10_000)
    applicant_id: str | None = Field(default=None, max_length=200)
    file_base64: str | None = Field(default=None, description="PDF or JPEG, base64")

    @field_validator("legal_name", "certificate_id")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class RowResult(BaseModel):
    index: int
    certificate_id: str | None
    outcome: Outcome
    id: uuid.UUID | None = None
    field: str | None = None
    reason: str | None = None


class BatchCounts(BaseModel):
    accepted: int
    duplicate: int
    rejected: int


class UploadResult(BaseModel):
    batch: BatchCounts
    results: list[RowResult]


class CertificatePublic(BaseModel):
    id: uuid.UUID
    provider_id: uuid.UUID
    program_id: uuid.UUID
    provider_certificate_id: str
    legal_name: str
    date_of_birth: date
    email: str
    completed_on: date
    hours: int
    valid_through: date
    applicant_id: str | None
    application_id: uuid.UUID | None
    received_at: datetime
    review_due_on: date
    status: CertificateStatus
    reviewed_at: datetime | None
    review_reason: str | None
    has_file: bool
    version: int


class CertificateCounts(BaseModel):
    pending_review: int
    breaches: int
    unmatched: int
    next_review_due_on: date | None = Field(description="the earliest pending review day")


class CertificatePage(BaseModel):
    items: list[CertificatePublic]
    next_cursor: str | None


class Review(RequestModel):
    expected_version: int = Field(ge=1)
    reason: str | None = Field(default=None, max_length=2000)


class Link(RequestModel):
    expected_version: int = Field(ge=1)
    application_id: uuid.UUID
