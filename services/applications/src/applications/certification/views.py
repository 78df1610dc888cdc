"""How a stored certification becomes what the API shows: its standing as of today, right
whatever the sweep has written (domain.md §Time), with the dates and rule behind it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from applications.certification.models import Certification
from applications.certification.rules import CertificationStatus
from applications.certification.schemas import CertificationPublic, PublicDiscipline, Verification
from applications.credential.rules import CARRIES_CREDENTIAL
from applications.credential.vc import Board
from applications.discipline.models import Complaint
from applications.discipline.rules import in_force
from applications.renewal.policy import RenewalPolicy
from applications.renewal.rules import Standing, standing

S = CertificationStatus

# What the public is told (domain.md §Discipline and verification, as Nursys shows it): the
# renewal window is still active, lapsed is shown as it is (the API's "in grace": renewal is
# late, practice still lawful), and a terminated certification shows as expired.
PUBLIC_STATUS = {S.IN_RENEWAL_WINDOW: S.ACTIVE, S.TERMINATED: S.EXPIRED}


def standing_of(values: Mapping[str, Any], today: date, policy: RenewalPolicy) -> Standing:
    """The certification's standing on ``today``, from its stored values."""
    return standing(
        values["valid_through"],
        today,
        CertificationStatus(values["status"]),
        policy,
        issued_on=values["issued_on"],
        suspended_through=values.get("suspended_through"),
    )


def status_today(
    certification: Certification, today: date, policy: RenewalPolicy
) -> CertificationPublic:
    """The certification with its standing as of ``today``."""
    return public_of(certification.model_dump(), today, policy)


def public_of(values: Mapping[str, Any], today: date, policy: RenewalPolicy) -> CertificationPublic:
    """The certification with its standing as of ``today``, from its stored values."""
    now = standing_of(values, today, policy)
    return CertificationPublic(
        **{**values, "status": now.status},
        status_since=now.since,
        status_until=now.until,
        status_rule=now.rule,
    )


def verification(
    certification: Certification,
    today: date,
    policy: RenewalPolicy,
    decisions: Sequence[Complaint],
    board: Board,
) -> Verification:
    """The little the public may know: name, number, status as of ``today``, the dates, the
    public part of ``decisions`` (already the public ones) and, while it may be relied on, where
    its signed credential is."""
    status = standing_of(certification.model_dump(), today, policy).status
    return Verification(
        holder_name=certification.holder_name,
        number=certification.number,
        status=PUBLIC_STATUS.get(status, status),
        issued_on=certification.issued_on,
        valid_through=certification.valid_through,
        discipline=[public_decision(decided, today) for decided in decisions],
        credential_url=(
            board.credential_url(certification.number) if status in CARRIES_CREDENTIAL else None
        ),
    )


def public_decision(decided: Complaint, today: date) -> PublicDiscipline:
    """A decided complaint as the public sees it: the outcome and its dates."""
    assert decided.outcome is not None
    assert decided.decided_on is not None
    return PublicDiscipline(
        outcome=decided.outcome,
        decided_on=decided.decided_on,
        ends_on=decided.ends_on,
        in_force=in_force(decided.outcome, decided.ends_on, today),
    )
