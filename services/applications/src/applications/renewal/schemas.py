"""What the renewal routes read and answer."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field

from applications.certification.rules import CertificationStatus
from applications.renewal.categories import CeCategory
from applications.renewal.models import RenewalKind
from applications.renewal.terms import RenewalFee
from certboard_core.fields import IsoDate, IsoDateTime
from certboard_core.schemas import RequestModel


class RenewalRequest(RequestModel):
    """The holder's renewal: both attestations, against the certification they read."""

    expected_version: int = Field(description="the certification's `version` you read")
    ce_attested: bool = Field(description="I completed the continuing education required")
    code_of_ethics_signed: bool = Field(description="I sign the Code of Ethics again")


class FeeOwed(BaseModel):
    kind: RenewalFee
    amount_cents: int = Field(description="the policy's amount; 0: the board sets it")
    recorded_reference: str | None = Field(
        description="the unused payment recorded for it; null: still to pay"
    )


class CategoryNeed(BaseModel):
    category: CeCategory
    required_hours: Decimal
    earned_hours: Decimal
    still_needed_hours: Decimal
    due_on: IsoDate = Field(description="the last day of the span the minimum covers")


class CeNeed(BaseModel):
    """The CE of the cycle the current period closes."""

    cycle: int = Field(description="0: the period of issue")
    starts_on: IsoDate
    ends_on: IsoDate
    required_hours: Decimal
    earned_hours: Decimal
    carried_in_hours: Decimal
    still_needed_hours: Decimal
    categories: list[CategoryNeed]
    carry_note: str
    proof_required: bool = Field(description="CA: the ledger must show the hours to renew")


class RenewalView(BaseModel):
    """Where a certification stands and what renewing it takes today."""

    certification_id: uuid.UUID
    number: str
    status: CertificationStatus
    status_since: IsoDate | None
    status_until: IsoDate | None
    status_rule: str
    valid_through: IsoDate
    window_opens_on: IsoDate
    window_closes_on: IsoDate
    may_renew: bool
    code: str = Field(description="RENEWAL_OPEN, RENEWAL_LATE, REINSTATEMENT or why not")
    message: str
    new_valid_through: IsoDate | None = Field(description="if renewed today")
    fees: list[FeeOwed]
    ce: CeNeed
    all_accrued_ce_hours_still_needed: Decimal | None = Field(
        description="a reinstatement: every cycle's missing hours since the period lapsed"
    )
    mandatory_audit: bool
    version: int = Field(description="send back as `expected_version` to renew")


class RenewalPublic(BaseModel):
    id: uuid.UUID
    certification_id: uuid.UUID
    kind: RenewalKind
    renewed_on: IsoDate
    previous_valid_through: IsoDate
    valid_through: IsoDate
    ce_attested: bool
    code_of_ethics_signed: bool
    ce_earned_hundredths: int
    ce_still_needed_hundredths: int
    fees_cents: int
    audit_required: bool
    created_by: str
    created_at: IsoDateTime
