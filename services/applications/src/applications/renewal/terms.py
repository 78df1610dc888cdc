"""What a renewal needs, by the certification's standing (domain.md §Renewal and continuing
education): allowed or refused with a stable code, its fees and its conditions. No I/O."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from applications.certification.rules import CertificationStatus
from applications.renewal.policy import RenewalPolicy
from applications.renewal.rules import DAY, Standing

S = CertificationStatus


class RenewalFee(StrEnum):
    """A fee a renewal may owe (recorded as a payment of that kind)."""

    RENEWAL = "renewal"
    LATE = "late"
    REINSTATEMENT = "reinstatement"


class FeeDue(NamedTuple):
    kind: RenewalFee
    # 0 when the policy sets no amount (the fee is still owed, its amount is the board's).
    amount_cents: int


class RenewalTerms(NamedTuple):
    """Whether a renewal may go ahead today and on what terms; ``code`` is stable."""

    allowed: bool
    code: str
    message: str
    fees: tuple[FeeDue, ...] = ()
    ce_proof_required: bool = False
    all_accrued_ce: bool = False
    mandatory_audit: bool = False

    @property
    def total_cents(self) -> int:
        return sum(fee.amount_cents for fee in self.fees)


# Refusals: the status that refuses, its code, and why.
REFUSED: dict[CertificationStatus, tuple[str, str]] = {
    S.TERMINATED: ("CERTIFICATION_TERMINATED", "terminated: a new application is needed"),
    S.SUSPENDED: ("CERTIFICATION_SUSPENDED", "a suspended certification cannot be renewed"),
    S.REVOKED: ("CERTIFICATION_REVOKED", "revocation is never undone by renewal"),
    S.SURRENDERED: ("CERTIFICATION_SURRENDERED", "a surrendered certification cannot be renewed"),
}


def renewal_terms(standing: Standing, policy: RenewalPolicy) -> RenewalTerms:
    """What a renewal needs given ``standing`` (from ``rules.standing``)."""
    status = standing.status
    if status in REFUSED:
        code, message = REFUSED[status]
        return RenewalTerms(False, code, message)
    if status is S.ACTIVE:
        assert standing.until is not None  # active ends the day before the window opens
        return RenewalTerms(False, "RENEWAL_NOT_OPEN", f"renewal opens on {standing.until + DAY}")
    proof = policy.ce_proof_required_for_renewal
    if status is S.IN_RENEWAL_WINDOW:
        return RenewalTerms(
            True, "RENEWAL_OPEN", "renewal is open", _fees(policy, RenewalFee.RENEWAL), proof
        )
    if status is S.LAPSED:
        fees = _fees(policy, RenewalFee.RENEWAL, RenewalFee.LATE)
        return RenewalTerms(True, "RENEWAL_LATE", "late: the late fee is owed", fees, proof)
    fees = _fees(policy, RenewalFee.RENEWAL, RenewalFee.LATE, RenewalFee.REINSTATEMENT)
    return RenewalTerms(
        True,
        "REINSTATEMENT",
        "expired: reinstatement with the late and reinstatement fees",
        fees,
        ce_proof_required=proof,
        all_accrued_ce=policy.reinstatement_requires_all_accrued_ce,
        mandatory_audit=policy.reinstatement_requires_audit,
    )


def _fees(policy: RenewalPolicy, *kinds: RenewalFee) -> tuple[FeeDue, ...]:
    amounts = {
        RenewalFee.RENEWAL: policy.renewal_fee_cents,
        RenewalFee.LATE: policy.late_fee_cents,
        RenewalFee.REINSTATEMENT: policy.reinstatement_fee_cents,
    }
    return tuple(FeeDue(kind, amounts[kind]) for kind in kinds)
