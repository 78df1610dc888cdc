"""Pure rules of discipline (domain.md §Discipline and verification): the outcomes, what each
needs, what each does to the certification, and which the public sees. No I/O."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from applications.certification.rules import CertificationStatus


class ComplaintStatus(StrEnum):
    """Received from anyone, investigated by staff, then decided (a dismissal is a decision)."""

    RECEIVED = "received"
    INVESTIGATING = "investigating"
    DECIDED = "decided"


class DisciplineOutcome(StrEnum):
    DISMISSED = "dismissed"
    LETTER_OF_WARNING = "letter_of_warning"
    PROBATION = "probation"
    SUSPENSION = "suspension"
    REVOCATION = "revocation"
    VOLUNTARY_SURRENDER = "voluntary_surrender"


# What each outcome leaves the certification as; the others leave it as it is.
EFFECT: dict[DisciplineOutcome, CertificationStatus] = {
    DisciplineOutcome.SUSPENSION: CertificationStatus.SUSPENDED,
    DisciplineOutcome.REVOCATION: CertificationStatus.REVOKED,
    DisciplineOutcome.VOLUNTARY_SURRENDER: CertificationStatus.SURRENDERED,
}
# Shown by public verification, with their dates; a dismissal and a letter of warning are not.
PUBLIC = frozenset(
    {
        DisciplineOutcome.PROBATION,
        DisciplineOutcome.SUSPENSION,
        DisciplineOutcome.REVOCATION,
        DisciplineOutcome.VOLUNTARY_SURRENDER,
    }
)
# An end date: probation's last day, a suspension's last suspended day.
NEEDS_END = frozenset({DisciplineOutcome.PROBATION, DisciplineOutcome.SUSPENSION})


class Problem(NamedTuple):
    field: str
    message: str


def check_decision(
    outcome: DisciplineOutcome,
    *,
    ends_on: date | None,
    conditions: str | None,
    today: date,
    current: CertificationStatus,
) -> Problem | None:
    """What is wrong with a decision as given, or None."""
    if outcome in NEEDS_END and ends_on is None:
        return Problem("ends_on", f"{outcome.value.replace('_', ' ')} needs an end date")
    if outcome not in NEEDS_END and ends_on is not None:
        return Problem("ends_on", f"{outcome.value.replace('_', ' ')} has no end date")
    if ends_on is not None and ends_on < today:
        return Problem("ends_on", f"the end date {ends_on} is already past")
    if outcome is DisciplineOutcome.PROBATION and not conditions:
        return Problem("conditions", "probation needs its conditions")
    if current in (CertificationStatus.REVOKED, CertificationStatus.SURRENDERED) and (
        outcome in EFFECT
    ):
        return Problem("outcome", f"the certification is already {current.value}")
    return None


def appeal_until(decided_on: date, appeal_days: int) -> date:
    """The last day to appeal a decision made on ``decided_on`` (day 0)."""
    return decided_on + timedelta(days=appeal_days)


def in_force(outcome: DisciplineOutcome, ends_on: date | None, today: date) -> bool:
    """Whether a decided outcome still binds on ``today`` (its end date is its last day)."""
    if outcome in (DisciplineOutcome.DISMISSED, DisciplineOutcome.LETTER_OF_WARNING):
        return False
    return ends_on is None or today <= ends_on
