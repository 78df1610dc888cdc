"""The weeks chart's geometry: every week of the period drawn, bars scaled to the busiest week,
the covered part capped at the whole bar, and a week without activity left empty."""

from __future__ import annotations

from datetime import date

from web.pages.supervisor_chart import BAR, HEIGHT, LEFT, SLOT, TOP, chart


def week(starts_on: str, hours: str, supervised: int, required: int, compliant: bool) -> dict:
    return {
        "weekStartsOn": starts_on,
        "hoursWorked": hours,
        "supervisedMinutes": supervised,
        "requiredMinutes": required,
        "shortfallMinutes": max(0, required - supervised),
        "missingSession": False,
        "capExceededOn": None,
        "compliant": compliant,
    }


def test_bars_scale_to_the_busiest_week_and_coverage_caps_at_the_bar() -> None:
    drawn = chart(
        "es",
        "2026-03-02",
        "2026-03-22",
        [
            week("2026-03-02", "40.00", 150, 120, True),
            week("2026-03-16", "10.00", 15, 30, False),
        ],
    )
    assert [w.starts_on for w in drawn.weeks] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert [w.label for w in drawn.weeks] == ["2 mar", "9 mar", "16 mar"]
    full, idle, half = drawn.weeks
    base = TOP + HEIGHT
    assert (full.state, full.worked_height, full.covered_height, full.percent) == (
        "compliant",
        HEIGHT,
        HEIGHT,
        125,
    )
    assert (idle.state, idle.worked_height, idle.covered_height, idle.percent) == (
        "idle",
        0,
        0,
        None,
    )
    assert (half.state, half.worked_y, half.covered_height, half.shortfall_minutes) == (
        "short",
        base - HEIGHT // 4,
        HEIGHT // 8,
        15,
    )
    assert [w.x for w in drawn.weeks] == [LEFT + n * SLOT + (SLOT - BAR) // 2 for n in range(3)]
    assert (drawn.compliant_weeks, drawn.short_weeks, drawn.width) == (1, 1, 2 * LEFT + 3 * SLOT)


def test_a_period_without_work_draws_empty_weeks() -> None:
    drawn = chart("en", "2026-03-04", "2026-03-04", [week("2026-03-02", "0", 60, 0, True)])
    (only,) = drawn.weeks
    assert (only.label, only.state, only.worked_height, only.covered_height) == (
        "2 Mar",
        "compliant",
        0,
        0,
    )
    assert drawn.most_hours == 0
