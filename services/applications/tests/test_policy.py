"""Presets and overrides: every number is policy, validated when the service starts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from applications import rules
from applications.policy import PRESETS, ApplicationPolicy, build_policy


def test_ca_preset() -> None:
    policy = build_policy("CA")
    assert policy.board == "CA"
    assert policy.time_zone == "America/Los_Angeles"
    assert policy.min_applicant_age_years == 18
    assert policy.first_notification_days == 30
    assert policy.incomplete_hold_days == 90
    assert policy.approval_valid_months == 12
    assert policy.exam_request_min_days_before_expiry == 14
    assert policy.void_reminder_days_before == (14, 3)
    assert policy.expiry_reminder_days_before == (30, 7)
    assert policy.expiry_warning_days == 30
    assert policy.requires_background_check is False
    assert policy.requires_recovery_attestations is False
    assert policy.requires_supervision_agreement is False
    assert policy.application_fee_cents == 0
    assert policy.currency == "USD"


def test_mt_preset() -> None:
    policy = build_policy("MT")
    assert policy.board == "MT"
    assert policy.time_zone == "America/Denver"
    assert policy.first_notification_days == 30
    assert policy.incomplete_hold_days == 90
    assert policy.approval_valid_months == 12
    assert policy.exam_request_min_days_before_expiry == 14
    assert policy.void_reminder_days_before == (14, 3)
    assert policy.expiry_reminder_days_before == (30, 7)
    assert policy.expiry_warning_days == 30
    assert policy.requires_background_check is True
    assert policy.requires_recovery_attestations is True
    assert policy.requires_supervision_agreement is True
    assert policy.application_fee_cents == 12500
    assert policy.currency == "USD"


@pytest.mark.parametrize("preset", list(PRESETS))
def test_presets_state_every_number(preset: str) -> None:
    # A preset that leans on a default would silently change if the default did.
    assert set(PRESETS[preset]) == set(ApplicationPolicy.model_fields)


def test_preset_names_are_case_insensitive() -> None:
    assert build_policy("mt") == build_policy("MT")


def test_policy_is_frozen() -> None:
    policy = build_policy("CA")
    with pytest.raises(ValidationError):
        policy.incomplete_hold_days = 1  # type: ignore[misc]


def test_policy_round_trips_through_json() -> None:
    policy = build_policy("MT")
    assert ApplicationPolicy.model_validate_json(policy.model_dump_json()) == policy


def test_unknown_preset_refused() -> None:
    with pytest.raises(ValueError, match="unknown policy preset 'NY'"):
        build_policy("NY")


def test_unknown_override_key_refused() -> None:
    with pytest.raises(ValidationError, match="hold_days"):
        build_policy("CA", {"hold_days": 120})


def test_hold_override_moves_void_from() -> None:
    submitted_at = datetime(2026, 2, 1, 20, 0, tzinfo=UTC)  # 1 Feb, 12:00 PST
    default = build_policy("CA")
    longer = build_policy("CA", {"incomplete_hold_days": 120})
    assert rules.void_from(rules.last_day_to_complete(submitted_at, default)) == date(2026, 5, 3)
    assert rules.last_day_to_complete(submitted_at, longer) == date(2026, 6, 1)
    assert rules.void_from(rules.last_day_to_complete(submitted_at, longer)) == date(2026, 6, 2)


def test_overrides_leave_the_rest_of_the_preset() -> None:
    policy = build_policy("MT", {"application_fee_cents": 9300, "requires_background_check": False})
    assert policy.application_fee_cents == 9300
    assert policy.requires_background_check is False
    assert policy.requires_supervision_agreement is True
    assert policy.time_zone == "America/Denver"


def test_time_zone_override_moves_the_local_day() -> None:
    instant = datetime(2026, 2, 1, 6, 0, tzinfo=UTC)
    assert build_policy("CA").local_date(instant) == date(2026, 1, 31)
    new_york = build_policy("CA", {"time_zone": "America/New_York"})
    assert new_york.local_date(instant) == date(2026, 2, 1)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", "PST "])
def test_bad_time_zone_refused(zone: str) -> None:
    with pytest.raises(ValidationError, match="unknown time zone"):
        build_policy("CA", {"time_zone": zone})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"incomplete_hold_days": 0}, "greater than or equal to 1"),
        ({"first_notification_days": 0}, "greater than or equal to 1"),
        ({"approval_valid_months": 0}, "greater than or equal to 1"),
        ({"exam_request_min_days_before_expiry": -1}, "greater than or equal to 0"),
        ({"expiry_warning_days": -1}, "greater than or equal to 0"),
        ({"application_fee_cents": -1}, "greater than or equal to 0"),
        ({"currency": "usd"}, "pattern"),
        ({"currency": "DOLLARS"}, "pattern"),
        ({"requires_background_check": "maybe"}, "bool"),
    ],
)
def test_bad_numbers_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build_policy("CA", overrides)


@pytest.mark.parametrize("field", ["void_reminder_days_before", "expiry_reminder_days_before"])
class TestReminderDays:
    def test_stored_sorted_descending(self, field: str) -> None:
        assert getattr(build_policy("CA", {field: (3, 14, 0)}), field) == (14, 3, 0)

    def test_json_lists_accepted(self, field: str) -> None:
        assert getattr(build_policy("CA", {field: [7, 30]}), field) == (30, 7)

    def test_empty_switches_reminders_off(self, field: str) -> None:
        assert getattr(build_policy("CA", {field: ()}), field) == ()

    def test_negative_refused(self, field: str) -> None:
        with pytest.raises(ValidationError, match="0 or more"):
            build_policy("CA", {field: (14, -1)})

    def test_duplicates_refused(self, field: str) -> None:
        with pytest.raises(ValidationError, match="unique"):
            build_policy("CA", {field: (14, 3, 14)})

    def test_non_integers_refused(self, field: str) -> None:
        with pytest.raises(ValidationError):
            build_policy("CA", {field: (14, "soon")})
