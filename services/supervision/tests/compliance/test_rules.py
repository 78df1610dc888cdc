"""The compliance rule to its boundaries: 1:20 exactly and a minute short, 40 then 41 hours
between sessions, a worked week without a session under the weekly rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervision.compliance.rules import (
    ComplianceReport,
    DayActivity,
    compliance_report,
    hours_text,
    ratio_minutes,
    summarize,
    week_start,
)
from supervision.policy import SupervisionPolicy, build_policy

MT = build_policy("MT")
CA = build_policy("CA")
# Utah's reading: a signed-off session every Monday-to-Sunday week with hours worked.
UT = build_policy(
    "MT",
    {
        "weekly_supervision_required": True,
        "worked_hours_per_supervision_hour": None,
        "max_hours_worked_without_supervision": None,
    },
)
MONDAY = date(2026, 3, 2)


def report_of(days: list[DayActivity], policy: SupervisionPolicy) -> ComplianceReport:
    """The report over the days' week summaries, as the service reads them."""
    return compliance_report(summarize(days), policy)


def day(offset: int, hours: int = 0, minutes: int = 0, sessions: int | None = None) -> DayActivity:
    """A day ``offset`` days after MONDAY, ``hours`` worked (whole), ``minutes`` supervised."""
    count = (1 if minutes else 0) if sessions is None else sessions
    return DayActivity(MONDAY + timedelta(days=offset), hours * 100, minutes, count)


class TestRatio:
    def test_exactly_one_to_twenty_is_compliant(self) -> None:
        report = report_of([day(0, hours=20), day(1, minutes=60)], MT)
        assert report.required_minutes == 60
        assert report.shortfall_minutes == 0
        assert report.compliant
        assert report.weeks[0].compliant

    def test_one_minute_short_is_short_by_one_minute(self) -> None:
        report = report_of([day(0, hours=20), day(1, minutes=59)], MT)
        assert report.shortfall_minutes == 1
        assert not report.compliant
        week = report.weeks[0]
        assert (week.required_minutes, week.shortfall_minutes, week.compliant) == (60, 1, False)

    @pytest.mark.parametrize(
        ("hundredths", "minutes"),
        [(0, 0), (1, 1), (2000, 60), (2001, 61), (2033, 61), (2034, 62), (4000, 120)],
    )
    def test_minutes_worked_over_twenty_rounded_up(self, hundredths: int, minutes: int) -> None:
        # 20.01 h is 1200.6 minutes worked, so 60.03 due: 61 whole minutes.
        assert ratio_minutes(hundredths, MT) == minutes

    def test_no_ratio_asks_nothing(self) -> None:
        assert ratio_minutes(4000, CA) == 0

    @given(st.integers(min_value=0, max_value=10**7))
    def test_ratio_is_the_exact_ceiling(self, hundredths: int) -> None:
        due = ratio_minutes(hundredths, MT)
        # due is the least whole number with due * 20 * 100 >= hundredths * 60.
        assert due * 2000 >= hundredths * 60 > (due - 1) * 2000 or due == 0 == hundredths


class TestCap:
    def test_forty_hours_between_sessions_is_within_the_cap(self) -> None:
        days = [day(0, minutes=60), *(day(i, hours=10) for i in (1, 2, 3)), day(4, 10, 120)]
        report = report_of(days, MT)
        assert report.first_cap_exceeded_on is None
        assert report.compliant

    def test_forty_one_hours_exceeds_it_on_the_day_it_passes(self) -> None:
        days = [day(0, minutes=60), *(day(i, hours=10) for i in (1, 2, 3)), day(4, 11, 180)]
        report = report_of(days, MT)
        # Hours worked on a session's day count before it: 41 by the end of Friday's work.
        assert report.first_cap_exceeded_on == MONDAY + timedelta(days=4)
        assert report.weeks[0].cap_exceeded_on == MONDAY + timedelta(days=4)
        assert report.weeks[0].shortfall_minutes == 0
        assert not report.weeks[0].compliant

    def test_any_signed_off_session_resets_the_count(self) -> None:
        days = [day(0, 30), day(1, 10, 15), day(2, 30), day(3, 10, 15)]
        assert report_of(days, MT).first_cap_exceeded_on is None

    def test_a_stretch_across_weeks_marks_each_week_it_runs_over(self) -> None:
        days = [day(5, 20), day(6, 20), day(7, 1), day(8, 8, 60)]
        report = report_of(days, MT)
        assert report.first_cap_exceeded_on == MONDAY + timedelta(days=7)
        assert [w.cap_exceeded_on for w in report.weeks] == [None, MONDAY + timedelta(days=7)]


class TestWeekly:
    def test_a_worked_week_without_a_session_is_short(self) -> None:
        report = report_of([day(0, 8), day(7, 8), day(9, minutes=30)], UT)
        first, second = report.weeks
        assert first.missing_session
        assert not first.compliant
        assert not second.missing_session
        assert second.compliant
        assert not report.compliant

    def test_weeks_run_monday_to_sunday(self) -> None:
        # Work on Sunday and a session the next Monday: two weeks, the first without one.
        report = report_of([day(6, 8), day(7, minutes=30)], UT)
        assert [w.week_starts_on for w in report.weeks] == [MONDAY, MONDAY + timedelta(days=7)]
        assert report.weeks[0].missing_session

    def test_a_session_without_work_is_no_breach(self) -> None:
        assert report_of([day(2, minutes=30)], UT).compliant

    def test_an_unsigned_session_is_not_given_to_the_rule(self) -> None:
        # The repository passes only signed-off sessions; a day of work alone is short.
        assert not report_of([day(2, 4)], UT).compliant


class TestInputs:
    def test_days_out_of_order_are_refused(self) -> None:
        with pytest.raises(ValueError, match="date order"):
            report_of([day(1, 8), day(0, 8)], MT)

    def test_week_start_is_monday(self) -> None:
        assert week_start(date(2026, 3, 8)) == MONDAY  # a Sunday
        assert week_start(MONDAY) == MONDAY

    def test_hours_text_is_exact(self) -> None:
        assert hours_text(3975) == "39.75"
        assert hours_text(1) == "0.01"


activities = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1200),
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=0, max_value=8),
    ),
    max_size=60,
)


def _days(raw: list[tuple[int, int, int]]) -> list[DayActivity]:
    return [
        DayActivity(MONDAY + timedelta(days=i), worked, quarters * 15, 1 if quarters else 0)
        for i, (worked, quarters, _) in enumerate(raw)
    ]


@given(activities, st.integers(min_value=0, max_value=59))
def test_adding_a_session_never_makes_a_report_worse(raw, at: int) -> None:
    days = _days(raw)
    if not days:
        return
    index = at % len(days)
    more = list(days)
    d = more[index]
    more[index] = DayActivity(d.day, d.worked_hundredths, d.supervised_minutes + 60, d.sessions + 1)
    before, after = report_of(days, MT), report_of(more, MT)
    assert after.shortfall_minutes <= before.shortfall_minutes
    assert before.compliant <= after.compliant
    for policy in (MT, UT):
        assert report_of(days, policy).compliant <= report_of(more, policy).compliant


@given(activities)
def test_weeks_add_up_to_the_period(raw) -> None:
    days = _days(raw)
    report = report_of(days, MT)
    assert sum(w.worked_hundredths for w in report.weeks) == report.worked_hundredths
    assert sum(w.supervised_minutes for w in report.weeks) == report.supervised_minutes
    # Ceilings per week never sum to less than the ceiling of the total.
    assert sum(w.required_minutes for w in report.weeks) >= report.required_minutes
