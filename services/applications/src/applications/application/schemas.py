"""What the application API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, EmailStr, Field, field_validator

from applications.application.models import (
    ApplicationStatus,
    DocumentKind,
    LivedExperience,
)


class ApplicationCreate(BaseModel):
    """The form an applicant completes in one session (documents travel beside it)."""

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: date
    email: EmailStr
    code_of_ethics_agreed: bool = Field(description="agrees in writing to the Code of Ethics")
    lived_experience: LivedExperience
    willing_to_share_experience: bool

    @field_validator("first_name", "last_name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        # Names must match the ID exactly, so only surrounding blanks are removed.
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class DocumentPublic(BaseModel):
    id: uuid.UUID
    kind: DocumentKind
    content_type: str
    size_bytes: int
    sha256: str
    original_filename: str | None
    uploaded_at: datetime


class ApplicationPublic(BaseModel):
    id: uuid.UUID
    applicant_id: str
    status: ApplicationStatus
    first_name: str
    last_name: str
    date_of_birth: date
    email: str
    code_of_ethics_agreed: bool
    lived_experience: LivedExperience
    willing_to_share_experience: bool
    submitted_at: datetime
    submitted_on: date = Field(
        description="the local day of submission in the board's zone (day 0)"
    )
    first_notification_due_on: date = Field(
        description="the last day on which the board's first notice is on time"
    )
    first_notification_days_left: int = Field(
        description="days until that due date as of today in the board's zone; negative when past"
    )
    version: int
    documents: list[DocumentPublic]


class ApplicationPage(BaseModel):
    items: list[ApplicationPublic]
    next_cursor: str | None = Field(
        description="pass as `after` for the next page; null at the end"
    )
