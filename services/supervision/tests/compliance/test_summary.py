"""The report over week summaries is the report over days: a hypothesis law against the rule
walked day by day as domain.md reads it, and its boundaries across a week's end; and the
report's pause of the cycle collector always ends."""

from __future__ import annotations

import gc
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision.compliance.rules import (
    ComplianceReport,
    DayActivity,
    WeekCompliance,
    compliance_report,
    ratio_minutes,
    summarize,
    summarize_week,
    week_start,
)
from supervision.compliance.service import cyclic_gc_paused
from supervision.policy import SupervisionPolicy, build_policy

MONDAY = date(2026, 3, 2)
MT = build_policy("MT")
UT = build_policy(
    "MT",
    {
        "weekly_supervision_required": True,
        "worked_hours_per_supervision_hour": None,
        "max_hours_worked_without_supervision": None,
    },
)
# A short cap and another ratio, so that random weeks pass the cap often and round unevenly.
TIGHT = build_policy(
    "MT", {"max_hours_worked_without_supervision": 9, "worked_hours_per_supervision_hour": 7}
)


def walked(days: list[DayActivity], policy: SupervisionPolicy) -> ComplianceReport:
    """The rule over raw days, one at a time: the reading the summaries must reproduce."""
    cap = policy.max_hours_worked_without_supervision
    weeks: dict[date, list[int]] = {}
    exceeded: dict[date, date] = {}
    running = 0
    for day, worked, minutes, sessions in days:
        if not (worked or sessions):
            continue
        totals = weeks.setdefault(week_start(day), [0, 0, 0])
        for i, amount in enumerate((worked, minutes, sessions)):
            totals[i] += amount
        running += worked  # hours worked on a session's day count before it
        if cap is not None and running > cap * 100:
            exceeded.setdefault(week_start(day), day)
        if sessions:
            running = 0
    measured = tuple(
        WeekCompliance(
            monday,
            worked,
            minutes,
            sessions,
            ratio_minutes(worked, policy),
            max(0, ratio_minutes(worked, policy) - minutes),
            policy.weekly_supervision_required and worked > 0 and sessions == 0,
            exceeded.get(monday),
        )
        for monday, (worked, minutes, sessions) in sorted(weeks.items())
    )
    worked_total = sum(w.worked_hundredths for w in measured)
    return ComplianceReport(
        weeks=measured,
        worked_hundredths=worked_total,
        supervised_minutes=sum(w.supervised_minutes for w in measured),
        required_minutes=ratio_minutes(worked_total, policy),
        first_cap_exceeded_on=min(exceeded.values(), default=None),
    )


# Up to ten weeks of days, each with some hours (or none) and up to two sessions.
activity = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=69),
        st.integers(min_value=0, max_value=1600),
        st.integers(min_value=0, max_value=2),
    ),
    max_size=40,
    unique_by=lambda entry: entry[0],
)


def _days(raw: list[tuple[int, int, int]]) -> list[DayActivity]:
    return [
        DayActivity(MONDAY + timedelta(days=offset), worked, 45 * sessions, sessions)
        for offset, worked, sessions in sorted(raw)
    ]


# No per-example deadline: on a shared, loaded machine one slow example is no failure.
@settings(max_examples=300, deadline=None)
@given(activity, st.sampled_from([MT, UT, TIGHT]))
def test_the_report_over_summaries_is_the_report_over_days(
    raw: list[tuple[int, int, int]], policy: SupervisionPolicy
) -> None:
    days = _days(raw)
    assert compliance_report(summarize(days), policy) == walked(days, policy)


@settings(deadline=None)
@given(activity, st.integers(min_value=0, max_value=9))
def test_summaries_of_any_weeks_compose_like_their_days(
    raw: list[tuple[int, int, int]], skip: int
) -> None:
    # The report of a later part of the period starts its 40-hour count afresh: the weeks
    # left out must not leak into it.
    days = _days(raw)
    later = [d for d in days if d.day >= MONDAY + timedelta(weeks=skip)]
    weeks = [w for w in summarize(days) if w.week_starts_on >= MONDAY + timedelta(weeks=skip)]
    assert compliance_report(weeks, TIGHT) == walked(later, TIGHT)


def at(offset: int, hours: int = 0, minutes: int = 0) -> DayActivity:
    """``offset`` days after MONDAY: whole hours worked, minutes of one signed-off session."""
    return DayActivity(MONDAY + timedelta(days=offset), hours * 100, minutes, 1 if minutes else 0)


def test_exactly_one_to_twenty_over_a_weekly_report() -> None:
    # A week's hours are reported on its Monday: 20 h then 60 minutes later that week.
    report = compliance_report(summarize([at(0, hours=20), at(3, minutes=60)]), MT)
    assert (report.required_minutes, report.shortfall_minutes, report.compliant) == (60, 0, True)


def test_one_minute_short_over_a_weekly_report() -> None:
    report = compliance_report(summarize([at(0, hours=20), at(3, minutes=59)]), MT)
    assert (report.weeks[0].shortfall_minutes, report.compliant) == (1, False)


def _across_a_week_end(last_day_hours: int) -> ComplianceReport:
    # A session on Friday; 10 h on Saturday and Sunday, Monday and then Tuesday, the next
    # session on Tuesday after its hours.
    days = [at(4, hours=8, minutes=60), at(5, 10), at(6, 10), at(7, 10), at(8, last_day_hours, 60)]
    return compliance_report(summarize(days), MT)


def test_forty_hours_between_sessions_across_a_week_end_is_within_the_cap() -> None:
    report = _across_a_week_end(10)
    assert report.first_cap_exceeded_on is None
    assert all(week.cap_exceeded_on is None for week in report.weeks)


def test_forty_one_hours_across_a_week_end_names_the_day_in_the_second_week() -> None:
    report = _across_a_week_end(11)
    tuesday = MONDAY + timedelta(days=8)
    assert report.first_cap_exceeded_on == tuesday
    assert [week.cap_exceeded_on for week in report.weeks] == [None, tuesday]


def test_a_week_without_a_session_carries_the_count_through() -> None:
    # Sessions on two Mondays a fortnight apart; 5 h after the first, 30 h in the week
    # between, then 5 h or 6 h on the third Monday before its session.
    def report(last: int) -> ComplianceReport:
        days = [at(0, minutes=60), at(1, 5), at(9, 30), at(14, last, 60)]
        return compliance_report(summarize(days), MT)

    assert report(5).first_cap_exceeded_on is None
    assert report(6).first_cap_exceeded_on == MONDAY + timedelta(days=14)


def test_a_stretch_after_the_last_session_passes_the_cap_inside_the_week() -> None:
    week = summarize_week(MONDAY, [at(0, minutes=60), at(1, 20), at(2, 21)])
    assert (week.head_hundredths, week.gap_hundredths, week.tail_hundredths) == (0, 4100, 4100)
    report = compliance_report([week], MT)
    assert report.first_cap_exceeded_on == MONDAY + timedelta(days=2)


def test_a_week_corrected_to_nothing_is_no_week() -> None:
    empty = summarize_week(MONDAY, [])
    assert compliance_report([empty], MT).weeks == ()


def test_the_cycle_collector_comes_back_after_nested_pauses_and_errors() -> None:
    def fail_inside_nested_pauses() -> None:
        with cyclic_gc_paused():
            with cyclic_gc_paused():
                assert not gc.isenabled()
            # The inner pause found it off and leaves it off for the outer one.
            assert not gc.isenabled()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_inside_nested_pauses()
    assert gc.isenabled()
