"""Pure rules of continuing education (domain.md §Renewal and continuing education), no I/O.

Hours are whole hundredths of an hour (``int``), never floats: 1.5 hours is 150. CE cycles are
the certification's cycles (``rules.cycles``): CA's 2-year periods, MT's calendar years (cycle 0
the year of issue, which needs no CE but whose hours may carry into the first full year).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import islice
from typing import NamedTuple

from applications.renewal.categories import HUNDREDTHS_PER_HOUR, CeCategory
from applications.renewal.policy import CeMinimum, RenewalPolicy
from applications.renewal.rules import Cycle, cycle_containing, cycles, renewed_valid_through

__all__ = [
    "HUNDREDTHS_PER_HOUR",
    "CategoryProgress",
    "CeCategory",
    "CeProgress",
    "CeRecord",
    "ce_progress",
    "ce_progress_on",
    "format_hours",
    "still_needed_from",
]


class CeRecord(NamedTuple):
    """One completed course as the rules see it."""

    earned_on: date
    hours_hundredths: int
    category: CeCategory


class CategoryProgress(NamedTuple):
    """A category minimum over its span of cycles, as of the end of one cycle (or today)."""

    category: CeCategory
    required_hundredths: int
    # Earned in the span's cycles so far; hours carried in count toward the total only.
    earned_hundredths: int
    still_needed_hundredths: int
    span_starts_on: date
    due_on: date  # the last day of the span's last cycle


class CeProgress(NamedTuple):
    """One cycle's CE: what it needs, what it has, and what carries on."""

    cycle: Cycle
    required_hundredths: int
    earned_hundredths: int
    carried_in_hundredths: int
    # Hours counted toward the requirement, carried-in ones first.
    used_hundredths: int
    # The total still missing, at least the categories due this cycle still miss.
    still_needed_hundredths: int
    categories: tuple[CategoryProgress, ...]
    carried_out_hundredths: int
    # Surplus beyond the cap, and carried-in hours left unused (never carried again).
    lost_hundredths: int
    carry_note: str

    @property
    def met(self) -> bool:
        return self.still_needed_hundredths == 0


def format_hours(hundredths: int) -> str:
    """Hundredths as hours for people: 2000 -> "20", 150 -> "1.5", 25 -> "0.25"."""
    whole, part = divmod(hundredths, HUNDREDTHS_PER_HOUR)
    return f"{whole}.{part:02d}".rstrip("0").rstrip(".") if part else str(whole)


def ce_progress(
    records: Iterable[CeRecord], issued_on: date, through: int, policy: RenewalPolicy
) -> tuple[CeProgress, ...]:
    """Each cycle's progress from issue through cycle ``through``, in order, so carry-over
    composes; hours before issue or after that cycle count nowhere."""
    if through < 0:
        raise ValueError("cycles count from 0")
    ordered = sorted((r for r in records if r.earned_on >= issued_on), key=lambda r: r.earned_on)
    if any(r.hours_hundredths < 0 for r in ordered):
        raise ValueError("CE hours are 0 or more")
    walked: list[Cycle] = []
    earned: list[Counter[CeCategory]] = []
    progress: list[CeProgress] = []
    position, carried_in = 0, 0
    for cycle in islice(cycles(issued_on, policy), through + 1):
        in_cycle: Counter[CeCategory] = Counter()
        while position < len(ordered) and ordered[position].earned_on <= cycle.valid_through:
            in_cycle[ordered[position].category] += ordered[position].hours_hundredths
            position += 1
        walked.append(cycle)
        earned.append(in_cycle)
        categories = tuple(
            category_progress(m, walked, earned, policy) for m in _minimums(cycle, policy)
        )
        progress.append(_progress(cycle, in_cycle.total(), carried_in, categories, policy))
        carried_in = progress[-1].carried_out_hundredths
    return tuple(progress)


