"""CE progress per cycle: requirements, category minimums, carry-over and its laws."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.policy import build_policy
from applications.renewal.ce_rules import (
    CeCategory,
    CeRecord,
    ce_progress,
    ce_progress_on,
    format_hours,
    still_needed_from,
)

CA, MT = build_policy("CA"), build_policy("MT")
G, LE, SP = CeCategory.GENERAL, CeCategory.LAW_AND_ETHICS, CeCategory.SUICIDE_PREVENTION
H = 100
ISSUED = date(2026, 5, 4)  # MT: cycle 0 is the rest of 2026, cycle 1 is 2027


def hours(day: date, amount: int, category: CeCategory = G) -> CeRecord:
    return CeRecord(day, amount, category)


@pytest.mark.parametrize(
    ("surplus", "carried", "lost"),
    [(19 * H, 19 * H, 0), (20 * H, 20 * H, 0), (21 * H, 20 * H, 1 * H)],
)
def test_mt_carries_at_most_20_hours(surplus: int, carried: int, lost: int) -> None:
    records = [
        hours(date(2027, 3, 1), 18 * H),
        hours(date(2027, 4, 1), 2 * H, SP),  # the pair's suicide prevention, within the 20
        hours(date(2027, 9, 1), surplus),
    ]
    year, after = ce_progress(records, ISSUED, 2, MT)[1:]
    assert (year.carried_out_hundredths, year.lost_hundredths) == (carried, lost)
    assert after.carried_in_hundredths == carried
    assert after.still_needed_hundredths == 20 * H - carried


def test_the_carry_note_says_what_and_why() -> None:
    records = [hours(date(2027, 3, 1), 41 * H)]
    assert ce_progress(records, ISSUED, 1, MT)[1].carry_note == (
        "20 h carried into the next cycle (at most 20 h); 1 h beyond it lost"
    )
    assert ce_progress([hours(date(2027, 3, 1), 2150)], ISSUED, 1, MT)[1].carry_note == (
        "1.5 h beyond the requirement carried into the next cycle"
    )


@pytest.mark.parametrize("issued_on", [date(2026, 1, 1), date(2026, 5, 4), date(2026, 12, 31)])
def test_mt_needs_no_ce_in_the_year_of_issue_and_its_hours_carry(issued_on: date) -> None:
    # "Year two begins January 1 ... regardless of when they were certified": even on 1 Jan.
    first, full = ce_progress([hours(date(2026, 12, 31), 12 * H)], issued_on, 1, MT)
    assert (first.required_hundredths, first.still_needed_hundredths, first.categories) == (
        0,
        0,
        (),
    )
    assert (first.carried_out_hundredths, full.carried_in_hundredths) == (12 * H, 12 * H)
    assert (full.required_hundredths, full.still_needed_hundredths) == (20 * H, 8 * H)


def test_carried_in_hours_are_used_first_and_never_carried_again() -> None:
    policy = build_policy("MT", {"ce_hours_per_cycle_hundredths": 10 * H})
    records = [hours(date(2026, 6, 1), 20 * H), hours(date(2027, 6, 1), 5 * H)]
    year = ce_progress(records, ISSUED, 1, policy)[1]
    assert (year.carried_in_hundredths, year.used_hundredths) == (20 * H, 10 * H)
    # The 5 hours earned this year carry; the 10 carried-in hours left over do not.
    assert (year.carried_out_hundredths, year.lost_hundredths) == (5 * H, 10 * H)
    assert year.carry_note.endswith("; 10 h carried in were not needed and are not carried again")


def test_ca_needs_6_hours_of_law_and_ethics_within_the_20() -> None:
    def needed(*records: CeRecord) -> tuple[int, int]:
        cycle = ce_progress(records, ISSUED, 0, CA)[0]
        return cycle.still_needed_hundredths, cycle.categories[0].still_needed_hundredths

    day = date(2027, 6, 1)
    assert needed(hours(day, 20 * H)) == (6 * H, 6 * H)
    assert needed(hours(day, 16 * H)) == (6 * H, 6 * H)
    assert needed(hours(day, 14 * H), hours(day, 6 * H, LE)) == (0, 0)
    assert needed(hours(day, 1350), hours(day, 6 * H, LE)) == (50, 0)
    assert needed(hours(day, 20 * H, LE)) == (0, 0)
    assert needed(hours(day, 19 * H), hours(day, 5 * H, LE)) == (1 * H, 1 * H)


def test_ca_counts_the_cycle_only_and_carries_nothing() -> None:
    records = [
        hours(ISSUED - timedelta(days=1), 20 * H),  # before issue: no cycle
        hours(ISSUED, 24 * H),
        hours(date(2028, 5, 3), 6 * H, LE),  # the valid-through day
        hours(date(2028, 5, 4), 3 * H),  # the next cycle's first day
    ]
    first, second = ce_progress(records, ISSUED, 1, CA)
    assert (first.earned_hundredths, first.still_needed_hundredths) == (30 * H, 0)
    assert (first.carried_out_hundredths, first.lost_hundredths) == (0, 10 * H)
    assert first.carry_note == "10 h beyond the requirement: this board carries none over"
    assert (second.carried_in_hundredths, second.earned_hundredths) == (0, 3 * H)
    assert second.still_needed_hundredths == 17 * H


def test_mt_suicide_prevention_every_pair_of_full_years() -> None:
    general = [hours(date(year, 2, 1), 20 * H) for year in (2027, 2028, 2029, 2030)]
    spans = ce_progress(general, ISSUED, 4, MT)[1:]
    # 2027 and 2028 are one pair, 2029 and 2030 the next; due on each pair's last day.
    assert [(c.categories[0].span_starts_on, c.categories[0].due_on) for c in spans] == [
        (date(2027, 1, 1), date(2028, 12, 31)),
        (date(2027, 1, 1), date(2028, 12, 31)),
        (date(2029, 1, 1), date(2030, 12, 31)),
        (date(2029, 1, 1), date(2030, 12, 31)),
    ]
    # The first year of a pair owes nothing yet; the second owes the 2 hours.
    assert [c.still_needed_hundredths for c in spans] == [0, 2 * H, 0, 2 * H]
    with_sp = [*general, hours(date(2027, 5, 1), 2 * H, SP)]
    assert [c.still_needed_hundredths for c in ce_progress(with_sp, ISSUED, 4, MT)[1:]] == [
        0,
        0,
        0,
        2 * H,
    ]
    # Hours of the year of issue carry toward the total, not toward a pair.
    early = [*general, hours(date(2026, 6, 1), 2 * H, SP)]
    assert ce_progress(early, ISSUED, 2, MT)[2].categories[0].still_needed_hundredths == 2 * H


def test_progress_on_a_day_and_accrued_ce() -> None:
    records = [hours(date(2027, 2, 1), 5 * H)]
    now = ce_progress_on(records, ISSUED, date(2027, 12, 31), MT)
    assert (now.cycle.number, now.earned_hundredths, now.still_needed_hundredths) == (1, 500, 1500)
    walked = ce_progress(records, ISSUED, 3, MT)
    # The 2 hours of suicide prevention due in 2028 count within its 20.
    assert still_needed_from(walked, 1) == 15 * H + 20 * H + 20 * H


def test_negative_hours_and_cycles_are_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        ce_progress([hours(ISSUED, -1)], ISSUED, 0, MT)
    with pytest.raises(ValueError, match="from 0"):
        ce_progress([], ISSUED, -1, MT)


@pytest.mark.parametrize(
    ("hundredths", "text"), [(2000, "20"), (150, "1.5"), (25, "0.25"), (0, "0")]
)
def test_format_hours(hundredths: int, text: str) -> None:
    assert format_hours(hundredths) == text


record = st.builds(
    CeRecord,
    st.integers(0, 5 * 366).map(lambda d: ISSUED + timedelta(days=d)),
    st.integers(0, 30 * H),
    st.sampled_from(list(CeCategory)),
)


@settings(max_examples=200)
@given(st.lists(record, max_size=20), st.sampled_from([CA, MT]))
def test_every_hour_is_used_carried_or_lost(records: list[CeRecord], policy) -> None:
    walked = ce_progress(records, ISSUED, 4, policy)
    cap = policy.ce_carry_over_cap_hundredths
    carried_in = 0
    for cycle in walked:
        assert cycle.carried_in_hundredths == carried_in
        assert 0 <= cycle.carried_out_hundredths <= cap
        assert cycle.carried_in_hundredths + cycle.earned_hundredths == (
            cycle.used_hundredths + cycle.carried_out_hundredths + cycle.lost_hundredths
        )
        assert cycle.used_hundredths <= cycle.required_hundredths
        assert cycle.still_needed_hundredths >= cycle.required_hundredths - cycle.used_hundredths
        carried_in = cycle.carried_out_hundredths
    in_cycles = sum(
        r.hours_hundredths for r in records if r.earned_on <= walked[-1].cycle.valid_through
    )
    assert in_cycles == sum(c.earned_hundredths for c in walked)
    assert in_cycles == (
        sum(c.used_hundredths + c.lost_hundredths for c in walked)
        + walked[-1].carried_out_hundredths
    )
