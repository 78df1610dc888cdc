"""CE hours as text and as hundredths: exact both ways, refused past two places or the cap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.ce.hours import MAX_HUNDREDTHS, as_hours, parse_hours


@pytest.mark.parametrize(
    ("text", "hundredths"),
    [("0.01", 1), ("1", 100), ("1.5", 150), ("1.50", 150), (" 2.25 ", 225), ("100", 10_000)],
)
def test_what_is_read(text: str, hundredths: int) -> None:
    assert parse_hours(text) == hundredths


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.255", "at most 2 decimal places"),
        ("1.", "at most 2 decimal places"),
        (".5", "at most 2 decimal places"),
        ("1,5", "at most 2 decimal places"),
        ("+1", "at most 2 decimal places"),
        ("1e2", "at most 2 decimal places"),
        ("NaN", "at most 2 decimal places"),
        ("1000", "at most 2 decimal places"),
        ("", "at most 2 decimal places"),
        ("0", "more than 0"),
        ("0.00", "more than 0"),
        ("100.01", "at most 100"),
    ],
)
def test_what_is_refused(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_hours(text)


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=MAX_HUNDREDTHS))
def test_written_hours_read_back_exactly(hundredths: int) -> None:
    written = as_hours(hundredths)
    assert written == Decimal(hundredths) / 100
    assert parse_hours(str(written)) == hundredths
