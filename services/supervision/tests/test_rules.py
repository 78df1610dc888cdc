from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervision.policy import LicenseType, build_policy
from supervision.rules import (
    Relationship,
    WorkPeriod,
    hours_since_supervision_exceeded,
    is_compliant,
    is_valid_session_length,
    longest_unsupervised_stretch,
    may_supervise,
    required_supervision_minutes,
)

MT = build_policy("MT")
CA = build_policy("CA")
START = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
LSW = LicenseType.LICENSED_SOCIAL_WORKER

# Hours as Decimals with quarter-hour or finer precision, from nothing to a long year.
hours = st.decimals(min_value=0, max_value=3000, places=2, allow_nan=False, allow_infinity=False)


class TestRequiredSupervisionMinutes:
    @pytest.mark.parametrize(
        ("worked", "minutes"),
        [
            # 1 h per 20 h is 3 minutes per hour, rounded up to the 15-minute increment.
            (Decimal(0), 0),
            (Decimal("0.25"), 15),
            (Decimal(5), 15),
            (Decimal("5.25"), 30),
            (Decimal(19), 60),
            (Decimal(20), 60),
            (Decimal(21), 75),
            (Decimal(40), 120),
        ],
    )
    def test_one_hour_per_twenty_rounded_up(self, worked: Decimal, minutes: int) -> None:
        assert required_supervision_minutes(worked, MT) == minutes

    def test_without_increment_rounds_up_to_whole_minutes(self) -> None:
        policy = build_policy("MT", {"session_increment_minutes": None})
        assert required_supervision_minutes(Decimal(19), policy) == 57
        assert required_supervision_minutes(Decimal("19.01"), policy) == 58

    def test_ratio_is_policy(self) -> None:
        policy = build_policy("MT", {"worked_hours_per_supervision_hour": 10})
        assert required_supervision_minutes(Decimal(20), policy) == 120

    def test_ca_requires_none(self) -> None:
        assert required_supervision_minutes(Decimal(400), CA) == 0

    @pytest.mark.parametrize("worked", [Decimal(-1), Decimal("NaN"), Decimal("Infinity")])
    def test_refuses_impossible_hours(self, worked: Decimal) -> None:
        with pytest.raises(ValueError, match="hours_worked"):
            required_supervision_minutes(worked, MT)

    def test_refuses_float(self) -> None:
        with pytest.raises(TypeError, match="float"):
            required_supervision_minutes(19.5, MT)  # type: ignore[arg-type]

    @given(a=hours, b=hours)
    def test_monotone_in_hours_worked(self, a: Decimal, b: Decimal) -> None:
        low, high = sorted((a, b))
        assert required_supervision_minutes(low, MT) <= required_supervision_minutes(high, MT)

    @given(worked=hours)
    def test_a_multiple_of_the_increment(self, worked: Decimal) -> None:
        assert required_supervision_minutes(worked, MT) % 15 == 0

    @given(worked=hours)
    def test_the_least_increment_covering_the_exact_ratio(self, worked: Decimal) -> None:
        required = required_supervision_minutes(worked, MT)
        exact = worked * 60 / 20
        assert exact <= required < exact + 15


class TestCompliance:
    @pytest.mark.parametrize(
        ("worked", "supervised", "shortfall"),
        [
            (Decimal(19), 45, 15),
            (Decimal(19), 60, 0),
            (Decimal(20), 59, 1),
            (Decimal(20), 60, 0),
            (Decimal(21), 60, 15),
            (Decimal(21), 75, 0),
            (Decimal(21), 120, 0),
        ],
    )
    def test_shortfall_at_the_boundaries(
        self, worked: Decimal, supervised: int, shortfall: int
    ) -> None:
        result = is_compliant(worked, supervised, MT)
        assert result.shortfall_minutes == shortfall
        assert result.compliant is (shortfall == 0)
        assert result.supervised_minutes == supervised

    def test_ca_is_always_compliant(self) -> None:
        result = is_compliant(Decimal(400), 0, CA)
        assert result.compliant
        assert result.required_minutes == 0

    def test_refuses_negative_minutes(self) -> None:
        with pytest.raises(ValueError, match="supervision_minutes"):
            is_compliant(Decimal(1), -15, MT)

    @given(worked=hours, supervised=st.integers(min_value=0, max_value=20_000))
    def test_compliant_iff_no_shortfall(self, worked: Decimal, supervised: int) -> None:
        result = is_compliant(worked, supervised, MT)
        assert result.compliant == (result.shortfall_minutes == 0)
        assert result.compliant == (supervised >= result.required_minutes)
        assert result.shortfall_minutes >= 0


