"""What the CE ledger's API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import UploadFile
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from applications.ce.hours import HoursText
from applications.ce.models import CeRecordStatus, CeSource
from applications.renewal.ce_rules import CeCategory
from certboard_core.fields import IsoDate
from certboard_core.schemas import FormModel, RequestModel

# Surrounding blanks removed, then at least one character left.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CourseCreate(RequestModel):
    """A CE course staff approve for a provider."""

    name: str = Field(min_length=2, max_length=200, pattern=r"\S")
    hours: HoursText
    category: CeCategory


class CourseUpdate(RequestModel):
    """Withdraw a course (its completions are refused from then on) or approve it again."""

    expected_version: int = Field(ge=1)
    active: bool


class CoursePublic(BaseModel):
    id: uuid.UUID
    provider_id: uuid.UUID
    name: str
    hours: Decimal = Field(description="exact, two decimal places")
    category: CeCategory
    active: bool
    created_at: datetime
    version: int


class CompletionUpload(RequestModel):
    """A batch of completions from a provider. Rows are checked one by one, so one bad row
    never sinks the batch: each comes back accepted, duplicate or rejected with its field."""

    completions: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=1000,
        description=(
            "rows of {completion_id (your own id), course_id (an approved CE course of yours), "
            "certificate_number (as printed on the certificate), completed_on (YYYY-MM-DD)}"
        ),
    )


class CompletionRow(BaseModel):
    """One completion as a provider reports it: hours and category come from the course, so
    a row that names them (or anything else) is refused rather than silently overruled."""

    model_config = ConfigDict(extra="forbid")

    completion_id: Text = Field(description="the provider's own id")
    course_id: uuid.UUID
    certificate_number: Text = Field(
        max_length=40, description="as printed on the person's certificate"
    )
    completed_on: IsoDate


class CeOutcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class CeRowResult(BaseModel):
    index: int
    completion_id: str | None
    outcome: CeOutcome
    id: uuid.UUID | None = None
    field: str | None = None
    reason: str | None = None


class CeBatchCounts(BaseModel):
    accepted: int
    duplicate: int
    rejected: int


class CeUploadResult(BaseModel):
    batch: CeBatchCounts
    results: list[CeRowResult]


class SelfReport(FormModel):
    """A completion the certified person reports, with its proof (multipart)."""

    course_title: Text
    provider_name: Text
    hours: HoursText
    category: CeCategory
    completed_on: IsoDate
    document: UploadFile = Field(description="certificate of completion; JPEG or PDF")


class CeRecordPublic(BaseModel):
    id: uuid.UUID
    certification_id: uuid.UUID
    applicant_id: str
    source: CeSource
    provider_id: uuid.UUID | None
    course_id: uuid.UUID | None
    provider_completion_id: str | None
    course_title: str
    provider_name: str
    hours: Decimal = Field(description="exact, two decimal places")
    hours_hundredths: int
    category: CeCategory
    completed_on: date
    received_at: datetime
    status: CeRecordStatus = Field(description="only accepted records count")
    has_document: bool
    reviewed_at: datetime | None
    review_reason: str | None
    version: int


class CeRecordList(BaseModel):
    """Records of one or more certifications, by certification, then completion day."""

    items: list[CeRecordPublic]


class CeRecordPage(BaseModel):
    items: list[CeRecordPublic]
    next_cursor: str | None


class CeCounts(BaseModel):
    pending_verification: int
    oldest_received_at: datetime | None = Field(description="of the self-reports still waiting")


class CeReview(RequestModel):
    expected_version: int = Field(ge=1)
    reason: str | None = Field(default=None, max_length=2000)
