"""A score as the exams service states it: exact, and shown never above what it is.

The rules that use it are pure modules of their aggregates: scoring and item analysis in
``attempt/``, eligibility, windows and retake limits in ``authorization/rules.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Score:
    """Correct answers out of the items in the key."""

    correct: int
    total: int

    def __post_init__(self) -> None:
        if self.total < 1 or not 0 <= self.correct <= self.total:
            raise ValueError(f"impossible score {self.correct}/{self.total}")

    @property
    def percent(self) -> Fraction:
        """The exact percentage correct; a Fraction, so 96/120 is exactly 80."""
        return Fraction(100 * self.correct, self.total)

    @property
    def percent_text(self) -> str:
        """The percentage to two decimals, rounded down: 95/120 reads 79.16, never 79.17 or
        80.00, so a shown figure is never above the exact one."""
        hundredths = 10_000 * self.correct // self.total
        return f"{hundredths // 100}.{hundredths % 100:02d}"
