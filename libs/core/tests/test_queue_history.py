"""The queue history's one-pass count equals the rule read day by day: on a day an item waits
if it joined by then and has not left, and is late if its due day is past."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from certboard_core.queue_history import Span, counts_by_day, days_back, history

TODAY = date(2026, 3, 1)  # the days before it cross February's end in a non-leap year


def by_reading(spans: list[Span], day: date) -> tuple[int, int]:
    waiting = [s for s in spans if s.joined <= day and (s.left is None or s.left > day)]
    late = [s for s in waiting if s.due is not None and s.due < day]
    return sum(s.items for s in waiting), sum(s.items for s in late)


offsets = st.integers(min_value=-60, max_value=5)
spans = st.builds(
    lambda joined, stay, due, open_, items: Span(
        TODAY + timedelta(days=joined),
        None if open_ else TODAY + timedelta(days=joined + stay),
        None if due is None else TODAY + timedelta(days=joined + due),
        items,
    ),
    offsets,
    st.integers(min_value=0, max_value=40),
    st.none() | st.integers(min_value=-5, max_value=40),
    st.booleans(),
    st.integers(min_value=1, max_value=3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=30), st.integers(min_value=1, max_value=45))
def test_the_one_pass_count_is_the_rule_read_each_day(found: list[Span], days: int) -> None:
    every_day = days_back(TODAY, days)
    assert counts_by_day(found, every_day) == [by_reading(found, d) for d in every_day]


def test_the_edges_of_a_stay() -> None:
    days = days_back(TODAY, 5)  # 25 Feb to 1 Mar
    stay = Span(joined=date(2026, 2, 26), left=date(2026, 2, 28), due=date(2026, 2, 26))
    # Waits at the end of the day it joined, not of the day it left; late after its due day.
    assert counts_by_day([stay], days) == [(0, 0), (1, 0), (1, 1), (0, 0), (0, 0)]


def test_a_history_names_each_queue_and_its_late_part() -> None:
    found = history(TODAY, 2, {"a": [Span(date(2026, 2, 1), None, date(2026, 2, 28))], "b": []})
    assert found == [
        {"day": date(2026, 2, 28), "a": 1, "a_late": 0, "b": 0, "b_late": 0},
        {"day": TODAY, "a": 1, "a_late": 1, "b": 0, "b_late": 0},
    ]
