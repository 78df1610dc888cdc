"""Pure rules of renewal: periods, the window, the status time gives a certification and its
reminders (domain.md §Time, §Renewal and continuing education), no I/O. What a renewal needs
by status: ``terms``; CE: ``ce_rules``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from applications.certification.rules import DISCIPLINE, CertificationStatus
from applications.renewal.policy import CycleConvention, RenewalPolicy

DAY = timedelta(days=1)
S = CertificationStatus


class Cycle(NamedTuple):
    """One period of a certification: cycle 0 starts on the day of issue."""

    number: int  # 0: the cycle of issue
    starts_on: date
    valid_through: date


class Window(NamedTuple):
    """A span of whole local days, both ends included."""

    opens_on: date
    closes_on: date


class Standing(NamedTuple):
    """A status as of a day, when it began, its last day by time (None: open-ended or set by
    discipline) and the rule that made it."""

    status: CertificationStatus
    since: date | None
    until: date | None
    rule: str


def first_valid_through(issued_on: date, policy: RenewalPolicy) -> date:
    """The last day of the period a certification issued on ``issued_on`` starts with."""
    if policy.renewal_cycle is CycleConvention.CALENDAR_YEAR:
        return date(issued_on.year, 12, 31)
    return _period_end(issued_on, policy)


def renewed_valid_through(old_valid_through: date, policy: RenewalPolicy) -> date:
    """The new last day after one renewal: from the day after the old one, never from the day
    of renewal (valid through 28 Feb 2026, 24 months: through 29 Feb 2028)."""
    return _period_end(old_valid_through + DAY, policy)


def _period_end(starts_on: date, policy: RenewalPolicy) -> date:
    # relativedelta clamps a missing anniversary to the month's end (29 Feb -> 28 Feb).
    anniversary: date = starts_on + relativedelta(months=policy.certification_valid_months)
    return anniversary - DAY


def cycles(issued_on: date, policy: RenewalPolicy) -> Iterator[Cycle]:
    """Every cycle from issue on, in order, each renewed from the last (endless)."""
    index, starts_on, valid_through = 0, issued_on, first_valid_through(issued_on, policy)
    while True:
        yield Cycle(index, starts_on, valid_through)
        index, starts_on = index + 1, valid_through + DAY
        valid_through = renewed_valid_through(valid_through, policy)


def nth_cycle(issued_on: date, n: int, policy: RenewalPolicy) -> Cycle:
    """Cycle ``n`` (0: the one issue starts) of a certification issued on ``issued_on``."""
    if n < 0:
        raise ValueError("cycles count from 0")
    for cycle in cycles(issued_on, policy):
        if cycle.number == n:
            return cycle
    raise AssertionError("cycles() is endless")


def cycle_containing(issued_on: date, day: date, policy: RenewalPolicy) -> Cycle:
    """The cycle ``day`` falls in; a day before issue is refused."""
    if day < issued_on:
        raise ValueError("the day is before the issue")
    for cycle in cycles(issued_on, policy):
        if day <= cycle.valid_through:
            return cycle
    raise AssertionError("cycles() is endless")


def renewal_window(valid_through: date, policy: RenewalPolicy) -> Window:
    """The days a renewal is on time: from N days before ``valid_through`` through it."""
    return Window(valid_through - timedelta(days=policy.renewal_window_days), valid_through)


def lapse_window(valid_through: date, policy: RenewalPolicy) -> Window | None:
    """The days a renewal is late but the certification lapsed, not expired; None without
    grace days (CA: expired at once)."""
    if not policy.lapse_grace_days:
        return None
    return Window(valid_through + DAY, valid_through + timedelta(days=policy.lapse_grace_days))


def is_late(valid_through: date, renewed_on: date) -> bool:
    """Whether a renewal on ``renewed_on`` comes after the valid-through day (late fee)."""
    return renewed_on > valid_through


def expired_from(valid_through: date, policy: RenewalPolicy) -> date:
    """The first expired day: after the lapse grace days (none under CA)."""
    return valid_through + timedelta(days=policy.lapse_grace_days + 1)


def terminated_from(valid_through: date, policy: RenewalPolicy) -> date | None:
    """The first terminated day (the day after valid-through + N months); None: never."""
    months = policy.termination_after_months
    if months is None:
        return None
    last_expired: date = valid_through + relativedelta(months=months)
    return last_expired + DAY


def valid_through_after_renewal(
    valid_through: date, renewed_on: date, policy: RenewalPolicy
) -> date:
    """The new last day of a renewal or reinstatement on ``renewed_on``: periods added from the
    old last day, at least one, until the period holding ``renewed_on`` is covered."""
    new = renewed_valid_through(valid_through, policy)
    while new < renewed_on:
        new = renewed_valid_through(new, policy)
    return new


def standing(
    valid_through: date,
    today: date,
    stored: CertificationStatus,
    policy: RenewalPolicy,
    *,
    issued_on: date | None = None,
    stored_since: date | None = None,
    suspended_through: date | None = None,
) -> Standing:
    """The status on ``today``, right whatever the sweep has written: discipline (stored)
    wins, else the valid-through day decides. A suspension ends by itself after its last day
    (``suspended_through``), read or not."""
    suspension_over = (
        stored is S.SUSPENDED and suspended_through is not None and today > suspended_through
    )
    if stored in DISCIPLINE and not suspension_over:
        until = suspended_through if stored is S.SUSPENDED else None
        return Standing(stored, stored_since, until, f"{stored.value}: set by discipline")
    window = renewal_window(valid_through, policy)
    if today < window.opens_on:
        return Standing(
            S.ACTIVE,
            _period_start(valid_through, policy, issued_on),
            window.opens_on - DAY,
            f"active: until the renewal window opens {policy.renewal_window_days} days "
            "before the valid-through day",
        )
    if today <= valid_through:
        since = window.opens_on if issued_on is None else max(window.opens_on, issued_on)
        return Standing(
            S.IN_RENEWAL_WINDOW,
            since,
            valid_through,
            f"in renewal window: from {policy.renewal_window_days} days before the "
            "valid-through day through that day",
        )
    return _after_expiry(valid_through, today, policy)


def _after_expiry(valid_through: date, today: date, policy: RenewalPolicy) -> Standing:
    grace = policy.lapse_grace_days
    expired = expired_from(valid_through, policy)
    terminated = terminated_from(valid_through, policy)
    if today < expired:
        return Standing(
            S.LAPSED,
            valid_through + DAY,
            expired - DAY,
            f"lapsed: days 1-{grace} after the valid-through day",
        )
    if terminated is None or today < terminated:
        first = f"day {grace + 1} after" if grace else "the day after"
        last = (
            f" through the valid-through day + {policy.termination_after_months} months"
            if terminated
            else ""
        )
        until = terminated - DAY if terminated else None
        return Standing(
            S.EXPIRED, expired, until, f"expired: from {first} the valid-through day{last}"
        )
    return Standing(
        S.TERMINATED,
        terminated,
        None,
        f"terminated: after the valid-through day + {policy.termination_after_months} months",
    )


def _period_start(valid_through: date, policy: RenewalPolicy, issued_on: date | None) -> date:
    """The first day of the period ending ``valid_through``; exact from cycle 1 on, and for
    cycle 0 when ``issued_on`` is known (a clamped 29 February or a part year)."""
    start: date = valid_through + DAY - relativedelta(months=policy.certification_valid_months)
    return start if issued_on is None else max(start, issued_on)


class Reminder(StrEnum):
    """Why a renewal reminder goes out."""

    BEFORE_EXPIRY = "before_expiry"
    AT_LAPSE = "at_lapse"
    AT_EXPIRY = "at_expiry"


class ReminderDue(NamedTuple):
    """One reminder: why, on which day, and how many days before valid-through (negative
    after it)."""

    reason: Reminder
    on: date
    days_before: int


def reminders(valid_through: date, policy: RenewalPolicy) -> tuple[ReminderDue, ...]:
    """Every renewal reminder a period ending ``valid_through`` earns, in date order: before
    expiry (policy days), on the first lapsed day (if any) and on the first expired day."""
    due = [
        ReminderDue(Reminder.BEFORE_EXPIRY, valid_through - timedelta(days=days), days)
        for days in policy.renewal_reminder_days_before
    ]
    lapse = lapse_window(valid_through, policy)
    if lapse is not None:
        due.append(ReminderDue(Reminder.AT_LAPSE, lapse.opens_on, -1))
    expired = expired_from(valid_through, policy)
    due.append(ReminderDue(Reminder.AT_EXPIRY, expired, (valid_through - expired).days))
    return tuple(sorted(due, key=lambda reminder: reminder.on))
