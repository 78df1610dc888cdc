"""Pure rules of credentials: which certifications may carry one, which bit a status sets."""

from __future__ import annotations

from datetime import date, timedelta

from applications.certification.rules import CertificationStatus
from applications.credential.models import StatusPurpose
from applications.renewal.policy import RenewalPolicy
from applications.renewal.rules import expired_from

S = CertificationStatus
# Still valid to practise: a credential says so.
CARRIES_CREDENTIAL = frozenset({S.ACTIVE, S.IN_RENEWAL_WINDOW, S.LAPSED})
# The stored statuses that turn a list's bit on even before discipline flags it: a
# surrender ends a certification for good, as a revocation does.
DISCIPLINED_AS = {
    StatusPurpose.REVOCATION: frozenset({S.REVOKED, S.SURRENDERED}),
    StatusPurpose.SUSPENSION: frozenset({S.SUSPENDED}),
}


def last_valid_day(valid_through: date, policy: RenewalPolicy) -> date:
    """The last day a credential may be relied on: valid-through, or the lapse's last day
    where the board gives grace days (a lapsed holder may still practise)."""
    return expired_from(valid_through, policy) - timedelta(days=1)


def bit_on(
    purpose: StatusPurpose,
    *,
    flagged: bool,
    stored: CertificationStatus,
    suspended_through: date | None,
    today: date,
) -> bool:
    """A list's bit for one certification on ``today``: flagged by discipline, or its status
    says so (a suspension only through its last day)."""
    if flagged:
        return True
    if stored not in DISCIPLINED_AS[purpose]:
        return False
    return not (
        stored is S.SUSPENDED and suspended_through is not None and today > suspended_through
    )
