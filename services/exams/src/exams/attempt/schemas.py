"""What the attempts API reads and returns: never a key, never which items were wrong."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from certboard_core.fields import IsoDateTime
from exams.attempt.models import ScoreSource

Letter = Annotated[str, StringConstraints(pattern="^[A-Za-z]$", to_upper=True)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class DomainCount(BaseModel):
    domain: str = Field(min_length=1, max_length=100)
    correct: int = Field(ge=0, le=10_000)
    total: int = Field(ge=1, le=10_000)


class VendorScore(BaseModel):
    """A score the test vendor reported; it must add up (domains to the whole, and to the
    form's domains when the form is known)."""

    correct: int = Field(ge=0, le=10_000)
    total: int = Field(ge=1, le=10_000)
    domains: list[DomainCount] = Field(min_length=1, max_length=100)
    reference: str = Field(min_length=1, max_length=200, description="the vendor's own id")


class AttemptCreate(BaseModel):
    """An attempt: either the candidate's responses (scored here) or the vendor's score."""

    authorization_id: uuid.UUID
    taken_at: IsoDateTime = Field(description="when the exam was sat, with a UTC offset")
    form_id: uuid.UUID | None = Field(
        default=None, description="the form sat; defaults to the authorization's form"
    )
    responses: dict[int, Letter] | None = Field(
        default=None,
        max_length=1000,
        description="item number to the option chosen; unanswered items are left out",
    )
    vendor_score: VendorScore | None = None

    @field_validator("taken_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("needs a UTC offset, e.g. 2026-03-10T17:00:00Z")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> AttemptCreate:
        if (self.responses is None) == (self.vendor_score is None):
            raise ValueError("give either responses or vendor_score, not both or neither")
        return self


class DomainResult(BaseModel):
    domain: str
    correct: int
    total: int
    percent: str = Field(description="exact percentage, rounded down to 2 decimals")


class AttemptPublic(BaseModel):
    """A result as the candidate and staff read it: the score and its split by domain."""

    id: uuid.UUID
    authorization_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: str
    form_id: uuid.UUID | None
    source: ScoreSource
    taken_at: datetime
    taken_on: date
    correct: int
    total: int
    percent: str = Field(description="exact percentage, rounded down to 2 decimals")
    passed: bool
    pass_mark_percent: int
    domains: list[DomainResult]
    vendor_reference: str | None
    recorded_at: datetime
    result_notice_due_on: date
    result_notice_sent_at: datetime | None
    version: int


class AttemptPage(BaseModel):
    items: list[AttemptPublic]
    next_cursor: str | None


class NoticeQueue(BaseModel):
    """Results whose formal notice is unsent, earliest due first."""

    items: list[AttemptPublic]
    next_cursor: str | None
    unsent: int
    breaches: int = Field(description="unsent notices already past their due day")


class NoticeSend(BaseModel):
    expected_version: int = Field(ge=1)


class KeyCorrection(BaseModel):
    expected_version: int = Field(ge=1, description="the form's version")
    key: Letter
    reason: Reason


class KeyCorrected(BaseModel):
    """What a key correction did (the key itself is not repeated)."""

    form_id: uuid.UUID
    item_number: int
    form_version: int
    rescored: int = Field(description="attempts with responses on the form, all rescored")
    changed: int = Field(description="attempts whose score changed (a result change each)")
    outcome_changed: int = Field(description="attempts whose pass or fail changed")


class ItemStatisticsPublic(BaseModel):
    number: int
    domain: str
    correct: int
    p: str | None = Field(description="proportion correct, 4 decimals rounded down")
    point_biserial: str | None = Field(
        description="corrected item-total correlation, 4 decimals toward zero; null: no variance"
    )
    flags: list[str]


class ItemAnalysisPublic(BaseModel):
    form_id: uuid.UUID
    attempts: int = Field(description="attempts scored from responses (vendor scores lack items)")
    items: list[ItemStatisticsPublic]
    kr20: str | None = Field(description="KR-20, 4 decimals rounded down; null: no variance")
    flags: list[str]
