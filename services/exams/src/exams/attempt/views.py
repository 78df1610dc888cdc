"""An attempt as the API shows it and as events carry it: scores, never responses or keys."""

from __future__ import annotations

from typing import Any

from exams.attempt.models import ExamAttempt
from exams.attempt.schemas import AttemptPublic, DomainResult
from exams.attempt.scoring import Result, result_of
from exams.policy import ExamPolicy


def result(attempt: ExamAttempt) -> Result:
    """The attempt's stored score and its split by domain."""
    return result_of(attempt.correct, attempt.total, attempt.domain_results)


def domain_results(attempt: ExamAttempt) -> list[DomainResult]:
    """Per content domain: correct, items and the exact percentage (shown to every candidate,
    as boards must at least to those who failed)."""
    return [
        DomainResult(
            domain=d.domain,
            correct=d.score.correct,
            total=d.score.total,
            percent=d.score.percent_text,
        )
        for d in result(attempt).domains
    ]


def to_public(attempt: ExamAttempt, policy: ExamPolicy) -> AttemptPublic:
    """The result a candidate or staff reads."""
    return AttemptPublic(
        **attempt.model_dump(exclude={"responses", "domain_results"}),
        percent=result(attempt).score.percent_text,
        pass_mark_percent=policy.pass_mark_percent,
        domains=domain_results(attempt),
    )


def snapshot(attempt: ExamAttempt) -> dict[str, Any]:
    """The attempt as the audit trail keeps it: without its responses."""
    return attempt.model_dump(mode="json", exclude={"responses"})


def passed_payload(attempt: ExamAttempt) -> dict[str, Any]:
    """The "exam.passed" event: applications issues the certification from it."""
    return {
        "attempt_id": str(attempt.id),
        "authorization_id": str(attempt.authorization_id),
        "application_id": str(attempt.application_id),
        "applicant_id": attempt.applicant_id,
        "taken_on": attempt.taken_on.isoformat(),
        "correct": attempt.correct,
        "total": attempt.total,
    }


def notice_payload(attempt: ExamAttempt) -> dict[str, Any]:
    """The "exam.result_notice_sent" event: applications records and mails the notice."""
    return {
        "attempt_id": str(attempt.id),
        "application_id": str(attempt.application_id),
        "applicant_id": attempt.applicant_id,
        "taken_on": attempt.taken_on.isoformat(),
        "passed": attempt.passed,
        "correct": attempt.correct,
        "total": attempt.total,
        "percent": result(attempt).score.percent_text,
        "domains": [d.model_dump() for d in domain_results(attempt)],
    }
