"""The pure rules at their boundaries (domain.md §Time, exactly), with fixed instants only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from applications import rules
from applications.policy import ApplicationPolicy, build_policy

LA = ZoneInfo("America/Los_Angeles")
DENVER = ZoneInfo("America/Denver")
CA = build_policy("CA")
MT = build_policy("MT")


@cache
def policy_with(**overrides: int) -> ApplicationPolicy:
    return build_policy("CA", overrides)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def la(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LA)


def days(n: int) -> timedelta:
    return timedelta(days=n)


# --- local days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "day"),
    [
        (utc("2026-02-01T07:59:00"), date(2026, 1, 31)),  # 31 Jan 23:59 PST
        (utc("2026-02-01T07:59:59.999999"), date(2026, 1, 31)),
        (utc("2026-02-01T08:00:00"), date(2026, 2, 1)),  # 1 Feb 00:00 PST
        (la("2026-01-31T23:59"), date(2026, 1, 31)),
        (la("2026-02-01T00:01"), date(2026, 2, 1)),
    ],
)
def test_local_date_turns_at_local_midnight_not_utc_midnight(instant: datetime, day: date) -> None:
    assert CA.local_date(instant) == day


def test_local_date_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="aware"):
        CA.local_date(datetime(2026, 2, 1, 12, 0))


def test_mt_counts_days_in_denver() -> None:
    instant = utc("2026-02-01T07:30")  # 23:30 in Los Angeles, 00:30 in Denver
    assert CA.local_date(instant) == date(2026, 1, 31)
    assert MT.local_date(instant) == date(2026, 2, 1)
    assert rules.first_notification_due(instant, CA) == date(2026, 3, 2)
    assert rules.first_notification_due(instant, MT) == date(2026, 3, 3)
    assert rules.void_from(rules.last_day_to_complete(instant, CA)) == date(2026, 5, 2)
    assert rules.void_from(rules.last_day_to_complete(instant, MT)) == date(2026, 5, 3)
    assert MT.start_of_day(date(2026, 2, 1)) == utc("2026-02-01T07:00")


# --- start of day -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "instant"),
    [
        (date(2026, 2, 1), utc("2026-02-01T08:00")),  # PST
        (date(2026, 3, 7), utc("2026-03-07T08:00")),
        (date(2026, 3, 8), utc("2026-03-08T08:00")),  # spring forward later that night
        (date(2026, 3, 9), utc("2026-03-09T07:00")),  # first midnight in PDT
        (date(2026, 10, 31), utc("2026-10-31T07:00")),
        (date(2026, 11, 1), utc("2026-11-01T07:00")),  # fall back later that night
        (date(2026, 11, 2), utc("2026-11-02T08:00")),  # first midnight back in PST
    ],
)
def test_start_of_day_is_local_midnight_in_utc(day: date, instant: datetime) -> None:
    start = CA.start_of_day(day)
    assert start == instant
    assert start.utcoffset() == timedelta(0)
    assert CA.local_date(start) == day
    assert CA.local_date(start - timedelta(microseconds=1)) == day - days(1)


def test_dst_days_are_23_and_25_hours_long() -> None:
    def length(day: date) -> timedelta:
        return CA.start_of_day(day + days(1)) - CA.start_of_day(day)

    assert length(date(2026, 3, 8)) == timedelta(hours=23)
    assert length(date(2026, 11, 1)) == timedelta(hours=25)
    assert length(date(2026, 6, 1)) == timedelta(hours=24)


# --- the 30-day window ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_at", "submitted_on"),
    [
        (la("2026-01-31T23:59"), date(2026, 1, 31)),
        (la("2026-02-01T00:01"), date(2026, 2, 1)),
        (utc("2026-02-01T07:59"), date(2026, 1, 31)),
        (utc("2026-02-01T08:00"), date(2026, 2, 1)),
    ],
)
def test_first_notice_due_on_day_30_by_local_day(
    submitted_at: datetime, submitted_on: date
) -> None:
    due = rules.first_notification_due(submitted_at, CA)
    assert due == submitted_on + days(30)
    assert rules.days_left(due, submitted_on + days(29)) == 1
    assert rules.days_left(due, submitted_on + days(30)) == 0
    assert rules.days_left(due, submitted_on + days(31)) == -1
    # Notified on day 29 or 30 is on time; day 31 is a breach.
    assert rules.notified_on_time(submitted_on + days(29), due, submitted_on + days(40)) is True
    assert rules.notified_on_time(submitted_on + days(30), due, submitted_on + days(40)) is True
    assert rules.notified_on_time(submitted_on + days(31), due, submitted_on + days(40)) is False
    # Never notified: open through day 30, a breach from day 31.
    assert rules.notified_on_time(None, due, submitted_on + days(29)) is None
    assert rules.notified_on_time(None, due, submitted_on + days(30)) is None
    assert rules.notified_on_time(None, due, submitted_on + days(31)) is False


def test_first_notice_due_just_either_side_of_local_midnight() -> None:
    assert rules.first_notification_due(la("2026-01-31T23:59"), CA) == date(2026, 3, 2)
    assert rules.first_notification_due(la("2026-02-01T00:01"), CA) == date(2026, 3, 3)


# --- the 90-day hold --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_at", "submitted_on"),
    [
        (la("2026-01-31T23:59"), date(2026, 1, 31)),
        (la("2026-02-01T00:01"), date(2026, 2, 1)),
        (utc("2026-02-01T07:59"), date(2026, 1, 31)),
        (utc("2026-02-01T08:00"), date(2026, 2, 1)),
    ],
)
def test_hold_completable_through_day_90_void_from_day_91(
    submitted_at: datetime, submitted_on: date
) -> None:
    last_day = rules.last_day_to_complete(submitted_at, CA)
    assert last_day == submitted_on + days(90)
    assert rules.void_from(last_day) == submitted_on + days(91)
    assert rules.is_past(last_day, submitted_on + days(89)) is False
    assert rules.is_past(last_day, submitted_on + days(90)) is False
    assert rules.is_past(last_day, submitted_on + days(91)) is True


def test_hold_boundary_instants_around_void_from_midnight() -> None:
    submitted_at = utc("2026-02-01T08:00")  # 1 Feb 00:00 PST
    void_day = rules.void_from(rules.last_day_to_complete(submitted_at, CA))
    assert void_day == date(2026, 5, 3)
    void_at = CA.start_of_day(void_day)
    assert void_at == utc("2026-05-03T07:00")  # PDT by then
    last_instant = void_at - timedelta(microseconds=1)
    assert rules.is_past(rules.last_day_to_complete(submitted_at, CA), CA.local_date(void_at))
    assert not rules.is_past(
        rules.last_day_to_complete(submitted_at, CA), CA.local_date(last_instant)
    )


def test_is_past() -> None:
    day = date(2026, 5, 2)
    assert rules.is_past(day, date(2026, 5, 1)) is False
    assert rules.is_past(day, day) is False
    assert rules.is_past(day, date(2026, 5, 3)) is True


# --- DST weekends: calendar days, not 24-hour blocks ------------------------------------


@pytest.mark.parametrize(
    "submitted_at",
    [
        utc("2026-03-08T08:00"),  # 00:00 PST, the day clocks go forward
        utc("2026-03-08T09:59"),  # 01:59 PST, a minute before the gap
        utc("2026-03-08T10:00"),  # 03:00 PDT, just after it
        utc("2026-03-09T06:59"),  # 23:59 PDT
    ],
)
def test_spring_forward_submissions_count_calendar_days(submitted_at: datetime) -> None:
    assert CA.local_date(submitted_at) == date(2026, 3, 8)
    assert rules.first_notification_due(submitted_at, CA) == date(2026, 4, 7)
    assert rules.last_day_to_complete(submitted_at, CA) == date(2026, 6, 6)
    assert rules.void_from(rules.last_day_to_complete(submitted_at, CA)) == date(2026, 6, 7)
    assert CA.start_of_day(date(2026, 6, 7)) == utc("2026-06-07T07:00")


def test_spring_forward_day_edges() -> None:
    assert CA.local_date(utc("2026-03-08T07:59")) == date(2026, 3, 7)
    assert CA.local_date(utc("2026-03-09T07:00")) == date(2026, 3, 9)
    assert rules.first_notification_due(utc("2026-03-08T07:59"), CA) == date(2026, 4, 6)
    assert rules.first_notification_due(utc("2026-03-09T07:00"), CA) == date(2026, 4, 8)


@pytest.mark.parametrize(
    "submitted_at",
    [
        utc("2026-11-01T07:00"),  # 00:00 PDT, the day clocks go back
        utc("2026-11-01T08:30"),  # 01:30 PDT, first pass
        utc("2026-11-01T09:30"),  # 01:30 PST, second pass
        utc("2026-11-02T07:59"),  # 23:59 PST
    ],
)
def test_fall_back_submissions_count_calendar_days(submitted_at: datetime) -> None:
    assert CA.local_date(submitted_at) == date(2026, 11, 1)
    assert rules.first_notification_due(submitted_at, CA) == date(2026, 12, 1)
    assert rules.last_day_to_complete(submitted_at, CA) == date(2027, 1, 30)
    assert rules.void_from(rules.last_day_to_complete(submitted_at, CA)) == date(2027, 1, 31)
    assert CA.start_of_day(date(2027, 1, 31)) == utc("2027-01-31T08:00")


def test_fall_back_day_edges() -> None:
    assert CA.local_date(utc("2026-11-01T06:59")) == date(2026, 10, 31)
    assert CA.local_date(utc("2026-11-02T08:00")) == date(2026, 11, 2)
    assert CA.local_date(la("2026-11-01T01:30").replace(fold=1)) == date(2026, 11, 1)


# --- valid through ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approved_on", "months", "through"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 27)),  # no 29 Feb 2025: clamps to the 28th
        (date(2026, 1, 31), 12, date(2027, 1, 30)),
        (date(2026, 3, 31), 12, date(2027, 3, 30)),
        (date(2026, 4, 30), 12, date(2027, 4, 29)),
        (date(2026, 12, 31), 12, date(2027, 12, 30)),
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
        (date(2026, 3, 31), 1, date(2026, 4, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),
        (date(2024, 1, 31), 1, date(2024, 2, 28)),  # leap year: anniversary 29 Feb
        (date(2026, 4, 30), 1, date(2026, 5, 29)),
        (date(2026, 12, 31), 2, date(2027, 2, 27)),
        (date(2026, 8, 31), 6, date(2027, 2, 27)),
        (date(2024, 2, 29), 24, date(2026, 2, 27)),
        (date(2024, 2, 29), 48, date(2028, 2, 28)),  # 29 Feb 2028 exists
        (date(2026, 12, 31), 24, date(2028, 12, 30)),
    ],
)
def test_valid_through_day_before_the_clamped_anniversary(
    approved_on: date, months: int, through: date
) -> None:
    policy = policy_with(approval_valid_months=months)
    for approved_at in (
        policy.start_of_day(approved_on),
        policy.start_of_day(approved_on + days(1)) - timedelta(minutes=1),
    ):
        assert rules.valid_through(approved_at, policy) == through


def test_valid_through_uses_the_local_approval_day() -> None:
    assert rules.valid_through(utc("2026-01-01T07:59"), CA) == date(2026, 12, 30)  # 31 Dec PST
    assert rules.valid_through(utc("2026-01-01T08:00"), CA) == date(2026, 12, 31)  # 1 Jan PST


# --- exam requests ----------------------------------------------------------------------


def test_exam_request_cutoff_is_14_days_before_valid_through() -> None:
    through = date(2027, 1, 30)
    cutoff = rules.exam_request_cutoff(through, CA)
    assert cutoff == date(2027, 1, 16)
    assert rules.may_request_exam(through - days(15), through, CA) is True
    assert rules.may_request_exam(through - days(14), through, CA) is True
    assert rules.may_request_exam(through - days(13), through, CA) is False
    assert rules.may_request_exam(through, through, CA) is False
    assert rules.may_request_exam(through + days(1), through, CA) is False


def test_exam_request_window_follows_the_policy() -> None:
    through = date(2027, 1, 30)
    none_needed = policy_with(exam_request_min_days_before_expiry=0)
    assert rules.exam_request_cutoff(through, none_needed) == through
    assert rules.may_request_exam(through, through, none_needed) is True
    assert rules.may_request_exam(through + days(1), through, none_needed) is False


# --- reminders --------------------------------------------------------------------------

LAST_DAY = date(2026, 5, 2)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (LAST_DAY - days(30), []),
        (LAST_DAY - days(15), []),
        (LAST_DAY - days(14), [14]),
        (LAST_DAY - days(13), [14]),
        (LAST_DAY - days(4), [14]),
        (LAST_DAY - days(3), [14, 3]),
        (LAST_DAY - days(1), [14, 3]),
        (LAST_DAY, [14, 3]),
        (LAST_DAY + days(1), []),
        (LAST_DAY + days(30), []),
    ],
)
def test_reminders_due_at_each_threshold(today: date, due: list[int]) -> None:
    assert rules.reminders_due(LAST_DAY, today, CA.void_reminder_days_before) == due


def test_reminders_due_sorted_descending_whatever_the_input_order() -> None:
    assert rules.reminders_due(LAST_DAY, LAST_DAY, (0, 3, 14)) == [14, 3, 0]
    assert rules.reminders_due(LAST_DAY, LAST_DAY - days(1), (0, 3, 14)) == [14, 3]
    assert rules.reminders_due(LAST_DAY, LAST_DAY, ()) == []


# --- notified on time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified_on", "today", "expected"),
    [
        (date(2026, 2, 10), date(2026, 2, 11), True),
        (date(2026, 3, 2), date(2026, 3, 2), True),  # on the due day
        (date(2026, 3, 2), date(2027, 1, 1), True),  # stays on time, read however late
        (date(2026, 3, 3), date(2026, 3, 3), False),  # a day late
        (None, date(2026, 2, 10), None),
        (None, date(2026, 3, 2), None),  # the due day is still open
        (None, date(2026, 3, 3), False),  # breached
    ],
)
def test_notified_on_time(notified_on: date | None, today: date, expected: bool | None) -> None:
    assert rules.notified_on_time(notified_on, date(2026, 3, 2), today) is expected


# --- age --------------------------------------------------------------------------------


def test_age_counts_completed_years_with_leap_day_birthdays() -> None:
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 27)) == 17
    assert rules.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 18
    assert rules.is_old_enough(date(2008, 3, 1), date(2026, 2, 28), CA) is False
    assert rules.is_old_enough(date(2008, 3, 1), date(2026, 3, 1), CA) is True


# --- laws -------------------------------------------------------------------------------

# Each spring-forward and fall-back instant in Los Angeles and Denver, 2025-2026.
DST_CHANGES = [
    utc("2025-03-09T10:00"),
    utc("2025-11-02T09:00"),
    utc("2026-03-08T10:00"),
    utc("2026-11-01T09:00"),
    utc("2025-03-09T09:00"),
    utc("2025-11-02T08:00"),
    utc("2026-03-08T09:00"),
    utc("2026-11-01T08:00"),
]
any_instant = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
near_dst = st.builds(
    lambda change, minutes: change + timedelta(minutes=minutes),
    st.sampled_from(DST_CHANGES),
    st.integers(min_value=-48 * 60, max_value=48 * 60),
)
instants = st.one_of(any_instant, near_dst)
days_ = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1))
presets = st.sampled_from([CA, MT])


@given(instants, presets)
def test_first_notice_always_n_calendar_days_after_the_local_day(
    submitted_at: datetime, policy: ApplicationPolicy
) -> None:
    submitted_on = submitted_at.astimezone(policy.zone).date()
    due = rules.first_notification_due(submitted_at, policy)
    assert (due - submitted_on).days == policy.first_notification_days


@given(instants, st.integers(min_value=1, max_value=400))
def test_void_from_is_always_the_day_after_the_last_day(submitted_at: datetime, hold: int) -> None:
    policy = policy_with(incomplete_hold_days=hold)
    last_day = rules.last_day_to_complete(submitted_at, policy)
    assert rules.void_from(last_day) == last_day + days(1)
    assert (last_day - policy.local_date(submitted_at)).days == hold
    assert not rules.is_past(last_day, last_day)
    assert rules.is_past(last_day, rules.void_from(last_day))


@given(days_, presets)
def test_start_of_day_is_local_midnight(day: date, policy: ApplicationPolicy) -> None:
    start = policy.start_of_day(day)
    assert start.tzinfo is UTC
    local = start.astimezone(policy.zone)
    assert local.date() == day
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    assert policy.local_date(start - timedelta(microseconds=1)) == day - days(1)


@given(days_, st.integers(min_value=1, max_value=36))
def test_valid_through_stays_inside_the_period(approved_on: date, months: int) -> None:
    policy = policy_with(approval_valid_months=months)
    through = rules.valid_through(policy.start_of_day(approved_on), policy)
    assert through >= approved_on
    assert through < approved_on + relativedelta(months=months) + days(1)
    assert rules.valid_through(CA.start_of_day(approved_on), CA) < (
        approved_on + relativedelta(months=12) + days(1)
    )


@given(days_, st.integers(min_value=1, max_value=36))
def test_valid_through_never_decreases_with_the_approval_day(
    approved_on: date, months: int
) -> None:
    policy = policy_with(approval_valid_months=months)
    today = rules.valid_through(policy.start_of_day(approved_on), policy)
    tomorrow = rules.valid_through(policy.start_of_day(approved_on + days(1)), policy)
    assert today <= tomorrow


@given(days_, days_, st.integers(min_value=0, max_value=60))
def test_may_request_exam_exactly_through_the_cutoff(
    request_day: date, through: date, min_days: int
) -> None:
    policy = policy_with(exam_request_min_days_before_expiry=min_days)
    assert rules.may_request_exam(request_day, through, policy) == (
        request_day <= rules.exam_request_cutoff(through, policy)
    )


@given(
    days_,
    st.integers(min_value=-60, max_value=60),
    st.lists(st.integers(min_value=0, max_value=60), unique=True, max_size=5),
)
def test_reminders_due_never_after_the_last_day(last_day: date, offset: int, ks: list[int]) -> None:
    today = last_day + days(offset)
    due = rules.reminders_due(last_day, today, tuple(ks))
    assert due == sorted(due, reverse=True)
    if today > last_day:
        assert due == []
    else:
        assert due == sorted((k for k in ks if last_day - days(k) <= today), reverse=True)


def test_expiring_soon_is_the_policy_warning_window() -> None:
    today = date(2026, 3, 10)
    assert rules.expiring_through(today, CA) == today + days(CA.expiry_warning_days)
    assert rules.expiring_through(today, policy_with(expiry_warning_days=0)) == today
