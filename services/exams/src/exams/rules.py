"""Pure exam rules: scores and decisions from inputs and a policy, no I/O (domain.md §Time)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from exams.errors import UnknownExamItem
from exams.policy import ExamPolicy


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


def score(answers: Mapping[int, str], key: Mapping[int, str]) -> Score:
    """Count the answers that match the key; unanswered items count as wrong."""
    if not key:
        raise ValueError("an answer key needs at least one item")
    unknown = sorted(set(answers) - set(key))
    if unknown:
        # An answer to an item the exam does not have means the answers and key are mismatched:
        # scoring anyway would hide that.
        raise UnknownExamItem(f"answers for items not in the key: {unknown}", field="answers")
    correct = sum(1 for item, right in key.items() if answers.get(item) == right)
    return Score(correct=correct, total=len(key))


def passed(score: Score, policy: ExamPolicy) -> bool:
    """Whether the score reaches the pass mark."""
    # Fraction against int compares exactly: no float makes 96/120 fall just short of 80.
    return score.percent >= policy.pass_mark_percent


def attempts_left(attempts_used: int, policy: ExamPolicy) -> int:
    """Attempts still allowed in the approval period; never negative."""
    if attempts_used < 0:
        raise ValueError("attempts used cannot be negative")
    return max(0, policy.max_attempts_in_approval_period - attempts_used)


def may_retake(
    *,
    attempts_used: int,
    failed_on: date,
    training_completed_on: date | None,
    policy: ExamPolicy,
) -> bool:
    """Whether another attempt may follow the failed attempt taken on ``failed_on``."""
    if policy.retake_requires_new_training:
        # MT has no retakes: the whole training is taken again, so only a certificate completed
        # after the failure opens a new attempt. Certificates carry a day, not a time, so a
        # training completed on the day of the failure cannot be shown to come after it.
        return training_completed_on is not None and training_completed_on > failed_on
    return attempts_left(attempts_used, policy) > 0
