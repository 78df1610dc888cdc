"""Certificate dates: two years from completion, reviewed within 14 days, in the board's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications import rules
from applications.policy import build_policy

CA = build_policy("CA")


@pytest.mark.parametrize(
    ("completed", "valid_through"),
    [
        (date(2026, 3, 10), date(2028, 3, 9)),
        (date(2024, 2, 29), date(2026, 2, 27)),  # the anniversary clamps to 28 February
        (date(2025, 12, 31), date(2027, 12, 30)),
        (date(2026, 1, 1), date(2027, 12, 31)),
    ],
)
def test_valid_two_years_from_completion(completed: date, valid_through: date) -> None:
    assert rules.certificate_valid_through(completed, CA) == valid_through


def test_review_due_counts_local_days() -> None:
    # 07:59 UTC on 1 Feb is still 31 January in Los Angeles: day 0 is 31 January.
    assert rules.certificate_review_due(datetime(2026, 2, 1, 7, 59, tzinfo=UTC), CA) == date(
        2026, 2, 14
    )
    assert rules.certificate_review_due(datetime(2026, 2, 1, 8, 0, tzinfo=UTC), CA) == date(
        2026, 2, 15
    )


def test_an_override_changes_the_validity() -> None:
    three = build_policy("CA", {"training_valid_years": 3})
    assert rules.certificate_valid_through(date(2026, 3, 10), three) == date(2029, 3, 9)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_validity_is_just_under_two_years(completed: date) -> None:
    through = rules.certificate_valid_through(completed, CA)
    assert timedelta(days=728) <= through - completed <= timedelta(days=730)
    assert rules.certificate_valid_through(completed + timedelta(days=1), CA) >= through
