"""Authorizations as read: status as of today, their history for the rules, summaries."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from exams.accommodation.schemas import AccommodationPublic
from exams.attempt import views as attempt_views
from exams.attempt.models import ExamAttempt
from exams.authorization import rules
from exams.authorization.models import ExamAuthorization
from exams.authorization.schemas import AuthorizationPublic, ExamSummary
from exams.clients import TrainingCertificate
from exams.policy import ExamPolicy


def snapshot(authorization: ExamAuthorization) -> dict[str, Any]:
    """The audit trail's picture of an authorization."""
    return authorization.model_dump(mode="json")


def past(authorization: ExamAuthorization, attempt: ExamAttempt | None, today: date) -> rules.Past:
    """What the rules need of ``authorization``, its status as of ``today``."""
    return rules.Past(
        status=rules.effective_status(
            authorization.status, authorization.valid_through, today, attempted=attempt is not None
        ),
        granted_on=authorization.granted_on,
        valid_through=authorization.valid_through,
        fee_reference=authorization.fee_reference,
        ended_on=authorization.ended_on,
        taken_on=attempt.taken_on if attempt else None,
        passed=attempt.passed if attempt else None,
    )


def to_public(
    authorization: ExamAuthorization,
    attempt: ExamAttempt | None,
    *,
    today: date,
    policy: ExamPolicy,
) -> AuthorizationPublic:
    """The public shape of ``authorization`` as of ``today``, with its attempt's result."""
    status = past(authorization, attempt, today).status
    return AuthorizationPublic(
        **authorization.model_dump(exclude={"status"}),
        status=status,
        counts_as_attempt=rules.counts_as_attempt(status, policy),
        result=attempt_views.to_public(attempt, policy) if attempt else None,
    )


def summary(
    application_id: uuid.UUID,
    authorizations: Sequence[ExamAuthorization],
    attempts: Mapping[uuid.UUID, ExamAttempt],
    *,
    certificates: Sequence[TrainingCertificate],
    accommodations: Sequence[AccommodationPublic],
    today: date,
    policy: ExamPolicy,
) -> ExamSummary:
    """Attempts used and left on one application, counted as a request is decided
    (``rules.attempt_count``), and each authorization as of ``today`` with its result.

    ``certificates``: the application's valid training, as applications states it; read only
    where a new attempt needs new training (MT).
    """
    history = [past(a, attempts.get(a.id), today) for a in authorizations]
    count = rules.attempt_count(history, certificates, policy)
    return ExamSummary(
        application_id=application_id,
        attempts_used=count.used,
        attempts_left=count.left,
        attempts_limit=count.limit,
        authorizations=[
            to_public(a, attempts.get(a.id), today=today, policy=policy) for a in authorizations
        ],
        accommodations=list(accommodations),
    )
