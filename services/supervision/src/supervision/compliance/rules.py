"""Compliance over a period, as a pure rule (domain.md §Supervision, "Readings, exact").

Hours are whole hundredths and supervision whole minutes: the comparisons are exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from supervision.policy import SupervisionPolicy
from supervision.rules import MINUTES_PER_HOUR

HUNDREDTHS_PER_HOUR = 100


class DayActivity(NamedTuple):
    """One local day of a peer: hours worked (in hundredths) and signed-off supervision."""

    day: date
    worked_hundredths: int = 0
    supervised_minutes: int = 0
    sessions: int = 0


class WeekCompliance(NamedTuple):
    """One Monday-to-Sunday week of a peer, measured against the policy."""

    week_starts_on: date
    worked_hundredths: int
    supervised_minutes: int
    sessions: int
    required_minutes: int
    shortfall_minutes: int
    # UT: hours were worked this week and no signed-off session was held.
    missing_session: bool
    # The first day of this week on which the hours since the last session passed the cap.
    cap_exceeded_on: date | None

    @property
    def compliant(self) -> bool:
        """Whether the week meets every rule the policy sets."""
        return not (self.shortfall_minutes or self.missing_session or self.cap_exceeded_on)


@dataclass(frozen=True)
class ComplianceReport:
    """A peer's weeks with activity, in order, and the totals of the period."""

    weeks: tuple[WeekCompliance, ...]
    worked_hundredths: int
    supervised_minutes: int
    required_minutes: int
    first_cap_exceeded_on: date | None

    @property
    def shortfall_minutes(self) -> int:
        """Supervision minutes still owed over the whole period under the ratio."""
        return max(0, self.required_minutes - self.supervised_minutes)

    @property
    def compliant(self) -> bool:
        """Whether the period and each of its weeks meet the policy."""
        return self.shortfall_minutes == 0 and all(week.compliant for week in self.weeks)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


def ratio_minutes(worked_hundredths: int, policy: SupervisionPolicy) -> int:
    """Supervision minutes the ratio asks for ``worked_hundredths``: minutes worked / N,
    rounded up to the whole minute, in integers only."""
    ratio = policy.worked_hours_per_supervision_hour
    if ratio is None:
        return 0
    if worked_hundredths < 0:
        raise ValueError(f"worked_hundredths must be at least 0, got {worked_hundredths}")
    # minutes worked / N = hundredths * 60 / (100 * N); -(-a // b) is the exact ceiling.
    return -(-worked_hundredths * MINUTES_PER_HOUR // (HUNDREDTHS_PER_HOUR * ratio))


def compliance_report(days: Iterable[DayActivity], policy: SupervisionPolicy) -> ComplianceReport:
    """Measure a peer's days (in date order, one entry per day) against ``policy``.

    The 40-hour count starts at the first day given: a stretch begun before the period is
    counted from the period's start. Hours worked on a session's day count before it.
    """
    cap = policy.max_hours_worked_without_supervision
    # No cap: a count that can never pass it keeps the loop free of a test per day.
    cap_hundredths = -1 if cap is None else cap * HUNDREDTHS_PER_HOUR
    weekly = policy.weekly_supervision_required
    weeks: list[WeekCompliance] = []
    totals = [0, 0]  # hundredths worked, minutes supervised
    running = 0
    first_exceeded: date | None = None
    # The week being summed: its Monday, the next Monday, worked, minutes, sessions, cap day.
    monday = next_monday = date.min
    worked = minutes = sessions = 0
    exceeded: date | None = None
    previous = date.min

    ratio = policy.worked_hours_per_supervision_hour
    # ratio_minutes inlined: this runs once per peer and week, a quarter million times a year.
    divisor = HUNDREDTHS_PER_HOUR * ratio if ratio is not None else 0

    def close() -> None:
        if worked or minutes or sessions:
            required = -(-worked * MINUTES_PER_HOUR // divisor) if divisor else 0
            weeks.append(
                WeekCompliance(
                    monday,
                    worked,
                    minutes,
                    sessions,
                    required,
                    max(0, required - minutes),
                    weekly and worked > 0 and sessions == 0,
                    exceeded,
                )
            )
            totals[0] += worked
            totals[1] += minutes

    for day, day_worked, day_minutes, day_sessions in days:
        if day <= previous:
            raise ValueError("days must be in date order, one entry per day")
        previous = day
        if day >= next_monday:
            close()
            monday = day - timedelta(days=day.weekday())
            next_monday = monday + timedelta(days=7)
            worked = minutes = sessions = 0
            exceeded = None
        worked += day_worked
        minutes += day_minutes
        sessions += day_sessions
        running += day_worked
        if running > cap_hundredths >= 0:
            if exceeded is None:
                exceeded = day
            if first_exceeded is None:
                first_exceeded = day
        if day_sessions:
            running = 0
    close()
    return ComplianceReport(
        weeks=tuple(weeks),
        worked_hundredths=totals[0],
        supervised_minutes=totals[1],
        required_minutes=ratio_minutes(totals[0], policy),
        first_cap_exceeded_on=first_exceeded,
    )


def hours_text(hundredths: int) -> str:
    """Hundredths of an hour as exact decimal text ("39.75")."""
    return str(Decimal(hundredths).scaleb(-2))
