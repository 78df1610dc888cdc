"""Item analysis of a form (classical test theory), exact where it can be; no I/O.

From a 0/1 matrix (a row per attempt, a column per item) only integer sums are taken: per item
the number correct ``s`` and the sum of totals of those who got it right ``c``, and over
attempts the sum of totals and of their squares. Every statistic follows from those:

- p = s / n, exact.
- corrected point-biserial r (item against the total without it, R = T - x): with Σx = Σx² = s,
  ΣxR = c - s, ΣR = ΣT - s, ΣR² = ΣT² - 2c + s, r = num / sqrt(den) where
  num = n(c - s) - s(ΣT - s) and den = (ns - s²)(nΣR² - (ΣR)²), all integers. Its flags compare
  integers (r < .20 iff num < 0 or 25·num² < den); only the shown value needs a square root,
  taken exactly with ``math.isqrt`` and truncated toward zero.
- KR-20 = k/(k-1) · (1 - Σpq / σ²) = k/(k-1) · (1 - Σ s(n-s) / (nΣT² - (ΣT)²)), a Fraction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from math import isqrt
from operator import mul

# domain.md §Exams in practice: the thresholds a board watches.
EASY = Fraction(96, 100)
HARD = Fraction(20, 100)
LOW_DISCRIMINATION = Fraction(20, 100)
LOW_RELIABILITY = Fraction(80, 100)
PLACES = 4


class ItemFlag(StrEnum):
    TOO_EASY = "too_easy"  # p >= .96
    TOO_HARD = "too_hard"  # p < .20
    LOW_DISCRIMINATION = "low_discrimination"  # point-biserial < .20
    LIKELY_MISKEY = "likely_miskey"  # point-biserial < 0


class FormFlag(StrEnum):
    LOW_RELIABILITY = "low_reliability"  # KR-20 < .80


@dataclass(frozen=True)
class Correlation:
    """A correlation num / sqrt(den) kept as its two integers (den > 0)."""

    num: int
    den: int

    def below(self, bound: Fraction) -> bool:
        """Whether the correlation is below a non-negative ``bound``, exactly."""
        if self.num < 0:
            return True
        # num / sqrt(den) < a/b  <=>  (b·num)² < a²·den, both sides non-negative.
        return (bound.denominator * self.num) ** 2 < bound.numerator**2 * self.den

    def text(self) -> str:
        """The value to four decimals, truncated toward zero (never shown above its size)."""
        scaled = isqrt((abs(self.num) * 10**PLACES) ** 2 // self.den)
        sign = "-" if self.num < 0 and scaled else ""
        return f"{sign}{scaled // 10**PLACES}.{scaled % 10**PLACES:0{PLACES}d}"


@dataclass(frozen=True)
class ItemStatistics:
    index: int  # the item's column in the matrix
    correct: int  # attempts that got it right
    p: Fraction | None  # None without attempts
    point_biserial: Correlation | None  # None when the item or the rest has no variance
    flags: tuple[ItemFlag, ...]


@dataclass(frozen=True)
class FormStatistics:
    attempts: int
    items: tuple[ItemStatistics, ...]
    kr20: Fraction | None  # None with fewer than 2 items or no variance in totals
    flags: tuple[FormFlag, ...]


def fixed(value: Fraction) -> str:
    """A Fraction to four decimals, rounded down (as ``Score.percent_text`` is)."""
    scaled = value.numerator * 10**PLACES // value.denominator
    sign = "-" if scaled < 0 else ""
    scaled = abs(scaled)
    return f"{sign}{scaled // 10**PLACES}.{scaled % 10**PLACES:0{PLACES}d}"


def _item(index: int, n: int, s: int, c: int, sum_t: int, sum_t2: int) -> ItemStatistics:
    if n == 0:
        return ItemStatistics(index, 0, None, None, ())
    p = Fraction(s, n)
    flags: list[ItemFlag] = []
    if p >= EASY:
        flags.append(ItemFlag.TOO_EASY)
    if p < HARD:
        flags.append(ItemFlag.TOO_HARD)
    sum_r = sum_t - s
    item_var = n * s - s * s
    rest_var = n * (sum_t2 - 2 * c + s) - sum_r * sum_r
    r = None
    if item_var > 0 and rest_var > 0:
        r = Correlation(n * (c - s) - s * sum_r, item_var * rest_var)
        if r.below(LOW_DISCRIMINATION):
            flags.append(ItemFlag.LOW_DISCRIMINATION)
        if r.num < 0:
            flags.append(ItemFlag.LIKELY_MISKEY)
    return ItemStatistics(index, s, p, r, tuple(flags))


def analyse(rows: Sequence[Sequence[int]], items: int) -> FormStatistics:
    """The statistics of a form of ``items`` items from its attempts' 0/1 rows."""
    n = len(rows)
    if any(len(row) != items for row in rows):
        raise ValueError(f"every row needs {items} marks")
    # Column sums and the item-by-total products run in C (zip, sum, map): no Python loop
    # over the 1.2 million cells of 10,000 attempts of 120 items.
    totals = list(map(sum, rows))
    sum_t = sum(totals)
    sum_t2 = sum(map(mul, totals, totals))
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(items)]
    stats = tuple(
        _item(i, n, sum(col), sum(map(mul, col, totals)), sum_t, sum_t2)
        for i, col in enumerate(columns)
    )
    variance_n2 = n * sum_t2 - sum_t * sum_t  # n² σ²
    kr20 = None
    if items >= 2 and variance_n2 > 0:
        sum_pq_n2 = sum(item.correct * (n - item.correct) for item in stats)  # n² Σpq
        kr20 = Fraction(items, items - 1) * (1 - Fraction(sum_pq_n2, variance_n2))
    flags = (FormFlag.LOW_RELIABILITY,) if kr20 is not None and kr20 < LOW_RELIABILITY else ()
    return FormStatistics(n, stats, kr20, flags)
