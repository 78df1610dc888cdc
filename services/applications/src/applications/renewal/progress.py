"""CE progress of many certifications at once, each as its renewal view shows it.

``ce_progress`` walks one person's records through every cycle, working out each cycle's
days on the way: right for one person, seconds of date arithmetic for 100,000. Here the
cycles are planned once per issue and valid-through day (which many people share), the
database sums each cycle's accepted hours by category (``LedgerSums.counted_hours_within``)
and each person's progress is a few integer operations on those sums. The answer equals
``ce_progress_on(records, issued_on, valid_through, policy)``: the cycle the current period
closes, carry-over included (tests/renewal/test_progress.py holds them equal).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from applications.ce.sums import LedgerSpan, LedgerSums

# The span and due day of a category minimum, the hours a cycle requires and the ledger's
# line on carry-over stay written once, in ce_rules (private there: one cycle's pieces);
# only the sums over cycles are done here.
from applications.renewal.ce_rules import (
    CategoryProgress,
    CeCategory,
    CeProgress,
    carry_note_of,
    category_progress,
    required_of,
)
from applications.renewal.policy import RenewalPolicy
from applications.renewal.rules import Cycle, cycles

# Certifications per read: a few spans each, one statement per chunk.
CHUNK = 5000
Sums = Mapping[CeCategory, int]


class Certified(Protocol):
    """What progress needs of a certification (the model, or a lean row of it)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def issued_on(self) -> date: ...

    @property
    def valid_through(self) -> date: ...


@dataclass(frozen=True)
class Minimum:
    """A category minimum as of the current cycle: its progress with nothing earned, and
    where its span starts among the planned cycles."""

    empty: CategoryProgress
    first: int
    due_here: bool


@dataclass(frozen=True)
class Plan:
    """The cycles whose hours count toward the current one's progress, the current last:
    every cycle from issue when hours carry over, else those of its category spans."""

    cycles: tuple[Cycle, ...]
    required: tuple[int, ...]
    minimums: tuple[Minimum, ...]


def plan(issued_on: date, valid_through: date, policy: RenewalPolicy) -> Plan:
    """The cycles and minimums of the cycle holding ``valid_through``."""
    if valid_through < issued_on:
        raise ValueError("the valid-through day is before the issue")
    # cycle_containing's walk, keeping the cycles it passes.
    walked: list[Cycle] = []
    for cycle in cycles(issued_on, policy):
        walked.append(cycle)
        if valid_through <= cycle.valid_through:
            break
    current = walked[-1]
    nothing: list[Counter[CeCategory]] = [Counter() for _ in walked]
    minimums = policy.ce_minimums if current.number >= policy.ce_first_required_cycle else ()
    empty = [category_progress(m, walked, nothing, policy) for m in minimums]
    starts = [next(c.number for c in walked if c.starts_on == e.span_starts_on) for e in empty]
    read_from = 0 if policy.ce_carry_over_cap_hundredths else min([*starts, current.number])
    return Plan(
        tuple(walked[read_from:]),
        tuple(required_of(c, policy) for c in walked[read_from:]),
        tuple(
            Minimum(e, first - read_from, e.due_on == current.valid_through)
            for e, first in zip(empty, starts, strict=True)
        ),
    )


class Progress:
    """Progress under one policy: plans and carry notes kept for the people that share them."""

    def __init__(self, policy: RenewalPolicy) -> None:
        self.policy = policy
        self.cap = policy.ce_carry_over_cap_hundredths
        self._plans: dict[tuple[date, date], Plan] = {}
        self._notes: dict[tuple[int, int, int], str] = {}

    def plan(self, issued_on: date, valid_through: date) -> Plan:
        """``plan``, once per pair of days."""
        key = (issued_on, valid_through)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = plan(issued_on, valid_through, self.policy)
        return found

    def of(self, planned: Plan, sums: Sequence[Sums]) -> CeProgress:
        """The current cycle's progress from each planned cycle's hours by category."""
        cap, required = self.cap, planned.required
        carried_in = 0
        if cap:
            # As ce_rules: carried-in hours are used first and never carried again.
            for needed, hours in zip(required, sums[:-1], strict=False):
                total = sum(hours.values())
                used_carried = min(carried_in, needed)
                carried_in = min(total - min(total, needed - used_carried), cap)
        categories: list[CategoryProgress] = []
        due_here = 0
        for m in planned.minimums:
            # A plain loop: this runs once per person, and generators cost more than the sums.
            done = 0
            for cycle in sums[m.first :]:
                done += cycle.get(m.empty.category, 0)
            still_needed = max(0, m.empty.required_hundredths - done)
            categories.append(_progressed(m.empty, done, still_needed))
            if m.due_here:
                due_here += still_needed
        earned = sum(sums[-1].values())
        needed = required[-1]
        used_carried = min(carried_in, needed)
        used_earned = min(earned, needed - used_carried)
        surplus = earned - used_earned
        carried_out = min(surplus, cap)
        unused_carried = carried_in - used_carried
        return CeProgress(
            cycle=planned.cycles[-1],
            required_hundredths=needed,
            earned_hundredths=earned,
            carried_in_hundredths=carried_in,
            used_hundredths=used_carried + used_earned,
            still_needed_hundredths=max(needed - used_carried - used_earned, due_here),
            categories=tuple(categories),
            carried_out_hundredths=carried_out,
            lost_hundredths=surplus - carried_out + unused_carried,
            carry_note=self._note(surplus, carried_out, unused_carried),
        )

    def _note(self, surplus: int, carried_out: int, unused_carried: int) -> str:
        key = (surplus, carried_out, unused_carried)
        note = self._notes.get(key)
        if note is None:
            note = self._notes[key] = carry_note_of(
                surplus, carried_out, unused_carried, self.policy
            )
        return note


def _progressed(empty: CategoryProgress, done: int, still_needed: int) -> CategoryProgress:
    return CategoryProgress(
        empty.category,
        empty.required_hundredths,
        done,
        still_needed,
        empty.span_starts_on,
        empty.due_on,
    )


async def progress_of(
    session: AsyncSession,
    certifications: Sequence[Certified],
    policy: RenewalPolicy,
    *,
    chunk: int = CHUNK,
) -> dict[uuid.UUID, CeProgress]:
    """Each certification's CE progress in the cycle its current period closes (the renewal
    view's), read in chunks of ``chunk`` certifications."""
    progress = Progress(policy)
    repository = LedgerSums(session)
    found: dict[uuid.UUID, CeProgress] = {}
    for start in range(0, len(certifications), chunk):
        part = certifications[start : start + chunk]
        plans = [progress.plan(c.issued_on, c.valid_through) for c in part]
        sums = await repository.counted_hours_within(
            [
                LedgerSpan(c.id, cycle.starts_on, cycle.valid_through)
                for c, planned in zip(part, plans, strict=True)
                for cycle in planned.cycles
            ]
        )
        position = 0
        for c, planned in zip(part, plans, strict=True):
            end = position + len(planned.cycles)
            found[c.id] = progress.of(planned, sums[position:end])
            position = end
    return found
