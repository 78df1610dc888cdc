"""How an assessment becomes the renewal view the holder and staff read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from applications.policy import ApplicationPolicy
from applications.renewal import rules
from applications.renewal.categories import HUNDREDTHS_PER_HOUR
from applications.renewal.models import Renewal
from applications.renewal.schemas import (
    CategoryNeed,
    CeNeed,
    FeeOwed,
    RenewalPublic,
    RenewalView,
)
from applications.renewal.service import Assessment


def hours(hundredths: int) -> Decimal:
    """Hundredths of an hour as an exact decimal of hours (150 -> 1.50)."""
    return Decimal(hundredths) / HUNDREDTHS_PER_HOUR


def view_of(assessment: Assessment, policy: ApplicationPolicy, today: date) -> RenewalView:
    """The view of one assessment as of the day it was made."""
    certification, standing, terms, ce = (
        assessment.certification,
        assessment.standing,
        assessment.terms,
        assessment.ce,
    )
    window = rules.renewal_window(certification.valid_through, policy)
    return RenewalView(
        certification_id=certification.id,
        number=certification.number,
        status=standing.status,
        status_since=standing.since,
        status_until=standing.until,
        status_rule=standing.rule,
        valid_through=certification.valid_through,
        window_opens_on=window.opens_on,
        window_closes_on=window.closes_on,
        may_renew=terms.allowed,
        code=terms.code,
        message=terms.message,
        new_valid_through=rules.valid_through_after_renewal(
            certification.valid_through, today, policy
        )
        if terms.allowed
        else None,
        fees=[
            FeeOwed(
                kind=due.kind,
                amount_cents=due.amount_cents,
                recorded_reference=paid.reference if paid else None,
            )
            for due, paid in assessment.fees
        ],
        ce=CeNeed(
            cycle=ce.cycle.number,
            starts_on=ce.cycle.starts_on,
            ends_on=ce.cycle.valid_through,
            required_hours=hours(ce.required_hundredths),
            earned_hours=hours(ce.earned_hundredths),
            carried_in_hours=hours(ce.carried_in_hundredths),
            still_needed_hours=hours(ce.still_needed_hundredths),
            categories=[
                CategoryNeed(
                    category=c.category,
                    required_hours=hours(c.required_hundredths),
                    earned_hours=hours(c.earned_hundredths),
                    still_needed_hours=hours(c.still_needed_hundredths),
                    due_on=c.due_on,
                )
                for c in ce.categories
            ],
            carry_note=ce.carry_note,
            proof_required=terms.ce_proof_required,
        ),
        all_accrued_ce_hours_still_needed=(
            None
            if assessment.accrued_still_needed is None
            else hours(assessment.accrued_still_needed)
        ),
        mandatory_audit=terms.mandatory_audit,
        version=certification.version,
    )


def public(renewal: Renewal) -> RenewalPublic:
    return RenewalPublic.model_validate(renewal, from_attributes=True)
