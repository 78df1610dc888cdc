"""What the accommodation API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from fastapi import UploadFile
from pydantic import BaseModel, Field

from exams.accommodation.models import AccommodationStatus


class AccommodationSubmission(BaseModel):
    """The multipart form of a request: what is needed and the document supporting it."""

    description: str = Field(min_length=1, max_length=4000)
    document: UploadFile = Field(description="the supporting document; JPEG or PDF")


class Decision(BaseModel):
    expected_version: int = Field(ge=1, description="the version you read; a stale one is a 409")
    reason: str | None = Field(default=None, max_length=2000)


class Denial(Decision):
    reason: str = Field(min_length=1, max_length=2000)


class AccommodationPublic(BaseModel):
    """An accommodation request as its applicant and staff see it (the file is served apart)."""

    id: uuid.UUID
    authorization_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: str
    description: str
    document_content_type: str
    document_name: str
    submitted_at: datetime
    submitted_on: date
    review_due_on: date
    status: AccommodationStatus
    decided_at: datetime | None
    decision_reason: str | None
    # Past its review day and still pending.
    overdue: bool
    version: int


class AccommodationPage(BaseModel):
    items: list[AccommodationPublic]
    next_cursor: str | None
    breaches: int
