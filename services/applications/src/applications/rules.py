"""Pure rules: dates and decisions from inputs and a policy, no I/O (domain.md §Time, exactly)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from applications.policy import ApplicationPolicy


def first_notification_due(submitted_at: datetime, policy: ApplicationPolicy) -> date:
    """The last local day on which the first notice is still on time (submission day + N)."""
    return policy.local_date(submitted_at) + timedelta(days=policy.first_notification_days)


def last_day_to_complete(submitted_at: datetime, policy: ApplicationPolicy) -> date:
    """The last local day an incomplete application can still be completed (submission day + N)."""
    return policy.local_date(submitted_at) + timedelta(days=policy.incomplete_hold_days)


def void_from(last_day: date) -> date:
    """The local day from whose start an application still incomplete after ``last_day`` (its
    last day to complete) is void."""
    return last_day + timedelta(days=1)


def valid_through(approved_at: datetime, policy: ApplicationPolicy) -> date:
    """The last local day of the approval period [A, A + N months)."""
    # relativedelta clamps a missing anniversary to the month's end (29 Feb -> 28 Feb).
    anniversary: date = policy.local_date(approved_at) + relativedelta(
        months=policy.approval_valid_months
    )
    return anniversary - timedelta(days=1)


def exam_request_cutoff(valid_through_day: date, policy: ApplicationPolicy) -> date:
    """The last day an exam request is accepted against ``valid_through_day``."""
    return valid_through_day - timedelta(days=policy.exam_request_min_days_before_expiry)


def may_request_exam(request_day: date, valid_through_day: date, policy: ApplicationPolicy) -> bool:
    """Whether a request on ``request_day`` leaves the minimum review days before expiry."""
    return (valid_through_day - request_day).days >= policy.exam_request_min_days_before_expiry


def expiring_through(today: date, policy: ApplicationPolicy) -> date:
    """The last ``valid_through`` day that counts as expiring soon on ``today``."""
    return today + timedelta(days=policy.expiry_warning_days)


def is_past(day: date, today: date) -> bool:
    """Whether ``day`` has ended by ``today``: void once is_past(last_day_to_complete, today)."""
    return today > day


def days_left(due: date, today: date) -> int:
    """Whole days from ``today`` to ``due``: 0 on the due day itself, negative once past it."""
    return (due - today).days


def reminders_due(last_day: date, today: date, days_before: tuple[int, ...]) -> list[int]:
    """The thresholds whose reminder day has come by ``today``, never after ``last_day``."""
    remaining = (last_day - today).days
    if remaining < 0:
        return []
    # A late sweep still owes a missed reminder, so every threshold reached counts, not
    # only the one falling exactly today; callers skip those already sent.
    return sorted((k for k in days_before if remaining <= k), reverse=True)


def notified_on_time(first_notified_on: date | None, due: date, today: date) -> bool | None:
    """True if notified by ``due``, False once that is a breach, None while still open."""
    if first_notified_on is not None:
        return first_notified_on <= due
    return False if today > due else None


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years on ``on``; a 29 February birthday counts on 28 February in other years."""
    years: int = relativedelta(on, date_of_birth).years
    return years


def is_old_enough(date_of_birth: date, on: date, policy: ApplicationPolicy) -> bool:
    """Whether someone born on ``date_of_birth`` has reached the policy's minimum age on ``on``."""
    return age_on(date_of_birth, on) >= policy.min_applicant_age_years


def certificate_valid_through(completed_on: date, policy: ApplicationPolicy) -> date:
    """The last day a training certificate counts: [completion, completion + N years)."""
    anniversary: date = completed_on + relativedelta(years=policy.training_valid_years)
    return anniversary - timedelta(days=1)


def certificate_review_due(received_at: datetime, policy: ApplicationPolicy) -> date:
    """The last local day on which staff review of an uploaded certificate is on time."""
    return policy.local_date(received_at) + timedelta(days=policy.certificate_review_days)
