"""Pure supervision rules: decisions from inputs and a policy, no I/O (domain.md §Supervision).

Hours are ``Decimal`` (or ``int``) and supervision is whole minutes, never ``float``: these
numbers decide compliance, so they must compare exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from supervision.policy import LicenseType, SupervisionPolicy

MINUTES_PER_HOUR = 60


def _amount(value: Decimal | int, name: str) -> Decimal:
    """``value`` as a finite, non-negative Decimal, or ValueError."""
    if isinstance(value, float):
        # Binary floats cannot hold 39.75-style hours reliably enough to decide compliance.
        raise TypeError(f"{name} must be a Decimal or int, not float")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{name} must be a finite number of at least 0, got {value!r}")
    return amount


def _minutes(value: int, name: str) -> int:
    if value < 0:
        raise ValueError(f"{name} must be at least 0, got {value!r}")
    return value


def required_supervision_minutes(hours_worked: Decimal | int, policy: SupervisionPolicy) -> int:
    """Supervision minutes due for ``hours_worked``, rounded up to the session increment."""
    worked = _amount(hours_worked, "hours_worked")
    ratio = policy.worked_hours_per_supervision_hour
    if ratio is None:
        return 0
    # A Fraction keeps the division exact, so the only rounding is the ceiling below.
    exact = Fraction(worked) * MINUTES_PER_HOUR / ratio
    step = policy.session_increment_minutes or 1
    # The ratio is a compliance floor: a started increment is owed in full, never forgiven
    # (21 h at 1:20 is 63 minutes, so 75 are due in 15-minute increments).
    return math.ceil(exact / step) * step


@dataclass(frozen=True)
class Compliance:
    """How logged supervision measures up to what the hours worked require."""

    required_minutes: int
    supervised_minutes: int

    @property
    def shortfall_minutes(self) -> int:
        """Minutes of supervision still owed; 0 when the requirement is met."""
        return max(0, self.required_minutes - self.supervised_minutes)

    @property
    def compliant(self) -> bool:
        """Whether the requirement is met."""
        return self.shortfall_minutes == 0


def is_compliant(
    hours_worked: Decimal | int, supervision_minutes: int, policy: SupervisionPolicy
) -> Compliance:
    """Compare ``supervision_minutes`` with what ``hours_worked`` require under ``policy``."""
    return Compliance(
        required_minutes=required_supervision_minutes(hours_worked, policy),
        supervised_minutes=_minutes(supervision_minutes, "supervision_minutes"),
    )


class WorkPeriod(NamedTuple):
    """Hours worked, then the supervision minutes received at the end of them."""

    hours_worked: Decimal | int
    supervision_minutes: int = 0


def longest_unsupervised_stretch(periods: Iterable[WorkPeriod]) -> Decimal:
    """The most hours worked in a row without supervision, over periods in time order."""
    longest = running = Decimal(0)
    for period in periods:
        running += _amount(period.hours_worked, "hours_worked")
        longest = max(longest, running)
        # The supervision comes after the period's work, so it ends the stretch only afterwards.
        if _minutes(period.supervision_minutes, "supervision_minutes") > 0:
            running = Decimal(0)
    return longest


def hours_since_supervision_exceeded(
    periods: Iterable[WorkPeriod], policy: SupervisionPolicy
) -> bool:
    """Whether more than the cap was ever worked without supervision (exactly the cap is fine)."""
    cap = policy.max_hours_worked_without_supervision
    if cap is None:
        return False
    return longest_unsupervised_stretch(periods) > cap


def is_valid_session_length(start: datetime, stop: datetime, policy: SupervisionPolicy) -> bool:
    """Whether a session from ``start`` to ``stop`` is positive and a whole number of increments."""
    if start.tzinfo is None or stop.tzinfo is None:
        raise ValueError("rules take aware instants")
    # In UTC: subtracting two datetimes in the same zone ignores a DST change between them.
    length = stop.astimezone(UTC) - start.astimezone(UTC)
    if length <= timedelta(0):
        return False
    step = policy.session_increment_minutes
    return step is None or length % timedelta(minutes=step) == timedelta(0)


def supervisor_qualified(
    years_post_licensure: Decimal | int,
    supervision_ce_hours: Decimal | int,
    license_type: LicenseType,
    policy: SupervisionPolicy,
) -> bool:
    """Whether a supervisor holds an accepted license and meets either qualification route."""
    years = _amount(years_post_licensure, "years_post_licensure")
    ce_hours = _amount(supervision_ce_hours, "supervision_ce_hours")
    accepted = policy.accepted_license_types
    if accepted is not None and license_type not in accepted:
        return False
    routes = [
        (years, policy.min_years_post_licensure),
        (ce_hours, policy.min_supervision_ce_hours),
    ]
    thresholds = [(value, minimum) for value, minimum in routes if minimum is not None]
    # The routes are alternatives (MT: 3 years OR 20 CE hours); with none set, the rule is off.
    return not thresholds or any(value >= minimum for value, minimum in thresholds)


class Relationship(StrEnum):
    """What a supervisor is or was to the peer, as the agreement's attestation states it."""

    NONE = "none"
    PARENT = "parent"
    CHILD = "child"
    SPOUSE = "spouse"
    SIBLING = "sibling"
    THERAPEUTIC = "therapeutic"  # current or prior, e.g. the supervisor treated the peer
    PERSONAL = "personal"  # current or prior, any other personal relationship


def may_supervise(relationship: Relationship) -> bool:
    """Whether a supervisor with this relationship to the peer may supervise them."""
    # Every relationship named here bars (WA 8.3, UT "Boundaries", MT's family rule); testing
    # for NONE rather than listing the bars keeps a kind added later barred until decided.
    return relationship is Relationship.NONE
