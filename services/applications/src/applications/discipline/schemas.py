"""What the discipline routes read and answer."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import UploadFile
from pydantic import BaseModel, EmailStr, Field

from applications.certification.schemas import Unmet
from applications.discipline.rules import ComplaintStatus, DisciplineOutcome
from certboard_core.fields import IsoDate, IsoDateTime
from certboard_core.schemas import RequestModel

MAX_ATTACHMENTS = 5


class ComplaintForm(BaseModel):
    """A complaint, from anyone (multipart: attachments are optional files)."""

    certificate_number: str = Field(min_length=1, max_length=40, description="as printed")
    description: str = Field(min_length=20, max_length=10_000)
    complainant_name: str | None = Field(default=None, max_length=200)
    complainant_email: EmailStr | None = None
    attachments: list[UploadFile] = Field(
        default_factory=list, max_length=MAX_ATTACHMENTS, description="JPEG or PDF, up to 5"
    )


class ComplaintReceipt(BaseModel):
    """What the complainant learns back: that it arrived, and its reference."""

    reference: uuid.UUID
    received_at: IsoDateTime


class Investigation(RequestModel):
    expected_version: int
    note: str = Field(min_length=1, max_length=10_000)


class DecisionRequest(RequestModel):
    expected_version: int
    outcome: DisciplineOutcome
    reasons: str = Field(min_length=1, max_length=10_000)
    conditions: str | None = Field(default=None, min_length=1, max_length=10_000)
    ends_on: IsoDate | None = Field(
        default=None, description="probation's last day, or a suspension's last suspended day"
    )


class AttachmentPublic(BaseModel):
    id: uuid.UUID
    content_type: str
    name: str | None
    size_bytes: int


class ComplaintPublic(BaseModel):
    """A complaint as staff see it."""

    id: uuid.UUID
    certification_id: uuid.UUID
    description: str
    complainant_name: str | None
    complainant_email: str | None
    filed_by: str
    received_at: IsoDateTime
    status: ComplaintStatus
    investigator: str | None
    investigation_note: str | None
    outcome: DisciplineOutcome | None
    reasons: str | None
    conditions: str | None
    ends_on: IsoDate | None
    decided_on: IsoDate | None
    decided_by: str | None
    appeal_until: IsoDate | None
    version: int
    attachments: list[AttachmentPublic] = []


class ComplaintPage(BaseModel):
    items: list[ComplaintPublic]
    next_cursor: str | None
    received: int = Field(description="waiting for staff to take up, on every page")
    investigating: int


class DecisionPublic(BaseModel):
    """A decision about a certification, as its holder sees it (never who complained)."""

    outcome: DisciplineOutcome
    reasons: str
    conditions: str | None
    ends_on: date | None
    decided_on: date
    appeal_until: date
    in_force: bool


class DisciplineBars(BaseModel):
    """Whether discipline bars a person today, and why (for other services)."""

    applicant_id: str
    barred: bool
    reasons: list[Unmet]
