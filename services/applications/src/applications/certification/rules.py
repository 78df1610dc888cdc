"""Pure rules of certifications: their statuses.

The dates (periods, renewal, the full standing) are renewal's rules: ``renewal.rules``.
"""

from __future__ import annotations

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
