"""The qualification rule to its boundaries: each route, each refusal, every reason at once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervision.policy import LICENSE_LISTS, build_policy
from supervision.rules import (
    SupervisorFacts,
    add_months,
    at_risk_from,
    experience_complete_on,
    qualification_unmet,
)

MT = build_policy("MT")
CA = build_policy("CA")
UT = build_policy("MT", {"accepted_license_types": "UT"})
LICENSED = date(2023, 3, 15)
THREE_YEARS = date(2026, 3, 15)  # licensure day + 36 months


def facts(**overrides: Any) -> SupervisorFacts:
    """A verified LSW licensed on 15 March 2023, license valid through 2030, no CE hours."""
    values: dict[str, Any] = {
        "license_type": "licensed_social_worker",
        "license_expires_on": date(2030, 12, 31),
        "first_licensed_on": LICENSED,
        "supervision_ce_hours": Decimal(0),
        "verified": True,
    }
    values.update(overrides)
    return SupervisorFacts(**values)


def codes(found: SupervisorFacts, on: date, policy: Any = MT) -> list[str]:
    return [u.code for u in qualification_unmet(found, on, policy)]


class TestAddMonths:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (date(2023, 3, 15), 36, date(2026, 3, 15)),
            (date(2024, 2, 29), 36, date(2027, 2, 28)),  # no 29 Feb in 2027: clamps
            (date(2024, 2, 29), 48, date(2028, 2, 29)),
            (date(2023, 1, 31), 1, date(2023, 2, 28)),
            (date(2023, 8, 31), 1, date(2023, 9, 30)),
            (date(2023, 12, 31), 1, date(2024, 1, 31)),
            (date(2023, 12, 15), 0, date(2023, 12, 15)),
        ],
    )
    def test_month_ends_clamp(self, day: date, months: int, expected: date) -> None:
        assert add_months(day, months) == expected

    @given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
    def test_years_land_in_the_same_month(self, day: date) -> None:
        complete = experience_complete_on(day, 3)
        assert (complete.year, complete.month) == (day.year + 3, day.month)
        assert complete.day == day.day or (day.month == 2 and day.day == 29)


class TestExperienceRoutes:
    def test_three_years_exactly_on_licensure_day_plus_36_months(self) -> None:
        assert codes(facts(), THREE_YEARS) == []

    def test_one_day_short_of_three_years(self) -> None:
        unmet = qualification_unmet(facts(), THREE_YEARS - timedelta(days=1), MT)
        assert [u.code for u in unmet] == ["SUPERVISOR_EXPERIENCE_SHORT"]
        assert unmet[0].field == "first_licensed_on"
        assert "3 years licensed (complete on 2026-03-15)" in unmet[0].message
        assert "20 supervision CE hours (has 0)" in unmet[0].message

    def test_a_leap_day_license_completes_on_28_february(self) -> None:
        leap = facts(first_licensed_on=date(2024, 2, 29))
        assert codes(leap, date(2027, 2, 27)) == ["SUPERVISOR_EXPERIENCE_SHORT"]
        assert codes(leap, date(2027, 2, 28)) == []

    @pytest.mark.parametrize(
        ("hours", "qualified"),
        [
            (Decimal(20), True),
            (Decimal(19), False),
            (Decimal("19.99"), False),
            (Decimal("20.00"), True),
            (40, True),
        ],
    )
    def test_twenty_ce_hours_instead(self, hours: Decimal | int, qualified: bool) -> None:
        newly = facts(first_licensed_on=date(2026, 1, 5), supervision_ce_hours=hours)
        assert (codes(newly, date(2026, 3, 10)) == []) is qualified

    def test_one_route_switched_off(self) -> None:
        years_only = build_policy("MT", {"min_supervision_ce_hours": None})
        newly = facts(first_licensed_on=date(2026, 1, 5), supervision_ce_hours=Decimal(500))
        assert codes(newly, date(2026, 3, 10), years_only) == ["SUPERVISOR_EXPERIENCE_SHORT"]
        ce_only = build_policy("MT", {"min_years_post_licensure": None})
        unmet = qualification_unmet(facts(), date(2030, 1, 1), ce_only)
        assert [(u.code, u.field) for u in unmet] == [
            ("SUPERVISOR_EXPERIENCE_SHORT", "supervision_ce_hours")
        ]

    def test_ca_needs_only_a_verified_unexpired_license(self) -> None:
        newly = facts(license_type="astrologer", first_licensed_on=date(2026, 3, 1))
        assert codes(newly, date(2026, 3, 10), CA) == []

    def test_refuses_float_and_negative_hours(self) -> None:
        with pytest.raises(TypeError):
            qualification_unmet(facts(supervision_ce_hours=20.0), THREE_YEARS, MT)
        with pytest.raises(ValueError, match="supervision_ce_hours"):
            qualification_unmet(facts(supervision_ce_hours=Decimal(-1)), THREE_YEARS, MT)


class TestLicense:
    def test_valid_through_its_expiry_day(self) -> None:
        assert codes(facts(license_expires_on=THREE_YEARS), THREE_YEARS) == []

    def test_expired_the_day_after(self) -> None:
        unmet = qualification_unmet(facts(license_expires_on=THREE_YEARS), date(2026, 3, 16), MT)
        assert [(u.code, u.field) for u in unmet] == [("LICENSE_EXPIRED", "license_expires_on")]

    def test_unverified(self) -> None:
        unmet = qualification_unmet(facts(verified=False), THREE_YEARS, MT)
        assert [(u.code, u.field) for u in unmet] == [("LICENSE_NOT_VERIFIED", "verification")]

    def test_wrong_type(self) -> None:
        unmet = qualification_unmet(facts(license_type="chiropractor"), THREE_YEARS, MT)
        assert [(u.code, u.field) for u in unmet] == [("LICENSE_TYPE_NOT_ACCEPTED", "license_type")]
        assert "chiropractor" in unmet[0].message

    @pytest.mark.parametrize("license_type", LICENSE_LISTS["MT"])
    def test_every_mt_license_is_accepted(self, license_type: str) -> None:
        assert codes(facts(license_type=license_type), THREE_YEARS) == []

    def test_the_ut_list_is_selectable(self) -> None:
        assert UT.accepted_license_types == LICENSE_LISTS["UT"]
        assert codes(facts(license_type="licensed_mental_health_therapist"), THREE_YEARS, UT) == []
        assert codes(facts(), THREE_YEARS, UT) == ["LICENSE_TYPE_NOT_ACCEPTED"]

    def test_an_unknown_list_is_refused(self) -> None:
        with pytest.raises(ValueError, match="no license list named 'WA'"):
            build_policy("MT", {"accepted_license_types": "WA"})


def test_every_unmet_condition_is_named_at_once() -> None:
    worst = facts(
        verified=False,
        license_expires_on=date(2026, 1, 1),
        license_type="chiropractor",
        first_licensed_on=date(2025, 1, 1),
        supervision_ce_hours=Decimal(19),
    )
    assert codes(worst, date(2026, 3, 10)) == [
        "LICENSE_NOT_VERIFIED",
        "LICENSE_EXPIRED",
        "LICENSE_TYPE_NOT_ACCEPTED",
        "SUPERVISOR_EXPERIENCE_SHORT",
    ]


class TestAtRisk:
    START = date(2026, 2, 1)

    def test_from_the_day_after_the_license_expires(self) -> None:
        assert at_risk_from(date(2026, 6, 30), self.START, None) == date(2026, 7, 1)

    def test_not_when_the_license_outlasts_the_agreement(self) -> None:
        assert at_risk_from(date(2026, 6, 30), self.START, date(2026, 6, 30)) is None
        assert at_risk_from(date(2026, 6, 29), self.START, date(2026, 6, 30)) == date(2026, 6, 30)

    def test_a_license_lapsed_before_the_start_puts_all_of_it_at_risk(self) -> None:
        assert at_risk_from(date(2026, 1, 1), self.START, None) == self.START