class TestHoursWithoutSupervision:
    @pytest.mark.parametrize(
        ("worked", "exceeded"),
        [(Decimal("39.75"), False), (Decimal(40), False), (Decimal("40.25"), True)],
    )
    def test_cap_of_forty_hours(self, worked: Decimal, exceeded: bool) -> None:
        assert hours_since_supervision_exceeded([WorkPeriod(worked, 60)], MT) is exceeded

    def test_hours_add_up_across_periods_until_supervised(self) -> None:
        periods = [WorkPeriod(Decimal(20)), WorkPeriod(Decimal("20.25"), 60)]
        assert longest_unsupervised_stretch(periods) == Decimal("40.25")
        assert hours_since_supervision_exceeded(periods, MT)

    def test_supervision_resets_the_count(self) -> None:
        periods = [
            WorkPeriod(Decimal(20)),
            WorkPeriod(Decimal(20), 15),
            WorkPeriod(Decimal(39)),
            WorkPeriod(Decimal(1), 60),
        ]
        assert longest_unsupervised_stretch(periods) == Decimal(40)
        assert not hours_since_supervision_exceeded(periods, MT)

    def test_a_later_session_does_not_excuse_an_earlier_stretch(self) -> None:
        periods = [WorkPeriod(Decimal(41)), WorkPeriod(Decimal(1), 60), WorkPeriod(Decimal(2))]
        assert hours_since_supervision_exceeded(periods, MT)

    def test_still_unsupervised_counts(self) -> None:
        assert hours_since_supervision_exceeded([WorkPeriod(Decimal("40.25"))], MT)

    def test_nothing_worked(self) -> None:
        assert longest_unsupervised_stretch([]) == 0
        assert not hours_since_supervision_exceeded([], MT)

    def test_ca_has_no_cap(self) -> None:
        assert not hours_since_supervision_exceeded([WorkPeriod(Decimal(500))], CA)

    def test_cap_is_policy(self) -> None:
        policy = build_policy("MT", {"max_hours_worked_without_supervision": 30})
        assert hours_since_supervision_exceeded([WorkPeriod(Decimal("30.25"))], policy)


class TestSessionLength:
    @pytest.mark.parametrize(
        ("minutes", "valid"),
        [(14, False), (15, True), (16, False), (30, True), (0, False), (-15, False), (90, True)],
    )
    def test_fifteen_minute_increments(self, minutes: int, valid: bool) -> None:
        stop = START + timedelta(minutes=minutes)
        assert is_valid_session_length(START, stop, MT) is valid

    def test_seconds_break_the_increment(self) -> None:
        stop = START + timedelta(minutes=15, seconds=1)
        assert not is_valid_session_length(START, stop, MT)

    def test_length_is_elapsed_time_across_a_dst_change(self) -> None:
        denver = ZoneInfo("America/Denver")
        # 8 March 2026: clocks jump from 02:00 to 03:00, so 01:45 to 03:00 is 15 minutes.
        start = datetime(2026, 3, 8, 1, 45, tzinfo=denver)
        stop = datetime(2026, 3, 8, 3, 0, tzinfo=denver)
        assert is_valid_session_length(start, stop, MT)
        assert not is_valid_session_length(start, stop + timedelta(minutes=1), MT)

    def test_without_increment_any_positive_length(self) -> None:
        assert is_valid_session_length(START, START + timedelta(minutes=7), CA)
        assert not is_valid_session_length(START, START, CA)

    def test_refuses_naive_instants(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            is_valid_session_length(START.replace(tzinfo=None), START, MT)


class TestRelationship:
    @pytest.mark.parametrize(
        "relationship",
        [
            Relationship.PARENT,
            Relationship.CHILD,
            Relationship.SPOUSE,
            Relationship.SIBLING,
            Relationship.THERAPEUTIC,
            Relationship.PERSONAL,
        ],
    )
    def test_bars(self, relationship: Relationship) -> None:
        assert not may_supervise(relationship)

    def test_no_relationship_may_supervise(self) -> None:
        assert may_supervise(Relationship.NONE)

    def test_every_kind_but_none_bars(self) -> None:
        allowed = [r for r in Relationship if may_supervise(r)]
        assert allowed == [Relationship.NONE]
