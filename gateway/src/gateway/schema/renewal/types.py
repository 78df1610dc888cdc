"""Renewal and CE audits as the gateway shows them."""

from __future__ import annotations

import datetime
import decimal
from enum import Enum
from typing import Any

import strawberry

from gateway.schema.applications.enums import CertificationStatus
from gateway.schema.common import day, instant, maybe_day, maybe_id, maybe_instant


@strawberry.enum(description="What a CE course counts toward (every hour also counts in total).")
class CeCategory(Enum):
    GENERAL = "general"
    LAW_AND_ETHICS = "law_and_ethics"
    SUICIDE_PREVENTION = "suicide_prevention"


@strawberry.enum(description="A fee a renewal may owe.")
class RenewalFee(Enum):
    RENEWAL = "renewal"
    LATE = "late"
    REINSTATEMENT = "reinstatement"


@strawberry.enum(description="On time, late (lapsed) or a reinstatement (expired).")
class RenewalKind(Enum):
    ON_TIME = "on_time"
    LATE = "late"
    REINSTATEMENT = "reinstatement"


@strawberry.enum(description="Where a CE audit stands.")
class AuditStatus(Enum):
    AWAITING_PROOF = "awaiting_proof"
    PROOF_SUBMITTED = "proof_submitted"
    DEFICIENT = "deficient"
    ACCEPTED = "accepted"
    REFERRED = "referred"


@strawberry.enum(description="Staff's finding on an audit's proof.")
class AuditOutcome(Enum):
    ACCEPTED = "accepted"
    DEFICIENT = "deficient"
    REFERRED = "referred"


def _hours(value: str) -> decimal.Decimal:
    return decimal.Decimal(value)


@strawberry.type(description="A fee renewing takes today, and the payment recorded for it.")
class FeeOwed:
    kind: RenewalFee
    amount_cents: int = strawberry.field(description="The policy's amount; 0: the board's.")
    recorded_reference: str | None = strawberry.field(
        description="The unused payment recorded for it; null: still to pay."
    )


@strawberry.type(description="A category's minimum over its span of cycles.")
class CategoryNeed:
    category: CeCategory
    required_hours: decimal.Decimal
    earned_hours: decimal.Decimal
    still_needed_hours: decimal.Decimal
    due_on: datetime.date


@strawberry.type(description="The CE of the cycle the current period closes.")
class CeNeed:
    cycle: int = strawberry.field(description="0: the period of issue.")
    starts_on: datetime.date
    ends_on: datetime.date
    required_hours: decimal.Decimal
    earned_hours: decimal.Decimal
    carried_in_hours: decimal.Decimal
    still_needed_hours: decimal.Decimal
    categories: list[CategoryNeed]
    carry_note: str
    proof_required: bool = strawberry.field(description="CA: the ledger must show the hours.")


@strawberry.type(description="Where a certification stands and what renewing it takes today.")
class RenewalView:
    status: CertificationStatus
    status_since: datetime.date | None
    status_until: datetime.date | None
    status_rule: str = strawberry.field(description="The rule that made the status.")
    valid_through: datetime.date
    window_opens_on: datetime.date
    window_closes_on: datetime.date
    may_renew: bool
    code: str = strawberry.field(
        description="RENEWAL_OPEN, RENEWAL_LATE, REINSTATEMENT or why not."
    )
    message: str
    new_valid_through: datetime.date | None = strawberry.field(description="If renewed today.")
    fees: list[FeeOwed]
    ce: CeNeed
    all_accrued_ce_hours_still_needed: decimal.Decimal | None
    mandatory_audit: bool
    version: int = strawberry.field(description="Send back as `expectedVersion` to renew.")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RenewalView:
        ce = data["ce"]
        accrued = data["all_accrued_ce_hours_still_needed"]
        return cls(
            status=CertificationStatus(data["status"]),
            status_since=maybe_day(data["status_since"]),
            status_until=maybe_day(data["status_until"]),
            status_rule=data["status_rule"],
            valid_through=day(data["valid_through"]),
            window_opens_on=day(data["window_opens_on"]),
            window_closes_on=day(data["window_closes_on"]),
            may_renew=data["may_renew"],
            code=data["code"],
            message=data["message"],
            new_valid_through=maybe_day(data["new_valid_through"]),
            fees=[
                FeeOwed(
                    kind=RenewalFee(f["kind"]),
                    amount_cents=f["amount_cents"],
                    recorded_reference=f["recorded_reference"],
                )
                for f in data["fees"]
            ],
            ce=CeNeed(
                cycle=ce["cycle"],
                starts_on=day(ce["starts_on"]),
                ends_on=day(ce["ends_on"]),
                required_hours=_hours(ce["required_hours"]),
                earned_hours=_hours(ce["earned_hours"]),
                carried_in_hours=_hours(ce["carried_in_hours"]),
                still_needed_hours=_hours(ce["still_needed_hours"]),
                categories=[
                    CategoryNeed(
                        category=CeCategory(c["category"]),
                        required_hours=_hours(c["required_hours"]),
                        earned_hours=_hours(c["earned_hours"]),
                        still_needed_hours=_hours(c["still_needed_hours"]),
                        due_on=day(c["due_on"]),
                    )
                    for c in ce["categories"]
                ],
                carry_note=ce["carry_note"],
                proof_required=ce["proof_required"],
            ),
            all_accrued_ce_hours_still_needed=None if accrued is None else _hours(accrued),
            mandatory_audit=data["mandatory_audit"],
            version=data["version"],
        )


