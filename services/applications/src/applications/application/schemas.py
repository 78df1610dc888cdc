"""What the application API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from fastapi import UploadFile
from pydantic import BaseModel, EmailStr, Field, field_validator

from applications.application.lifecycle import ApplicationStatus
from applications.application.models import BackgroundCheck, DocumentKind, LivedExperience
from applications.certificate.schemas import CertificatePublic
from applications.certification.schemas import CertificationPublic
from applications.notification.models import NotificationReason
from applications.payment.models import FeeKind
from certboard_core.fields import IsoDate
from certboard_core.schemas import FormModel, RequestModel


class ApplicationCreate(FormModel):
    """The form an applicant completes in one session (documents travel beside it)."""

    first_name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    last_name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    date_of_birth: IsoDate
    email: EmailStr
    code_of_ethics_agreed: bool = Field(description="agrees in writing to the Code of Ethics")
    lived_experience: LivedExperience
    willing_to_share_experience: bool
    recovery_two_years_attested: bool | None = Field(
        default=None, description="MT: two years in recovery (required where the policy says)"
    )
    diagnosis_treatment_attested: bool | None = Field(
        default=None, description="MT: attests to diagnosis, treatment and recovery"
    )

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        # Certificates are matched to applications by email: compare it in one case.
        return value.lower()

    @field_validator("first_name", "last_name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        # Names must match the ID exactly, so only surrounding blanks are removed.
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class ApplicationSubmission(ApplicationCreate):
    """The multipart form of a submission: the application's fields and its two documents,
    in one model so that OpenAPI lists every part of the request."""

    government_id: UploadFile = Field(description="government ID showing age; JPEG or PDF")
    diploma: UploadFile = Field(description="high school diploma or equivalent; JPEG or PDF")

    def application(self) -> ApplicationCreate:
        """The form without its documents."""
        return ApplicationCreate.model_validate(
            self.model_dump(exclude={"government_id", "diploma"})
        )


class RevisionItem(StrEnum):
    """The fixed vocabulary of what staff can ask an applicant to fix."""

    APPLICATION_FEE = "application_fee"
    GOVERNMENT_ID = "government_id"
    DIPLOMA = "diploma"
    NAME_MISMATCH = "name_mismatch"
    DATE_OF_BIRTH = "date_of_birth"
    ATTESTATION = "attestation"
    BACKGROUND_CHECK = "background_check"
    SUPERVISION_AGREEMENT = "supervision_agreement"
    OTHER = "other"


class Deadlines(BaseModel):
    """Every date that matters to this application, and the days left as of ``today``."""

    today: date = Field(description="today in the board's time zone")
    first_notification_due_on: date
    first_notification_days_left: int
    first_notified_on: date | None
    first_notification_on_time: bool | None = Field(
        description="true: notified in time; false: a breach; null: not yet, still in time"
    )
    last_day_to_complete: date = Field(description="submission day + the hold (90 days)")
    void_from: date = Field(description="incomplete on this day means void")
    days_left_to_complete: int | None = Field(description="while waiting on the applicant")
    valid_through: date | None
    days_left_valid: int | None
    exam_request_cutoff: date | None = Field(description="last day an exam request is accepted")
    days_left_to_request_exam: int | None


class DocumentPublic(BaseModel):
    id: uuid.UUID
    kind: DocumentKind
    version: int
    current: bool
    content_type: str
    size_bytes: int
    sha256: str
    original_filename: str | None
    uploaded_at: datetime


class RevisionRequestPublic(BaseModel):
    id: uuid.UUID
    items: list[RevisionItem]
    note: str | None
    requested_at: datetime
    resolved_at: datetime | None


class NotificationPublic(BaseModel):
    id: uuid.UUID
    reason: NotificationReason
    subject: str
    body: str
    created_at: datetime


class PaymentPublic(BaseModel):
    id: uuid.UUID
    kind: FeeKind
    amount_cents: int
    currency: str
    reference: str
    paid_at: datetime
    forfeited_at: datetime | None


class ApplicationSummary(BaseModel):
    id: uuid.UUID
    applicant_id: str
    status: ApplicationStatus = Field(description="as of today, deadlines applied")
    first_name: str
    last_name: str
    date_of_birth: date
    email: str
    lived_experience: LivedExperience
    submitted_at: datetime
    submitted_on: date = Field(description="the local day of submission (day 0)")
    approved_at: datetime | None
    decision_reason: str | None
    background_check: BackgroundCheck
    version: int = Field(description="send back as expected_version with every change")
    deadlines: Deadlines


class ApplicationPublic(ApplicationSummary):
    """The applicant's whole status view: what is missing, every date, what was sent, fees."""

    code_of_ethics_agreed: bool
    willing_to_share_experience: bool
    recovery_two_years_attested: bool | None
    diagnosis_treatment_attested: bool | None
    missing: list[RevisionItem] = Field(description="what the open revision request asks for")
    documents: list[DocumentPublic]
    revision_requests: list[RevisionRequestPublic]
    notifications: list[NotificationPublic]
    payments: list[PaymentPublic]
    training_certificates: list[CertificatePublic] = Field(
        description="completion certificates from training providers, and their review outcome"
    )
    certification: CertificationPublic | None = Field(
        default=None, description="the certification a pass earned; null until then"
    )


class ApplicationPage(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None = Field(
        description="pass as `after` for the next page; null at the end"
    )


class ApplicationIds(RequestModel):
    """Which applications a batch read asks for."""

    ids: list[uuid.UUID] = Field(
        min_length=1, max_length=200, description="repeats are answered once"
    )


class ApplicationViews(BaseModel):
    """The status views a batch read may show, in the order asked; others are left out."""

    items: list[ApplicationPublic]


class Versioned(RequestModel):
    expected_version: int = Field(ge=1, description="the version you read; a stale one is a 409")


class RevisionRequestCreate(Versioned):
    items: list[RevisionItem] = Field(min_length=1)
    note: str | None = Field(default=None, max_length=4000)
    confirm_void: bool = Field(
        default=False,
        description="the 90-day hold has ended: the request voids the application; confirm it",
    )

    @field_validator("items")
    @classmethod
    def _unique(cls, items: list[RevisionItem]) -> list[RevisionItem]:
        return list(dict.fromkeys(items))


class Decision(Versioned):
    reason: str | None = Field(default=None, max_length=2000)


class Denial(Versioned):
    reason: str = Field(min_length=3, max_length=2000)


class BackgroundCheckResult(Versioned):
    result: BackgroundCheck
    note: str | None = Field(default=None, max_length=2000)
