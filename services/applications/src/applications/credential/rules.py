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
# The stored status that turns a list's bit on even before discipline flags it.
DISCIPLINED_AS = {
    StatusPurpose.REVOCATION: S.REVOKED,
    StatusPurpose.SUSPENSION: S.SUSPENDED,
}


def last_valid_day(valid_through: date, policy: RenewalPolicy) -> date:
    """The last day a credential may be relied on: valid-through, or the lapse's last day
    where the board gives grace days (a lapsed holder may still practise)."""
    return expired_from(valid_through, policy) - timedelta(days=1)


def bit_on(purpose: StatusPurpose, *, flagged: bool, stored: CertificationStatus) -> bool:
    """A list's bit for one certification: flagged by discipline, or its status says so."""
    return flagged or stored is DISCIPLINED_AS[purpose]
