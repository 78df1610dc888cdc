"""Pure rules of CE audits: the reproducible draw, the due days and the review's moves."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum


class AuditStatus(StrEnum):
    """Awaiting proof, then staff's review; a deficient audit gets one cure period."""

    AWAITING_PROOF = "awaiting_proof"
    PROOF_SUBMITTED = "proof_submitted"
    DEFICIENT = "deficient"
    ACCEPTED = "accepted"
    # Gone to staff for action (discipline): deficient after the cure, or no proof in time.
    REFERRED = "referred"


class AuditOutcome(StrEnum):
    ACCEPTED = "accepted"
    DEFICIENT = "deficient"
    REFERRED = "referred"


WAITING_ON_HOLDER = frozenset({AuditStatus.AWAITING_PROOF, AuditStatus.DEFICIENT})
OPEN = WAITING_ON_HOLDER | {AuditStatus.PROOF_SUBMITTED}


def draw_size(population: int, share_percent: int) -> int:
    """How many of ``population`` a share draws: the share rounded up, so a share above 0
    of anyone audits at least one (exact integers)."""
    if population < 0 or not 0 <= share_percent <= 100:
        raise ValueError("population >= 0 and a share of 0 to 100 percent")
    return -(-population * share_percent // 100)


def draw(renewals: Iterable[uuid.UUID], share_percent: int, seed: int) -> list[uuid.UUID]:
    """The renewals a draw with ``seed`` selects: the same seed and population always give the
    same selection, whatever order the population was read in."""
    population = sorted(set(renewals))
    # Reproducible by design: anyone with the seed redraws the same; the seed itself comes
    # from ``secrets``, so nobody can choose who is drawn.
    generator = random.Random(seed)  # noqa: S311
    chosen = generator.sample(population, draw_size(len(population), share_percent))
    return sorted(chosen)


def due_on(today: date, days: int) -> date:
    """The last day to answer, ``days`` after ``today`` (day 0)."""
    return today + timedelta(days=days)


def overdue(status: AuditStatus, proof_due_on: date, cure_due_on: date | None, today: date) -> bool:
    """Whether the holder has let the day to send proof pass."""
    if status is AuditStatus.AWAITING_PROOF:
        return today > proof_due_on
    if status is AuditStatus.DEFICIENT:
        return cure_due_on is not None and today > cure_due_on
    return False


def after_review(outcome: AuditOutcome, cure_due_on: date | None) -> AuditStatus:
    """Where staff's finding leaves submitted proof: a first deficiency gets the cure period,
    a second goes to staff for action."""
    if outcome is AuditOutcome.DEFICIENT and cure_due_on is not None:
        return AuditStatus.REFERRED
    return AuditStatus(outcome.value)
