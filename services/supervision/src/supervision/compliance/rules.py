"""Compliance over a period, as a pure rule (domain.md §Supervision, "Readings, exact").

Hours are whole hundredths and supervision whole minutes: the comparisons are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


class WeekSummary(NamedTuple):
    """One peer's Monday-to-Sunday week, reduced to what the report needs of its days.

    Weeks compose into the report without their days: the 40-hour count crosses a week
    as ``head`` (worked up to the first session), ``gap`` (the longest stretch that starts
    after a session inside the week) and ``tail`` (worked after the last session). Only when
    one of them passes the cap are the days read back (``daily``, ``session_days``) to name
    the day; they are kept as stored so that the common week parses nothing.
    """

    week_starts_on: date
    worked_hundredths: int
    supervised_minutes: int
    sessions: int
    # Worked from Monday through the first session's day (it counts before the session);
    # the whole week's hours when no session was held.
    head_hundredths: int
    # Worked after the last session's day (0 without a session).
    tail_hundredths: int
    # The most worked after one session's day, through the next session's day or Sunday.
    gap_hundredths: int
    # Each weekday's hundredths, comma-separated, Monday first.
    daily: str
    # Bit i set: a signed-off session on Monday + i days.
    session_days: int


def summarize_week(monday: date, days: Iterable[DayActivity]) -> WeekSummary:
    """The summary of the days (in date order) of the week starting on ``monday``."""
    daily = [0] * 7
    mask = worked = minutes = sessions = 0
    previous = monday - timedelta(days=1)
    for day, day_worked, day_minutes, day_sessions in days:
        offset = (day - monday).days
        if not previous < day <= monday + timedelta(days=6):
            raise ValueError("days must be in date order, one entry per day, in the week")
        previous = day
        daily[offset] = day_worked
        worked += day_worked
        minutes += day_minutes
        sessions += day_sessions
        if day_sessions:
            mask |= 1 << offset
    head = tail = gap = 0
    stretch: int | None = None  # worked since the last session day; None before the first
    for offset, day_worked in enumerate(daily):
        if stretch is None:
            head += day_worked
        else:
            stretch += day_worked
            gap = max(gap, stretch)
        if mask >> offset & 1:
            stretch = 0
    if stretch is not None:
        tail = stretch
    return WeekSummary(
        monday, worked, minutes, sessions, head, tail, gap, ",".join(map(str, daily)), mask
    )


def summarize(days: Iterable[DayActivity]) -> Iterator[WeekSummary]:
    """A peer's days (in date order, one entry per day) as week summaries, in week order."""
    week: list[DayActivity] = []
    for activity in days:
        if week and activity.day >= week_start(week[0].day) + timedelta(days=7):
            yield summarize_week(week_start(week[0].day), week)
            week = []
        week.append(activity)
    if week:
        yield summarize_week(week_start(week[0].day), week)


def _first_day_over(week: WeekSummary, running: int, cap_hundredths: int) -> date:
    """The first day of ``week`` with work or a session on which the hours since the last
    session (``running`` when the week begins) are over the cap; the caller knows one is."""
    for offset, day_worked in enumerate(map(int, week.daily.split(","))):
        held = week.session_days >> offset & 1
        running += day_worked
        if running > cap_hundredths and (day_worked or held):
            return week.week_starts_on + timedelta(days=offset)
        if held:
            running = 0
    raise ValueError(f"the summary of the week of {week.week_starts_on} does not add up")


def compliance_report(weeks: Iterable[WeekSummary], policy: SupervisionPolicy) -> ComplianceReport:
    """Measure a peer's weeks (in week order) against ``policy``.

    The 40-hour count starts at the first week given: a stretch begun before the period is
    counted from the period's start. Hours worked on a session's day count before it; a day
    is over the cap when it has work or a session and the hours since the last session,
    that day's included, pass the cap.
    """
    cap = policy.max_hours_worked_without_supervision
    cap_hundredths = None if cap is None else cap * HUNDREDTHS_PER_HOUR
    weekly = policy.weekly_supervision_required
    ratio = policy.worked_hours_per_supervision_hour
    divisor = HUNDREDTHS_PER_HOUR * ratio if ratio is not None else 0
    out: list[WeekCompliance] = []
    worked_total = minutes_total = running = 0
    first_exceeded: date | None = None
    previous = date.min
    # Once per peer and week, a quarter million times a year: kept to plain integer steps.
    for week in weeks:
        monday, worked, minutes, sessions, head, tail, gap = week[:7]
        if monday <= previous:
            raise ValueError("weeks must be in order, one summary per week")
        previous = monday
        if not (worked or sessions):
            continue  # a week whose reports were all corrected to nothing
        exceeded = None
        if cap_hundredths is not None and (running + head > cap_hundredths or gap > cap_hundredths):
            exceeded = _first_day_over(week, running, cap_hundredths)
            if first_exceeded is None:
                first_exceeded = exceeded
        running = tail if sessions else running + worked
        required = -(-worked * MINUTES_PER_HOUR // divisor) if divisor else 0
        out.append(
            WeekCompliance(
                monday,
                worked,
                minutes,
                sessions,
                required,
                required - minutes if required > minutes else 0,
                weekly and worked > 0 and sessions == 0,
                exceeded,
            )
        )
        worked_total += worked
        minutes_total += minutes
    return ComplianceReport(
        weeks=tuple(out),
        worked_hundredths=worked_total,
        supervised_minutes=minutes_total,
        required_minutes=ratio_minutes(worked_total, policy),
        first_cap_exceeded_on=first_exceeded,
    )


def hours_text(hundredths: int) -> str:
    """Hundredths of an hour as exact decimal text ("39.75")."""
    return str(Decimal(hundredths).scaleb(-2))