def ce_progress_on(
    records: Iterable[CeRecord], issued_on: date, day: date, policy: RenewalPolicy
) -> CeProgress:
    """The progress of the cycle ``day`` falls in (today's, or the one a valid-through day
    ends), with what carried into it."""
    index = cycle_containing(issued_on, day, policy).number
    return ce_progress(records, issued_on, index, policy)[-1]


def still_needed_from(progress: Sequence[CeProgress], first: int) -> int:
    """Hours still needed over cycles ``first`` onward: all the CE accrued since (MT's
    reinstatement of an expired certification)."""
    return sum(p.still_needed_hundredths for p in progress if p.cycle.number >= first)


def required_of(cycle: Cycle, policy: RenewalPolicy) -> int:
    """The hours a cycle needs in all (none before the first cycle that needs CE)."""
    if cycle.number < policy.ce_first_required_cycle:
        return 0
    return policy.ce_hours_per_cycle_hundredths


def _minimums(cycle: Cycle, policy: RenewalPolicy) -> tuple[CeMinimum, ...]:
    if cycle.number < policy.ce_first_required_cycle:
        return ()
    return policy.ce_minimums


def category_progress(
    minimum: CeMinimum,
    walked: Sequence[Cycle],
    earned: Sequence[Counter[CeCategory]],
    policy: RenewalPolicy,
) -> CategoryProgress:
    """``minimum`` over the span holding the last walked cycle: spans of ``every_cycles``
    cycles counted from the first cycle CE is required in (MT: pairs of full years)."""
    index = walked[-1].number
    offset = (index - policy.ce_first_required_cycle) % minimum.every_cycles
    first = index - offset
    done = sum(earned[i][minimum.category] for i in range(first, index + 1))
    due_on = walked[-1].valid_through
    for _ in range(minimum.every_cycles - 1 - offset):
        due_on = renewed_valid_through(due_on, policy)
    return CategoryProgress(
        minimum.category,
        minimum.hours_hundredths,
        done,
        max(0, minimum.hours_hundredths - done),
        walked[first].starts_on,
        due_on,
    )


def _progress(
    cycle: Cycle,
    earned: int,
    carried_in: int,
    categories: tuple[CategoryProgress, ...],
    policy: RenewalPolicy,
) -> CeProgress:
    required = required_of(cycle, policy)
    # Carried-in hours are used first and never carried again.
    used_carried = min(carried_in, required)
    used_earned = min(earned, required - used_carried)
    surplus = earned - used_earned
    carried_out = min(surplus, policy.ce_carry_over_cap_hundredths)
    unused_carried = carried_in - used_carried
    due_here = sum(c.still_needed_hundredths for c in categories if c.due_on == cycle.valid_through)
    return CeProgress(
        cycle=cycle,
        required_hundredths=required,
        earned_hundredths=earned,
        carried_in_hundredths=carried_in,
        used_hundredths=used_carried + used_earned,
        still_needed_hundredths=max(required - used_carried - used_earned, due_here),
        categories=categories,
        carried_out_hundredths=carried_out,
        lost_hundredths=surplus - carried_out + unused_carried,
        carry_note=carry_note_of(surplus, carried_out, unused_carried, policy),
    )


def carry_note_of(
    surplus: int, carried_out: int, unused_carried: int, policy: RenewalPolicy
) -> str:
    """The ledger's line on what carries into the next cycle and why."""
    cap = policy.ce_carry_over_cap_hundredths
    if not surplus:
        note = "no hours beyond the requirement: nothing carries over"
    elif not cap:
        note = f"{format_hours(surplus)} h beyond the requirement: this board carries none over"
    elif carried_out < surplus:
        note = (
            f"{format_hours(carried_out)} h carried into the next cycle (at most "
            f"{format_hours(cap)} h); {format_hours(surplus - carried_out)} h beyond it lost"
        )
    else:
        note = f"{format_hours(carried_out)} h beyond the requirement carried into the next cycle"
    if unused_carried:
        note += (
            f"; {format_hours(unused_carried)} h carried in were not needed and are not "
            "carried again"
        )
    return note
