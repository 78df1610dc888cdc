"""The sweep's cut-offs agree with ``standing`` and ``reminders`` for every day, both presets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.certification.rules import CertificationStatus
from applications.policy import build_policy
from applications.renewal.policy import RenewalPolicy
from applications.renewal.rules import Reminder, reminders, standing
from applications.renewal.timeline import (
    first_unterminated,
    reminder_spans,
    span_of,
    status_cutoffs,
    status_on,
)

CA, MT = build_policy("CA"), build_policy("MT")
S = CertificationStatus
DAY = timedelta(days=1)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
offsets = st.integers(min_value=-1200, max_value=1200)
policies = st.sampled_from([CA, MT, build_policy("MT", {"lapse_grace_days": 0})])


@settings(max_examples=200)
@given(today=days, offset=offsets, policy=policies)
def test_the_cutoffs_give_the_standing(today: date, offset: int, policy: RenewalPolicy) -> None:
    valid_through = today + timedelta(days=offset)
    expected = standing(valid_through, today, S.ACTIVE, policy).status
    assert status_on(valid_through, status_cutoffs(today, policy)) is expected


@settings(max_examples=200)
@given(today=days, offset=offsets, policy=policies)
def test_a_span_holds_the_latest_reminder_due(
    today: date, offset: int, policy: RenewalPolicy
) -> None:
    valid_through = today + timedelta(days=offset)
    due = [r for r in reminders(valid_through, policy) if r.on <= today]
    terminated = standing(valid_through, today, S.ACTIVE, policy).status is S.TERMINATED
    span = span_of(valid_through, reminder_spans(today, policy))
    if not due or terminated:
        assert span is None
    else:
        assert span is not None
        assert (span.reason, span.days_before) == (due[-1].reason, due[-1].days_before)


@pytest.mark.parametrize(
    ("today", "first"),
    [
        # Valid through 28 Feb 2026: + 24 months is 28 Feb 2028, so terminated on 29 Feb.
        (date(2028, 2, 29), date(2026, 3, 1)),
        (date(2028, 3, 1), date(2026, 3, 1)),
        # Valid through 28 or 29 Feb 2024: both + 24 months are 28 Feb 2026 (clamped).
        (date(2026, 2, 28), date(2024, 2, 28)),
        (date(2026, 3, 1), date(2024, 3, 1)),
    ],
)
def test_the_first_unterminated_day_across_month_ends(today: date, first: date) -> None:
    assert first_unterminated(today, MT) == first
    assert first_unterminated(today, CA) is None


def test_mt_spans_on_a_day() -> None:
    today = date(2026, 10, 2)
    spans = {(s.reason, s.days_before): (s.earliest, s.latest) for s in reminder_spans(today, MT)}
    assert spans == {
        # 90 days before: valid through 31 Dec (due today) back to 1 Dec (60 due from then).
        (Reminder.BEFORE_EXPIRY, 90): (date(2026, 12, 2), date(2026, 12, 31)),
        (Reminder.BEFORE_EXPIRY, 60): (date(2026, 11, 2), date(2026, 12, 1)),
        (Reminder.BEFORE_EXPIRY, 30): (date(2026, 10, 2), date(2026, 11, 1)),
        (Reminder.AT_LAPSE, -1): (date(2026, 8, 18), date(2026, 10, 1)),
        (Reminder.AT_EXPIRY, -46): (date(2024, 10, 2), date(2026, 8, 17)),
    }


def test_ca_has_no_lapse_and_no_end_to_expiry() -> None:
    spans = reminder_spans(date(2026, 10, 2), CA)
    assert [(s.reason, s.days_before, s.earliest) for s in spans] == [
        (Reminder.BEFORE_EXPIRY, 90, date(2026, 10, 2)),
        (Reminder.AT_EXPIRY, -1, None),
    ]
