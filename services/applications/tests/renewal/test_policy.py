"""The renewal numbers of both presets, and overrides that contradict them refused."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from applications.policy import build_policy
from applications.renewal.categories import CeCategory
from applications.renewal.policy import CeMinimum, CycleConvention


def test_ca_renewal_numbers() -> None:
    policy = build_policy("CA")
    assert (policy.renewal_cycle, policy.certification_valid_months) == (
        CycleConvention.ANNIVERSARY,
        24,
    )
    assert (policy.renewal_window_days, policy.lapse_grace_days) == (90, 0)
    assert policy.termination_after_months is None
    assert policy.ce_hours_per_cycle_hundredths == 2000
    assert policy.ce_minimums == (
        CeMinimum(category=CeCategory.LAW_AND_ETHICS, hours_hundredths=600),
    )
    assert (policy.ce_carry_over_cap_hundredths, policy.ce_first_required_cycle) == (0, 0)
    assert policy.ce_proof_required_for_renewal is True
    assert policy.renewal_reminder_days_before == (90,)
    assert (policy.renewal_fee_cents, policy.late_fee_cents, policy.reinstatement_fee_cents) == (
        8000,
        0,
        8000,
    )


def test_mt_renewal_numbers() -> None:
    policy = build_policy("MT")
    assert (policy.renewal_cycle, policy.certification_valid_months) == (
        CycleConvention.CALENDAR_YEAR,
        12,
    )
    assert (policy.renewal_window_days, policy.lapse_grace_days) == (90, 45)
    assert policy.termination_after_months == 24
    assert policy.ce_minimums == (
        CeMinimum(category=CeCategory.SUICIDE_PREVENTION, hours_hundredths=200, every_cycles=2),
    )
    assert (policy.ce_carry_over_cap_hundredths, policy.ce_first_required_cycle) == (2000, 1)
    assert policy.ce_proof_required_for_renewal is False
    assert policy.renewal_reminder_days_before == (90, 60, 30)
    assert (policy.audit_share_percent, policy.audit_share_cap_percent) == (10, 50)
    assert (policy.reinstatement_requires_audit, policy.reinstatement_requires_all_accrued_ce) == (
        True,
        True,
    )
    assert policy.renewal_fee_cents == 9300


def test_reminder_days_are_sorted_earliest_first() -> None:
    policy = build_policy("CA", {"renewal_reminder_days_before": (30, 90, 60)})
    assert policy.renewal_reminder_days_before == (90, 60, 30)


@pytest.mark.parametrize(
    ("preset", "override", "message"),
    [
        ("MT", {"certification_valid_months": 18}, "whole years"),
        ("MT", {"renewal_window_days": 365}, "renewal window"),
        ("MT", {"lapse_grace_days": 700}, "termination must come after"),
        ("MT", {"audit_share_percent": 51}, "exceeds the board's cap"),
        ("CA", {"audit_share_percent": 101}, "less than or equal to 100"),
        ("CA", {"renewal_reminder_days_before": (90, 90)}, "unique"),
        ("CA", {"renewal_reminder_days_before": (-1,)}, "0 or more"),
        ("CA", {"late_fee_cents": -1}, "greater than or equal to 0"),
        ("CA", {"termination_after_months": 0}, "greater than or equal to 1"),
        (
            "CA",
            {"ce_minimums": ({"category": "law_and_ethics", "hours_hundredths": 2100},)},
            "exceeds the total",
        ),
        (
            "CA",
            {
                "ce_minimums": (
                    {"category": "law_and_ethics", "hours_hundredths": 1200},
                    {"category": "suicide_prevention", "hours_hundredths": 1000},
                )
            },
            "per-cycle category minimums exceed",
        ),
        (
            "CA",
            {
                "ce_minimums": (
                    {"category": "law_and_ethics", "hours_hundredths": 100},
                    {"category": "law_and_ethics", "hours_hundredths": 200},
                )
            },
            "one CE minimum per category",
        ),
    ],
)
def test_inconsistent_overrides_are_refused(preset: str, override: dict[str, Any], message) -> None:
    with pytest.raises(ValidationError, match=message):
        build_policy(preset, override)


def test_consistent_overrides_are_taken() -> None:
    policy = build_policy("MT", {"certification_valid_months": 24, "audit_share_percent": 50})
    assert (policy.certification_valid_months, policy.audit_share_percent) == (24, 50)
    assert build_policy("CA", {"termination_after_months": 36}).termination_after_months == 36
