"""Pure rules of certifications: their statuses, and the status the API shows as of a day.

The dates (periods, renewal, the full standing) are renewal's rules: ``renewal.rules``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class CertificationStatus(StrEnum):
    """Where a certification stands. Time moves it through active, in renewal window, lapsed,
    expired and terminated (``renewal.rules.standing``); suspended (through its last day),
    revoked and surrendered are set by discipline and win over time."""

    ACTIVE = "active"
    IN_RENEWAL_WINDOW = "in_renewal_window"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    # Given up by the holder, voluntarily (often while a complaint is decided).
    SURRENDERED = "surrendered"


DISCIPLINE = frozenset(
    {CertificationStatus.SUSPENDED, CertificationStatus.REVOKED, CertificationStatus.SURRENDERED}
)


def effective_status(
    stored: CertificationStatus, *, valid_through: date, today: date
) -> CertificationStatus:
    """The coarse status the API shows as of ``today``: active through the last day, expired
    after it; discipline's statuses as stored."""
    # The gateway's enum knows active and expired only: the finer statuses of
    # ``renewal.rules.standing`` reach the API once it learns them.
    if stored in DISCIPLINE:
        return stored
    if today > valid_through:
        return CertificationStatus.EXPIRED
    return CertificationStatus.ACTIVE
