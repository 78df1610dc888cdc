"""What the authorization API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from pydantic import BaseModel, Field

from certboard_core.fields import IsoDate
from exams.accommodation.schemas import AccommodationPublic
from exams.attempt.schemas import AttemptPublic
from exams.authorization.models import AuthorizationStatus, DeliveryMode, RequestKind
from exams.form.models import Language


class ExamRequest(BaseModel):
    application_id: uuid.UUID
    language: Language
    delivery_mode: DeliveryMode


class Versioned(BaseModel):
    expected_version: int = Field(ge=1, description="the version you read; a stale one is a 409")


class ScheduleCreate(Versioned):
    scheduled_on: IsoDate = Field(description="the exam day, inside the authorization's window")
    scheduled_at_time: time = Field(description="local time at the site (or online) HH:MM")
    site: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="the test centre; required at a test centre, absent online",
    )


class NoShow(Versioned):
    reason: str | None = Field(default=None, max_length=2000)


class VendorFault(Versioned):
    incident: str = Field(min_length=1, max_length=200, description="the vendor's incident number")
    reason: str | None = Field(default=None, max_length=2000)


class Void(Versioned):
    reason: str = Field(min_length=1, max_length=2000)


class AuthorizationPublic(BaseModel):
    """An authorization as its applicant and staff see it; ``status`` is as of today."""

    id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: str
    kind: RequestKind
    language: Language
    delivery_mode: DeliveryMode
    fee_reference: str
    status: AuthorizationStatus
    granted_at: datetime
    granted_on: date
    valid_through: date
    review_due_on: date
    scheduled_on: date | None
    scheduled_at_time: time | None
    site: str | None
    form_id: uuid.UUID | None
    ended_on: date | None
    end_reason: str | None
    vendor_incident: str | None
    replaces_id: uuid.UUID | None
    replaced_by_id: uuid.UUID | None
    # Whether it uses one of the application's attempts (as of today).
    counts_as_attempt: bool
    result: AttemptPublic | None = Field(
        description="the attempt's result (its candidate's own, or staff); null until one is "
        "recorded"
    )
    version: int


class AuthorizationPage(BaseModel):
    items: list[AuthorizationPublic]
    next_cursor: str | None
    # Overdue: scheduling details later than their review day (the whole queue, not the page).
    breaches: int


class ExamSummary(BaseModel):
    """An application's exams: attempts used and left, and every authorization."""

    application_id: uuid.UUID
    attempts_used: int
    attempts_left: int
    attempts_limit: int
    authorizations: list[AuthorizationPublic]
    accommodations: list[AccommodationPublic] = Field(
        description="every accommodation request made for its authorizations, oldest first"
    )


class ExamSummaries(BaseModel):
    """Summaries of the asked applications that have authorizations the caller may read; an
    application absent here has none (0 used, ``attempts_limit`` left)."""

    attempts_limit: int
    items: list[ExamSummary]
