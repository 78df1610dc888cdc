"""Pure supervision rules: decisions from inputs and a policy, no I/O (domain.md §Supervision).

Hours are ``Decimal`` (or ``int``) and supervision is whole minutes, never ``float``: these
numbers decide compliance, so they must compare exactly.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from supervision.policy import SupervisionPolicy

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


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months; a day the month lacks clamps to its end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def experience_complete_on(first_licensed_on: date, years: int) -> date:
    """The day ``years`` of licensure are complete (licensure day + 12 x years months)."""
    # domain.md: "3 years post-licensure" is complete on the licensure day + 36 months, so a
    # license from 29 Feb 2024 completes them on 28 Feb 2027.
    return add_months(first_licensed_on, 12 * years)


@dataclass(frozen=True)
class SupervisorFacts:
    """What qualification is decided on: the supervisor's license and training, as recorded."""

    license_type: str
    license_expires_on: date  # the last day the license is valid
    first_licensed_on: date
    supervision_ce_hours: Decimal | int
    verified: bool


class Unmet(NamedTuple):
    """One unmet condition: a stable code, a sentence for people, the field at fault."""

    code: str
    message: str
    field: str


def qualification_unmet(facts: SupervisorFacts, on: date, policy: SupervisionPolicy) -> list[Unmet]:
    """Every condition a supervisor fails on day ``on``; empty when qualified."""
    ce_hours = _amount(facts.supervision_ce_hours, "supervision_ce_hours")
    unmet: list[Unmet] = []
    if not facts.verified:
        unmet.append(
            Unmet("LICENSE_NOT_VERIFIED", "staff have not verified the license", "verification")
        )
    if facts.license_expires_on < on:
        unmet.append(
            Unmet(
                "LICENSE_EXPIRED",
                f"the license expired after {facts.license_expires_on.isoformat()}",
                "license_expires_on",
            )
        )
    accepted = policy.accepted_license_types
    if accepted is not None and facts.license_type not in accepted:
        unmet.append(
            Unmet(
                "LICENSE_TYPE_NOT_ACCEPTED",
                f"a {facts.license_type.replace('_', ' ')} license is not one the board accepts "
                f"({', '.join(accepted)})",
                "license_type",
            )
        )
    years, hours = policy.min_years_post_licensure, policy.min_supervision_ce_hours
    routes: list[tuple[bool, str]] = []
    if years is not None:
        complete_on = experience_complete_on(facts.first_licensed_on, years)
        routes.append((on >= complete_on, f"{years} years licensed (complete on {complete_on})"))
    if hours is not None:
        routes.append((ce_hours >= hours, f"{hours} supervision CE hours (has {ce_hours})"))
    # The routes are alternatives (MT: 3 years OR 20 CE hours); with none set, the rule is off.
    if routes and not any(met for met, _ in routes):
        unmet.append(
            Unmet(
                "SUPERVISOR_EXPERIENCE_SHORT",
                "needs " + " or ".join(need for _, need in routes),
                "first_licensed_on" if years is not None else "supervision_ce_hours",
            )
        )
    return unmet


def at_risk_from(license_expires_on: date, starts_on: date, last_day: date | None) -> date | None:
    """The first day of an agreement (``starts_on`` to ``last_day``, inclusive) on which the
    supervisor's license is no longer valid; None if it stays valid throughout."""
    lapse = license_expires_on + timedelta(days=1)
    if last_day is not None and lapse > last_day:
        return None
    # A license that lapsed before the agreement began leaves all of it at risk.
    return max(lapse, starts_on)


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
