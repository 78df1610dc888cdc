"""What the supervision agreement API reads and returns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from certboard_core.fields import IsoDate
from supervision.agreement.models import AmendmentKind

Employer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class ActiveAgreementAnswer(BaseModel):
    """Whether a peer had a signed, current agreement with a clinical supervisor on a day."""

    applicant_id: str
    on: date = Field(description="the local day asked about, in the board's time zone")
    active: bool = Field(
        description="signed by both the peer and the supervisor, in force on that day, with a "
        "supervisor qualified on that day"
    )
    agreement_id: uuid.UUID | None = Field(description="the agreement in force; null when none")


class AgreementCreate(BaseModel):
    """A peer drafts the agreement with a supervisor; both then sign it."""

    supervisor_id: str = Field(min_length=1, max_length=200, description="the supervisor's id")
    employer: Employer
    starts_on: IsoDate
    ends_on: IsoDate | None = Field(default=None, description="inclusive; null: open-ended")
    relationship_attested: bool = Field(
        description="no prior therapeutic or personal relationship between the two (must be true)"
    )
    not_family_attested: bool = Field(
        description="the supervisor is not the peer's parent, child, spouse or sibling "
        "(must be true)"
    )


class AgreementAmend(BaseModel):
    """New terms; any change clears both signatures (the agreement is signed again)."""

    expected_version: int
    employer: Employer | None = None
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    open_ended: bool = Field(default=False, description="true removes the end date")
    reason: Reason | None = None


class Signature(BaseModel):
    expected_version: int


class Termination(BaseModel):
    expected_version: int
    terminated_on: IsoDate = Field(description="the last day the agreement holds")
    reason: Reason


class AgreementStatus(StrEnum):
    """Where an agreement stands today (computed when read)."""

    AWAITING_SIGNATURES = "awaiting_signatures"
    SIGNED = "signed"  # by both, starting later
    ACTIVE = "active"
    ENDED = "ended"
    TERMINATED = "terminated"


class AmendmentPublic(BaseModel):
    number: int
    kind: AmendmentKind
    earlier_terms: dict[str, Any]
    terms: dict[str, Any]
    reason: str | None
    amended_by: str
    amended_at: datetime


class AgreementPublic(BaseModel):
    id: uuid.UUID
    peer_applicant_id: str
    supervisor_id: str
    employer: str
    starts_on: date
    ends_on: date | None
    relationship_attested: bool
    not_family_attested: bool
    signed_by_peer_at: datetime | None
    signed_by_supervisor_at: datetime | None
    terminated_on: date | None
    termination_reason: str | None
    terminated_by: str | None
    terminated_at: datetime | None
    created_by: str | None
    created_at: datetime
    version: int
    status: AgreementStatus = Field(description="as of today in the board's time zone")
    at_risk_from: date | None = Field(
        description="the first day of the agreement without a valid supervisor license; "
        "null while the license covers all of it"
    )
    at_risk: bool = Field(description="at_risk_from is today or earlier")


class AgreementDetail(AgreementPublic):
    amendments: list[AmendmentPublic] = Field(description="every change, earliest first")


class AgreementList(BaseModel):
    items: list[AgreementPublic]


class AgreementPage(BaseModel):
    items: list[AgreementPublic]
    next_cursor: str | None
