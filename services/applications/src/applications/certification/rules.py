"""Pure rules of certifications: their dates and their status as of a day, no I/O."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from applications.policy import ApplicationPolicy


class CertificationStatus(StrEnum):
    """Where a certification stands; stored ``active`` becomes ``expired`` when read after
    its last day (suspension and revocation are staff decisions still to come)."""

    ACTIVE = "active"
    EXPIRED = "expired"


def certification_valid_through(issued_on: date, policy: ApplicationPolicy) -> date:
    """The last day of the period [issue, issue + N months), month ends clamped (domain.md
    §Time: the same convention as "12 months from approval")."""
    anniversary: date = issued_on + relativedelta(months=policy.certification_valid_months)
    return anniversary - timedelta(days=1)


def effective_status(
    stored: CertificationStatus, *, valid_through: date, today: date
) -> CertificationStatus:
    """The status as of ``today``: an active certification past its last day is expired."""
    if stored is CertificationStatus.ACTIVE and today > valid_through:
        return CertificationStatus.EXPIRED
    return stored
