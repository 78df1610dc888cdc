"""A queue's last days as a small bar chart, drawn here as inline SVG (the CSP allows no
script to draw one, and no other origin to fetch one from), with the same facts in words."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

HEIGHT = 28
BAR = 3
STEP = 4


@dataclass(frozen=True)
class Bar:
    x: int
    height: int
    late: int

    @property
    def y(self) -> int:
        return HEIGHT - self.height

    @property
    def late_y(self) -> int:
        return HEIGHT - self.late


@dataclass(frozen=True)
class Chart:
    """Bars oldest first; the late part of each drawn over its foot."""

    bars: list[Bar]
    first_day: str
    first: int
    last: int
    highest: int
    highest_late: int

    @property
    def width(self) -> int:
        return STEP * len(self.bars)


def _scaled(value: int, top: int) -> int:
    return math.ceil(value * HEIGHT / top) if value else 0


def chart(days: list[dict[str, Any]], field: str, late_field: str | None) -> Chart | None:
    """``field`` (and its late part) of each day of the gateway's ``history``; None if empty."""
    if not days:
        return None
    counts = [int(d[field]) for d in days]
    late = [int(d[late_field]) for d in days] if late_field else [0] * len(days)
    top = max(max(counts), 1)
    bars = [
        Bar(STEP * n, _scaled(count, top), _scaled(min(behind, count), top))
        for n, (count, behind) in enumerate(zip(counts, late, strict=True))
    ]
    return Chart(bars, days[0]["day"], counts[0], counts[-1], max(counts), max(late))
