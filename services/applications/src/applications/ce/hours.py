"""CE hours as people write them ("1.5", "0.25") and as the ledger keeps them (hundredths).

Exact both ways: text is parsed digit by digit, never through a float.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema

from applications.renewal.ce_rules import HUNDREDTHS_PER_HOUR

# One completion of more than this is a typing slip (a semester course is about 45 hours).
MAX_HOURS = 100
MAX_HUNDREDTHS = MAX_HOURS * HUNDREDTHS_PER_HOUR
PATTERN = r"^[0-9]{1,3}(\.[0-9]{1,2})?$"
_TEXT = re.compile(PATTERN)


def parse_hours(text: str) -> int:
    """The hundredths of ``text`` ("1", "1.5", "1.25"); ValueError saying why it is refused."""
    cleaned = text.strip()
    if not _TEXT.fullmatch(cleaned):
        raise ValueError("hours are a decimal number with at most 2 decimal places (1.5, 1.25)")
    whole, _, fraction = cleaned.partition(".")
    hundredths = int(whole) * HUNDREDTHS_PER_HOUR + int(fraction.ljust(2, "0"))
    if hundredths <= 0:
        raise ValueError("hours must be more than 0")
    if hundredths > MAX_HUNDREDTHS:
        raise ValueError(f"hours must be at most {MAX_HOURS} for one completion")
    return hundredths


def as_hours(hundredths: int) -> Decimal:
    """Hundredths as an exact decimal of hours, always with two places (150 -> 1.50)."""
    return Decimal(hundredths).scaleb(-2)


def _hours_input(value: object, info: ValidationInfo) -> object:
    if isinstance(value, str):
        return parse_hours(value)
    if info.mode == "python" and isinstance(value, int) and not isinstance(value, bool):
        # A Python caller (or a model filling itself again) already holds hundredths.
        return value
    raise ValueError('hours are text, a decimal number such as "1.5"')


HoursText = Annotated[
    int,
    BeforeValidator(_hours_input),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PATTERN,
            "examples": ["1.50"],
            "description": f"hours, more than 0 and at most {MAX_HOURS}, to 2 decimal places",
        }
    ),
]
"""Hours as text in a request, held as hundredths once validated."""
