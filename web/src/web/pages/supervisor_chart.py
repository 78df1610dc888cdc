"""A supervisee's weeks as the geometry of a server-rendered SVG chart (no script, no CDN: the
CSP allows neither) and as the rows of the table that says the same in words.

Presentation only: the gateway decides each week's compliance and its required minutes; this
module places bars. A week the report leaves out had no activity and is drawn empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from web.messages import MONTHS

# The plot's box in SVG user units; the template scales it to the page's width.
SLOT = 44
BAR = 26
TOP = 22
HEIGHT = 120
BOTTOM = 24
LEFT = 8


@dataclass(frozen=True)
class Week:
    """One Monday-to-Sunday week: its figures as the gateway gave them, and where it is drawn."""

    starts_on: date
    label: str
    state: str  # "compliant", "short" or "idle" (no activity reported)
    hours_worked: Decimal
    supervised_minutes: int
    required_minutes: int
    shortfall_minutes: int
    percent: int | None  # supervised / required; None when no supervision was required
    missing_session: bool
    cap_exceeded_on: str | None
    x: int
    worked_y: int
    worked_height: int
    covered_y: int
    covered_height: int


@dataclass(frozen=True)
class Chart:
    weeks: list[Week]
    width: int
    height: int
    baseline: int
    most_hours: Decimal
    compliant_weeks: int
    short_weeks: int
    bar: int = BAR


def short_date(lang: str, day: date) -> str:
    """``2026-03-02`` as "2 Mar" / "2 mar", for an axis where a long date does not fit."""
    month = MONTHS.get(lang, MONTHS["en"]).split()[day.month - 1][:3]
    return f"{day.day} {month}"


def mondays(first: date, last: date) -> list[date]:
    """Every week's Monday from the report's first day to its last."""
    start = first - timedelta(days=first.weekday())
    return [start + timedelta(weeks=n) for n in range((last - start).days // 7 + 1)]


def chart(lang: str, starts_on: str, ends_on: str, weeks: list[dict[str, Any]]) -> Chart:
    """The chart of one peer's weeks of the report's period, oldest on the left."""
    reported = {w["weekStartsOn"]: w for w in weeks}
    most = max((Decimal(w["hoursWorked"]) for w in weeks), default=Decimal(0))
    scale = HEIGHT / most if most > 0 else Decimal(0)
    baseline = TOP + HEIGHT
    drawn: list[Week] = []
    for index, monday in enumerate(
        mondays(date.fromisoformat(starts_on), date.fromisoformat(ends_on))
    ):
        week = reported.get(monday.isoformat())
        hours = Decimal(week["hoursWorked"]) if week else Decimal(0)
        supervised = week["supervisedMinutes"] if week else 0
        required = week["requiredMinutes"] if week else 0
        worked = int((hours * scale).to_integral_value())
        # The part of the bar supervision covered: all of it once the required minutes are met.
        covered = worked if required == 0 else min(worked, worked * supervised // required)
        state = "idle" if week is None else ("compliant" if week["compliant"] else "short")
        drawn.append(
            Week(
                starts_on=monday,
                label=short_date(lang, monday),
                state=state,
                hours_worked=hours,
                supervised_minutes=supervised,
                required_minutes=required,
                shortfall_minutes=week["shortfallMinutes"] if week else 0,
                percent=supervised * 100 // required if required else None,
                missing_session=bool(week and week["missingSession"]),
                cap_exceeded_on=week["capExceededOn"] if week else None,
                x=LEFT + index * SLOT + (SLOT - BAR) // 2,
                worked_y=baseline - worked,
                worked_height=worked,
                covered_y=baseline - covered,
                covered_height=covered,
            )
        )
    return Chart(
        weeks=drawn,
        width=LEFT * 2 + SLOT * len(drawn),
        height=baseline + BOTTOM,
        baseline=baseline,
        most_hours=most,
        compliant_weeks=sum(w.state == "compliant" for w in drawn),
        short_weeks=sum(w.state == "short" for w in drawn),
    )
