"""The audit draw: its size, its reproducibility from the seed, and the review's moves."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.ce_audit.rules import (
    AuditOutcome,
    AuditStatus,
    after_review,
    draw,
    draw_size,
    overdue,
)

IDS = [uuid.UUID(int=n) for n in range(1, 41)]


@pytest.mark.parametrize(
    ("population", "share", "size"),
    [(0, 50, 0), (1, 10, 1), (10, 10, 1), (11, 10, 2), (40, 50, 20), (41, 50, 21), (7, 0, 0)],
)
def test_the_share_is_rounded_up(population: int, share: int, size: int) -> None:
    assert draw_size(population, share) == size


def test_a_share_above_the_whole_is_refused() -> None:
    with pytest.raises(ValueError, match="share"):
        draw_size(3, 101)


def test_the_same_seed_draws_the_same_whatever_the_order_read() -> None:
    first = draw(IDS, 25, seed=20261201)
    assert len(first) == 10
    assert draw(list(reversed(IDS)), 25, seed=20261201) == first
    assert draw(IDS, 25, seed=20261202) != first


@settings(max_examples=100)
@given(
    st.lists(st.integers(1, 10_000), unique=True), st.integers(0, 100), st.integers(0, 2**63 - 1)
)
def test_a_draw_is_a_reproducible_subset_of_the_right_size(
    numbers: list[int], share: int, seed: int
) -> None:
    population = [uuid.UUID(int=n) for n in numbers]
    chosen = draw(population, share, seed)
    assert set(chosen) <= set(population)
    assert len(chosen) == len(set(chosen)) == draw_size(len(population), share)
    assert draw(population[::-1], share, seed) == chosen


DUE = date(2027, 3, 16)


@pytest.mark.parametrize(
    ("status", "cure", "today", "late"),
    [
        (AuditStatus.AWAITING_PROOF, None, DUE, False),
        (AuditStatus.AWAITING_PROOF, None, date(2027, 3, 17), True),
        (AuditStatus.DEFICIENT, date(2027, 4, 30), date(2027, 4, 30), False),
        (AuditStatus.DEFICIENT, date(2027, 4, 30), date(2027, 5, 1), True),
        (AuditStatus.PROOF_SUBMITTED, None, date(2028, 1, 1), False),
    ],
)
def test_overdue_from_the_day_after_the_due_day(
    status: AuditStatus, cure: date | None, today: date, late: bool
) -> None:
    assert overdue(status, DUE, cure, today) is late


def test_a_first_deficiency_gets_a_cure_and_a_second_is_referred() -> None:
    assert after_review(AuditOutcome.DEFICIENT, None) is AuditStatus.DEFICIENT
    assert after_review(AuditOutcome.DEFICIENT, date(2027, 4, 30)) is AuditStatus.REFERRED
    assert after_review(AuditOutcome.ACCEPTED, date(2027, 4, 30)) is AuditStatus.ACCEPTED