@strawberry.type(description="A renewal as recorded.")
class Renewal:
    id: strawberry.ID
    kind: RenewalKind
    renewed_on: datetime.date
    previous_valid_through: datetime.date
    valid_through: datetime.date
    ce_attested: bool
    code_of_ethics_signed: bool
    fees_cents: int
    audit_required: bool
    created_at: datetime.datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Renewal:
        return cls(
            id=strawberry.ID(data["id"]),
            kind=RenewalKind(data["kind"]),
            renewed_on=day(data["renewed_on"]),
            previous_valid_through=day(data["previous_valid_through"]),
            valid_through=day(data["valid_through"]),
            ce_attested=data["ce_attested"],
            code_of_ethics_signed=data["code_of_ethics_signed"],
            fees_cents=data["fees_cents"],
            audit_required=data["audit_required"],
            created_at=instant(data["created_at"]),
        )


@strawberry.type(description="A renewal's CE audit: drawn at random, or a reinstatement's.")
class CeAudit:
    id: strawberry.ID
    renewal_id: strawberry.ID
    certification_id: strawberry.ID
    applicant_id: str
    draw_id: strawberry.ID | None = strawberry.field(description="Null: mandatory.")
    status: AuditStatus
    proof_due_on: datetime.date
    cure_due_on: datetime.date | None
    due_on: datetime.date = strawberry.field(description="When the current step is due.")
    overdue: bool = strawberry.field(description="The holder let the day to send proof pass.")
    proof_name: str | None
    proof_received_at: datetime.datetime | None
    review_reason: str | None
    version: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CeAudit:
        return cls(
            id=strawberry.ID(data["id"]),
            renewal_id=strawberry.ID(data["renewal_id"]),
            certification_id=strawberry.ID(data["certification_id"]),
            applicant_id=data["applicant_id"],
            draw_id=maybe_id(data["draw_id"]),
            status=AuditStatus(data["status"]),
            proof_due_on=day(data["proof_due_on"]),
            cure_due_on=maybe_day(data["cure_due_on"]),
            due_on=day(data["due_on"]),
            overdue=data["overdue"],
            proof_name=data["proof_name"],
            proof_received_at=maybe_instant(data["proof_received_at"]),
            review_reason=data["review_reason"],
            version=data["version"],
        )


@strawberry.type
class CeAuditPage:
    items: list[CeAudit]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CeAuditPage:
        return cls(
            items=[CeAudit.from_json(a) for a in data["items"]], next_cursor=data["next_cursor"]
        )


@strawberry.type(description="How many CE audits wait in each step.")
class CeAuditCounts:
    awaiting_proof: int
    to_review: int
    in_cure: int
    referred: int
    overdue: int = strawberry.field(description="Waiting on the holder past its day.")
    next_due_on: datetime.date | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CeAuditCounts:
        return cls(**{**data, "next_due_on": maybe_day(data["next_due_on"])})


@strawberry.type(description="One draw: the seed redraws the same renewals.")
class CeAuditDraw:
    id: strawberry.ID
    periods_from: datetime.date
    periods_to: datetime.date
    seed: str = strawberry.field(description="A 63-bit number, as text (beyond GraphQL's Int).")
    share_percent: int
    population: int
    selected: int
    audits: list[CeAudit]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CeAuditDraw:
        return cls(
            id=strawberry.ID(data["id"]),
            periods_from=day(data["periods_from"]),
            periods_to=day(data["periods_to"]),
            seed=str(data["seed"]),
            share_percent=data["share_percent"],
            population=data["population"],
            selected=data["selected"],
            audits=[CeAudit.from_json(a) for a in data["audits"]],
        )
