"""Certificate numbers and certification dates: pure rules to their boundaries."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications.certification import numbers
from applications.policy import build_policy
from applications.renewal.rules import first_valid_through

CA, MT = build_policy("CA"), build_policy("MT")
SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")
compact = st.text(alphabet=numbers.ALPHABET, min_size=11, max_size=11)


@pytest.mark.parametrize(
    ("policy", "issued_on", "valid_through"),
    [
        (CA, date(2026, 5, 4), date(2028, 5, 3)),
        # MT: the calendar year of issue (domain.md §Renewal).
        (MT, date(2026, 5, 4), date(2026, 12, 31)),
        # A 29 February anniversary that does not exist clamps to 28 February.
        (CA, date(2028, 2, 29), date(2030, 2, 27)),
        (MT, date(2028, 2, 29), date(2028, 12, 31)),
        (CA, date(2026, 1, 1), date(2027, 12, 31)),
    ],
)
def test_first_valid_through(policy, issued_on, valid_through) -> None:
    assert first_valid_through(issued_on, policy) == valid_through


def test_the_policy_numbers() -> None:
    assert (CA.certification_valid_months, MT.certification_valid_months) == (24, 12)
    assert build_policy("CA", {"certification_valid_months": 36}).certification_valid_months == 36


def test_a_new_number_is_grouped_readable_and_checks() -> None:
    made = {numbers.new_number() for _ in range(500)}
    assert len(made) == 500
    for number in made:
        assert SHAPE.match(number), number
        assert numbers.normalise(number) == number


@given(compact)
def test_any_case_spacing_and_lookalikes_normalise(body: str) -> None:
    number = numbers.formatted(body + numbers.check_symbol(body))
    typed = f"  {number.lower().replace('-', ' ')} ".replace("0", "o").replace("1", "l")
    assert numbers.normalise(typed) == number
    assert numbers.normalise(number.replace("-", "")) == number


@given(compact, st.integers(0, 11), st.sampled_from(numbers.ALPHABET))
def test_one_mistyped_symbol_is_caught(body: str, position: int, symbol: str) -> None:
    number = body + numbers.check_symbol(body)
    typo = number[:position] + symbol + number[position + 1 :]
    assert numbers.is_valid(typo) is (typo == number)


@given(compact, st.integers(0, 10))
def test_swapped_neighbours_are_caught_unless_equal(body: str, position: int) -> None:
    number = body + numbers.check_symbol(body)
    a, b = number[position], number[position + 1]
    swapped = number[:position] + b + a + number[position + 2 :]
    # Luhn mod 32 misses one swap only: the two symbols whose values are 0 and 31.
    if {a, b} != {"0", "Z"}:
        assert numbers.is_valid(swapped) is (a == b)


@pytest.mark.parametrize(
    "typed", ["", "ABCD", "7KQ3-M9XD-2HT", "7KQ3-M9XD-2HTBB", "UUUU-UUUU-UUUU"]
)
def test_what_cannot_be_a_number(typed: str) -> None:
    assert numbers.normalise(typed) is None
