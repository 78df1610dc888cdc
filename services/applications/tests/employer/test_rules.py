"""The pure rules of employer alerts at their boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications.certification.names import name_key
from applications.employer.rules import expiry_due, expiry_spans, same_last_name

TODAY = date(2026, 6, 1)
THRESHOLDS = (90, 60, 30)


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        ("lopez", "López"),
        (" LÓPEZ ", "Lopez"),
        ("garcia marquez", "García-Márquez"),
        ("obrien", "O'Brien"),
        ("NUNEZ", "Núñez"),
    ],
)
def test_names_match_whatever_the_case_accents_and_spaces(typed: str, recorded: str) -> None:
    assert same_last_name(typed, name_key(recorded))


@pytest.mark.parametrize(("typed", "recorded"), [("Lopes", "Lopez"), ("", "Lopez"), ("-", "")])
def test_other_and_empty_names_never_match(typed: str, recorded: str) -> None:
    assert not same_last_name(typed, name_key(recorded))


@given(st.text(max_size=30))
def test_a_name_key_is_its_own_key(name: str) -> None:
    assert name_key(name_key(name)) == name_key(name)


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(91, None), (90, 90), (61, 90), (60, 60), (31, 60), (30, 30), (1, 30), (0, 30), (-1, None)],
)
def test_the_latest_threshold_is_due(days_left: int, due: int | None) -> None:
    assert expiry_due(TODAY + timedelta(days=days_left), TODAY, THRESHOLDS) == due


@given(
    st.integers(min_value=-400, max_value=400),
    st.lists(st.integers(min_value=0, max_value=365), min_size=1, max_size=5, unique=True),
)
def test_the_due_threshold_is_the_smallest_not_below_the_days_left(
    days_left: int, thresholds: list[int]
) -> None:
    candidates = [t for t in thresholds if t >= days_left]
    expected = min(candidates) if candidates and days_left >= 0 else None
    assert expiry_due(TODAY + timedelta(days=days_left), TODAY, thresholds) == expected


def test_spans_tile_the_window_without_overlap() -> None:
    spans = expiry_spans(TODAY, THRESHOLDS)
    assert [(s.days_before, s.earliest, s.latest) for s in spans] == [
        (90, TODAY + timedelta(days=61), TODAY + timedelta(days=90)),
        (60, TODAY + timedelta(days=31), TODAY + timedelta(days=60)),
        (30, TODAY, TODAY + timedelta(days=30)),
    ]
