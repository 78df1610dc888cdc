"""Pure rules: dates and decisions from inputs and a policy, no I/O (domain.md §Time, exactly)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from applications.policy import ApplicationPolicy


def local_date(instant: datetime, policy: ApplicationPolicy) -> date:
    """The calendar day ``instant`` falls on in the board's time zone (day 0 of a window)."""
    if instant.tzinfo is None:
        raise ValueError("rules take aware instants")
    return instant.astimezone(policy.zone).date()


def first_notification_due(submitted_at: datetime, policy: ApplicationPolicy) -> date:
    """The last local day on which the first notice is still on time (submission day + N)."""
    return local_date(submitted_at, policy) + timedelta(days=policy.first_notification_days)


def days_left(due: date, today: date) -> int:
    """Whole days from ``today`` to ``due``: 0 on the due day itself, negative once past it."""
    return (due - today).days


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years on ``on``; a 29 February birthday counts on 28 February in other years."""
    years: int = relativedelta(on, date_of_birth).years
    return years


def is_old_enough(date_of_birth: date, on: date, policy: ApplicationPolicy) -> bool:
    return age_on(date_of_birth, on) >= policy.min_applicant_age_years
