"""The words of the notices a pass, an exam result and a corrected result send the applicant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from certboard_core.fields import IsoDate


def _d(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _outcome(passed: bool) -> str:
    return "passed" if passed else "did not pass"


class DomainScore(BaseModel):
    domain: str
    correct: int
    total: int
    percent: str


class ResultNotice(BaseModel):
    """The payload of ``exam.result_notice_sent`` (fields applications does not use ignored)."""

    attempt_id: str
    application_id: str
    taken_on: IsoDate
    passed: bool
    correct: int
    total: int
    percent: str
    domains: Sequence[DomainScore] = ()


class ResultChange(BaseModel):
    """The payload of ``exam.result_changed``."""

    attempt_id: str
    application_id: str
    previous_passed: bool
    passed: bool
    previous_correct: int
    correct: int
    total: int
    reason: str


def certified(number: str, issued_on: date, valid_through: date) -> tuple[str, str]:
    """The certification: its number and its dates."""
    return "You are certified", (
        f"Congratulations: you passed the exam on {_d(issued_on)} and are now certified.\n\n"
        f"Certificate number: {number}\nValid through: {_d(valid_through)}\n\n"
        "Anyone can check this number on the board's public verification page."
    )


def exam_result(notice: ResultNotice) -> tuple[str, str]:
    """The formal result: the score and, per content domain, the percentage."""
    domains = "\n".join(
        f"- {d.domain}: {d.correct} of {d.total} ({d.percent}%)" for d in notice.domains
    )
    return "Your exam result", (
        f"You {_outcome(notice.passed)} the exam you took on {_d(notice.taken_on)}: "
        f"{notice.correct} of {notice.total} correct ({notice.percent}%)."
        + (f"\n\nBy content domain:\n{domains}" if domains else "")
    )


def result_changed(change: ResultChange) -> tuple[str, str]:
    """A corrected result: before, after and why."""
    return "Your exam result was corrected", (
        f"Your exam result was rescored: {change.previous_correct} of {change.total} correct "
        f"({_outcome(change.previous_passed)}) is now {change.correct} of {change.total} "
        f"({_outcome(change.passed)}).\n\nReason: {change.reason}"
    )


def renewed(number: str, valid_through: date, audit_required: bool) -> tuple[str, str]:
    """A renewal: the new last day, and an audit when one is certain (a reinstatement's)."""
    audit = (
        "\n\nA reinstatement is audited: you will be asked for proof of your CE hours."
        if audit_required
        else ""
    )
    return "Your certification is renewed", (
        f"Certificate {number} is renewed and valid through {_d(valid_through)}.{audit}"
    )
