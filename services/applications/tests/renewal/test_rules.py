"""Renewal's dates and statuses at their boundaries, both presets (domain.md §Time, §Renewal)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.certification.rules import CertificationStatus
from applications.policy import build_policy
from applications.renewal.rules import (
    Reminder,
    ReminderDue,
    cycle_containing,
    cycles,
    first_valid_through,
    is_late,
    lapse_window,
    nth_cycle,
    reminders,
    renewal_window,
    renewed_valid_through,
    standing,
    terminated_from,
    valid_through_after_renewal,
)

CA, MT = build_policy("CA"), build_policy("MT")
S = CertificationStatus
DAY = timedelta(days=1)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("issued_on", "first", "second"),
    [
        # The year of issue, however little of it is left; then whole calendar years.
        (date(2028, 2, 29), date(2028, 12, 31), date(2029, 12, 31)),
        (date(2026, 12, 31), date(2026, 12, 31), date(2027, 12, 31)),
        (date(2026, 1, 1), date(2026, 12, 31), date(2027, 12, 31)),
    ],
)
def test_mt_cycles_are_calendar_years(issued_on: date, first: date, second: date) -> None:
    zero, one = nth_cycle(issued_on, 0, MT), nth_cycle(issued_on, 1, MT)
    assert (zero.starts_on, zero.valid_through) == (issued_on, first)
    assert (one.starts_on, one.valid_through) == (first + DAY, second)


@pytest.mark.parametrize(
    ("issued_on", "first", "second"),
    [
        # 29 Feb + 24 months clamps to 28 Feb: valid through the 27th; then from the 28th.
        (date(2028, 2, 29), date(2030, 2, 27), date(2032, 2, 27)),
        # Month ends: 31 Jan, 30 Apr and 31 Dec keep their day.
        (date(2026, 1, 31), date(2028, 1, 30), date(2030, 1, 30)),
        (date(2026, 4, 30), date(2028, 4, 29), date(2030, 4, 29)),
        (date(2026, 12, 31), date(2028, 12, 30), date(2030, 12, 30)),
        # Issued 1 Mar 2024: through 28 Feb 2026, renewed from 1 Mar through 29 Feb 2028.
        (date(2024, 3, 1), date(2026, 2, 28), date(2028, 2, 29)),
    ],
)
def test_ca_cycles_are_anniversaries(issued_on: date, first: date, second: date) -> None:
    assert first_valid_through(issued_on, CA) == first
    assert renewed_valid_through(first, CA) == second
    assert nth_cycle(issued_on, 1, CA).valid_through == second


def test_renewal_extends_from_the_old_valid_through_day() -> None:
    assert renewed_valid_through(date(2026, 2, 28), CA) == date(2028, 2, 29)
    assert renewed_valid_through(date(2026, 12, 31), MT) == date(2027, 12, 31)
    # A late renewal (lapsed) still counts from the old day, not from the day of renewal.
    assert valid_through_after_renewal(date(2026, 12, 31), date(2027, 2, 14), MT) == date(
        2027, 12, 31
    )
    # Reinstated after missed years: periods added until the one holding the day.
    assert valid_through_after_renewal(date(2026, 12, 31), date(2028, 6, 1), MT) == date(
        2028, 12, 31
    )
    assert valid_through_after_renewal(date(2026, 12, 31), date(2026, 12, 1), MT) == date(
        2027, 12, 31
    )


def test_the_cycle_holding_a_day() -> None:
    issued = date(2026, 5, 4)
    assert cycle_containing(issued, issued, MT).number == 0
    assert cycle_containing(issued, date(2026, 12, 31), MT).number == 0
    assert cycle_containing(issued, date(2027, 1, 1), MT).number == 1
    assert cycle_containing(issued, date(2028, 5, 3), CA).number == 0
    assert cycle_containing(issued, date(2028, 5, 4), CA).number == 1
    with pytest.raises(ValueError, match="before the issue"):
        cycle_containing(issued, issued - DAY, CA)
    with pytest.raises(ValueError, match="from 0"):
        nth_cycle(issued, -1, CA)


def test_the_renewal_window() -> None:
    # CA: from 90 days before the valid-through day through that day.
    assert renewal_window(date(2028, 5, 3), CA) == (date(2028, 2, 3), date(2028, 5, 3))
    assert renewal_window(date(2026, 12, 31), MT) == (date(2026, 10, 2), date(2026, 12, 31))
    assert lapse_window(date(2026, 12, 31), MT) == (date(2027, 1, 1), date(2027, 2, 14))
    assert lapse_window(date(2028, 5, 3), CA) is None
    assert not is_late(date(2026, 12, 31), date(2026, 12, 31))
    assert is_late(date(2026, 12, 31), date(2027, 1, 1))


V = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("today", "status", "since", "until"),
    [
        (date(2026, 10, 1), S.ACTIVE, date(2026, 1, 1), date(2026, 10, 1)),
        (date(2026, 10, 2), S.IN_RENEWAL_WINDOW, date(2026, 10, 2), V),  # window opens
        (V, S.IN_RENEWAL_WINDOW, date(2026, 10, 2), V),  # the valid-through day
        (date(2027, 1, 1), S.LAPSED, date(2027, 1, 1), date(2027, 2, 14)),  # day 1
        (date(2027, 2, 14), S.LAPSED, date(2027, 1, 1), date(2027, 2, 14)),  # day 45
        (date(2027, 2, 15), S.EXPIRED, date(2027, 2, 15), date(2028, 12, 31)),  # day 46
        (date(2028, 12, 31), S.EXPIRED, date(2027, 2, 15), date(2028, 12, 31)),  # V + 24 months
        (date(2029, 1, 1), S.TERMINATED, date(2029, 1, 1), None),  # the day after
    ],
)
def test_mt_statuses_first_and_last_days(today, status, since, until) -> None:
    found = standing(V, today, S.ACTIVE, MT)
    assert (found.status, found.since, found.until) == (status, since, until)
    assert found.status.value.replace("_", " ") in found.rule


def test_mt_rules_say_which_days() -> None:
    assert standing(V, date(2027, 1, 1), S.ACTIVE, MT).rule == (
        "lapsed: days 1-45 after the valid-through day"
    )
    assert standing(V, date(2027, 2, 15), S.ACTIVE, MT).rule == (
        "expired: from day 46 after the valid-through day through the valid-through day + 24 months"
    )
    assert terminated_from(V, MT) == date(2029, 1, 1)
    assert terminated_from(V, CA) is None


CA_V = date(2028, 5, 3)


@pytest.mark.parametrize(
    ("today", "status", "since", "until"),
    [
        (date(2028, 2, 2), S.ACTIVE, date(2026, 5, 4), date(2028, 2, 2)),
        (date(2028, 2, 3), S.IN_RENEWAL_WINDOW, date(2028, 2, 3), CA_V),
        (CA_V, S.IN_RENEWAL_WINDOW, date(2028, 2, 3), CA_V),
        # Expired at once, and never terminated.
        (date(2028, 5, 4), S.EXPIRED, date(2028, 5, 4), None),
        (date(2090, 1, 1), S.EXPIRED, date(2028, 5, 4), None),
    ],
)
def test_ca_statuses_first_and_last_days(today, status, since, until) -> None:
    found = standing(CA_V, today, S.ACTIVE, CA)
    assert (found.status, found.since, found.until) == (status, since, until)


def test_the_first_period_starts_on_the_day_of_issue() -> None:
    issued = date(2026, 11, 20)  # MT: issued inside the first renewal window
    assert standing(V, issued, S.ACTIVE, MT, issued_on=issued).since == issued
    clamped = date(2028, 2, 29)  # CA: the period ends 27 Feb 2030, it began on 29 Feb
    last = first_valid_through(clamped, CA)
    assert standing(last, clamped, S.ACTIVE, CA, issued_on=clamped).since == clamped


@pytest.mark.parametrize("stored", [S.SUSPENDED, S.REVOKED])
@pytest.mark.parametrize("today", [date(2026, 5, 1), V, date(2027, 1, 1), date(2031, 1, 1)])
def test_discipline_wins_over_time(stored: CertificationStatus, today: date) -> None:
    found = standing(V, today, stored, MT, stored_since=date(2026, 4, 1))
    assert (found.status, found.since, found.until) == (stored, date(2026, 4, 1), None)


def test_a_stored_time_status_is_read_again() -> None:
    # The sweep wrote expired; a renewal since moved the valid-through day on.
    assert standing(date(2027, 12, 31), date(2027, 3, 1), S.EXPIRED, MT).status is S.ACTIVE


def test_reminders() -> None:
    assert reminders(V, MT) == (
        ReminderDue(Reminder.BEFORE_EXPIRY, date(2026, 10, 2), 90),
        ReminderDue(Reminder.BEFORE_EXPIRY, date(2026, 11, 1), 60),
        ReminderDue(Reminder.BEFORE_EXPIRY, date(2026, 12, 1), 30),
        ReminderDue(Reminder.AT_LAPSE, date(2027, 1, 1), -1),
        ReminderDue(Reminder.AT_EXPIRY, date(2027, 2, 15), -46),
    )
    # CA lapses into expiry at once: one reminder at 90 days, one on the first expired day.
    assert reminders(CA_V, CA) == (
        ReminderDue(Reminder.BEFORE_EXPIRY, date(2028, 2, 3), 90),
        ReminderDue(Reminder.AT_EXPIRY, date(2028, 5, 4), -1),
    )


@settings(max_examples=200)
@given(days, st.sampled_from([CA, MT]))
def test_renewals_are_contiguous_and_increasing(issued_on: date, policy) -> None:
    previous = None
    for cycle in cycles(issued_on, policy):
        if cycle.number == 5:
            break
        assert cycle.starts_on <= cycle.valid_through
        if previous is not None:
            # Each period starts the day after the old one ends.
            assert cycle.starts_on == previous.valid_through + DAY
            assert cycle.valid_through == renewed_valid_through(previous.valid_through, policy)
        previous = cycle


@settings(max_examples=200)
@given(days, st.integers(-360, 1200), st.sampled_from([CA, MT]))
def test_every_day_has_one_status_whose_span_holds_it(valid_through, offset, policy) -> None:
    # From the start of the period (at least 365 days under both presets) on.
    today = valid_through + timedelta(days=offset)
    found = standing(valid_through, today, S.ACTIVE, policy)
    assert found.since is not None
    assert found.since <= today
    assert found.until is None or today <= found.until
    if found.until is not None:
        # The next status starts the day after this one's last day.
        after = standing(valid_through, found.until + DAY, S.ACTIVE, policy)
        assert after.status is not found.status
        assert after.since == found.until + DAY
