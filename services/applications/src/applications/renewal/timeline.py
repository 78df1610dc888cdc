"""Where time puts every certification as of one day, as cut-offs on the valid-through day.

``rules.standing`` and ``rules.reminders`` decide for one certification; the sweep decides for
100,000 at once, so it needs the same answers as ranges of valid-through days it can hand the
database (one ``CASE`` for the statuses, one range per reminder). Pure; the laws in
tests/renewal/test_timeline.py hold these to ``standing`` and ``reminders`` for any day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from applications.certification.rules import CertificationStatus
from applications.renewal.policy import RenewalPolicy
from applications.renewal.rules import Reminder, reminders

DAY = timedelta(days=1)
S = CertificationStatus
# Any day will do: every reminder falls a fixed number of days from its valid-through day.
_REFERENCE = date(2000, 1, 1)


class Cutoff(NamedTuple):
    """A status time gives, and the earliest valid-through day that has it (None: every
    earlier day too). Checked in order, the first whose ``lowest`` a day reaches wins."""

    status: CertificationStatus
    lowest: date | None


class ReminderSpan(NamedTuple):
    """The valid-through days whose latest reminder due by a day is this one: from
    ``earliest`` (None: no bound) through ``latest``."""

    reason: Reminder
    days_before: int  # as ``ReminderDue``: negative after the valid-through day
    earliest: date | None
    latest: date


def first_unterminated(today: date, policy: RenewalPolicy) -> date | None:
    """The earliest valid-through day not yet terminated on ``today``; None: never
    terminated."""
    months = policy.termination_after_months
    if months is None:
        return None
    period = relativedelta(months=months)
    # Adding months clamps month ends, so it has no exact inverse: step to the boundary.
    found: date = today - period
    while found + period >= today:
        found -= DAY
    while found + period < today:
        found += DAY
    return found


def status_cutoffs(today: date, policy: RenewalPolicy) -> tuple[Cutoff, ...]:
    """The statuses time gives on ``today`` by valid-through day, latest days first."""
    return (
        Cutoff(S.ACTIVE, today + timedelta(days=policy.renewal_window_days + 1)),
        Cutoff(S.IN_RENEWAL_WINDOW, today),
        # No grace days (CA): the same day as the window's, so no day is lapsed.
        Cutoff(S.LAPSED, today - timedelta(days=policy.lapse_grace_days)),
        Cutoff(S.EXPIRED, first_unterminated(today, policy)),
        Cutoff(S.TERMINATED, None),
    )


def status_on(valid_through: date, cutoffs: tuple[Cutoff, ...]) -> CertificationStatus:
    """The status ``cutoffs`` give a valid-through day (what the database's ``CASE`` does)."""
    for cutoff in cutoffs:
        if cutoff.lowest is None or valid_through >= cutoff.lowest:
            return cutoff.status
    raise AssertionError("the last cutoff has no bound")


def reminder_spans(today: date, policy: RenewalPolicy) -> tuple[ReminderSpan, ...]:
    """For each reminder, the valid-through days for which it is the latest due on
    ``today`` (a missed sweep sends only that one), while its certification is not
    terminated; empty spans left out."""
    due = reminders(_REFERENCE, policy)
    offsets = [(r.on - _REFERENCE).days for r in due]
    spans = []
    for index, reminder in enumerate(due):
        latest = today - timedelta(days=offsets[index])
        if index + 1 < len(due):
            earliest: date | None = today - timedelta(days=offsets[index + 1] - 1)
        else:
            earliest = first_unterminated(today, policy)
        if earliest is None or earliest <= latest:
            spans.append(ReminderSpan(reminder.reason, reminder.days_before, earliest, latest))
    return tuple(spans)


def span_of(valid_through: date, spans: tuple[ReminderSpan, ...]) -> ReminderSpan | None:
    """The span a valid-through day falls in, if any (what the database's ranges do)."""
    for span in spans:
        if valid_through <= span.latest and (
            span.earliest is None or valid_through >= span.earliest
        ):
            return span
    return None
