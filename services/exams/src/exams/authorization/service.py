"""Exam requests and reads of authorizations; the request's session commits what these flush.

Applications is asked (``ask_standing``) before the write transaction begins: an HTTP call
inside one would hold SQLite's write lock for its whole length.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from certboard_core.audit import record_audit
from certboard_core.auth import Principal, Role
from certboard_core.errors import ErrorReason, NotFound
from exams.accommodation.repository import AccommodationRepository
from exams.accommodation.schemas import AccommodationPublic
from exams.accommodation.service import to_public as accommodation_public
from exams.authorization import rules
from exams.authorization.models import ExamAuthorization
from exams.authorization.repository import AuthorizationRepository
from exams.authorization.schemas import (
    AuthorizationPage,
    AuthorizationPublic,
    ExamRequest,
    ExamSummaries,
    ExamSummary,
)
from exams.authorization.views import past, snapshot, summary, to_public
from exams.clients import ApplicationsClient, ExamStanding, TrainingCertificate
from exams.context import ActionContext
from exams.errors import ExamNotEligible


def _no_application() -> NotFound:
    return NotFound("no such application", field="application_id")


async def ask_standing(
    principal: Principal, applications: ApplicationsClient, application_id: uuid.UUID
) -> ExamStanding:
    """The application's standing now, if ``principal`` may act on it: staff on any, an
    applicant on their own; anything else is NOT_FOUND, saying nothing more."""
    standing = await applications.exam_standing(application_id)
    if standing is None:
        raise _no_application()
    if principal.has(Role.STAFF):
        return standing
    if principal.has(Role.APPLICANT) and standing.applicant_id == principal.subject:
        return standing
    raise _no_application()


async def ask_training(
    ctx: ActionContext, applications: ApplicationsClient, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TrainingCertificate]]:
    """The valid training of each of ``application_ids``, where the policy counts attempts per
    training (MT); elsewhere the count does not read it and applications is not asked."""
    if not ctx.policy.retake_requires_new_training:
        return {}
    standings = await applications.exam_standings(application_ids)
    return {i: s.training_certificates for i, s in standings.items()}


async def _history(
    ctx: ActionContext, authorizations: Sequence[ExamAuthorization]
) -> list[rules.Past]:
    attempts = await AuthorizationRepository(ctx.session).attempts([a.id for a in authorizations])
    return [past(a, attempts.get(a.id), ctx.today) for a in authorizations]


async def request_exam(
    ctx: ActionContext, data: ExamRequest, standing: ExamStanding
) -> AuthorizationPublic:
    """Grant an authorization if every condition holds; else refuse naming all that do not."""
    repository = AuthorizationRepository(ctx.session)
    await repository.lock(data.application_id)
    history = await _history(ctx, await repository.of_application(data.application_id))
    decision = rules.eligibility(
        unmet=[rules.Reason(u.code, u.message, u.field) for u in standing.unmet],
        fees=standing.exam_fees,
        certificates=standing.training_certificates,
        history=history,
        policy=ctx.policy,
    )
    if decision.reasons or decision.fee is None or standing.valid_through is None:
        reasons = decision.reasons or (
            rules.Reason("APPLICATION_NOT_APPROVED", "the application is not approved", None),
        )
        raise ExamNotEligible(
            "the exam cannot be requested: " + "; ".join(r.message for r in reasons),
            field=reasons[0].field,
            reasons=[ErrorReason(code=r.code, message=r.message, field=r.field) for r in reasons],
        )
    authorization = ExamAuthorization(
        application_id=data.application_id,
        applicant_id=standing.applicant_id,
        kind=decision.kind,
        language=data.language,
        delivery_mode=data.delivery_mode,
        fee_reference=decision.fee.reference,
        requested_by=ctx.actor,
        granted_at=ctx.now,
        granted_on=ctx.today,
        valid_through=rules.authorization_valid_through(
            ctx.today, standing.valid_through, ctx.policy
        ),
        review_due_on=rules.review_due_on(decision.fee, ctx.policy),
    )
    ctx.session.add(authorization)
    await ctx.session.flush()
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="exam_authorization.granted",
        entity_type="exam_authorization",
        entity_id=str(authorization.id),
        before=None,
        after=snapshot(authorization),
        at=ctx.now,
    )
    return to_public(authorization, None, today=ctx.today, policy=ctx.policy)


async def read_authorization(
    ctx: ActionContext, authorization_id: uuid.UUID
) -> AuthorizationPublic:
    """One authorization the caller may read, as of today."""
    repository = AuthorizationRepository(ctx.session)
    authorization = await repository.get_readable(ctx.principal, authorization_id)
    if authorization is None:
        raise NotFound("no such authorization", field="authorization_id")
    attempts = await repository.attempts([authorization.id])
    return to_public(
        authorization, attempts.get(authorization.id), today=ctx.today, policy=ctx.policy
    )


async def read_summary(
    ctx: ActionContext, application_id: uuid.UUID, standing: ExamStanding
) -> ExamSummary:
    """An application's exams (``standing``: applications' answer, owner already checked)."""
    found = await AuthorizationRepository(ctx.session).with_attempts(
        ctx.principal, [application_id]
    )
    requests = await _accommodations(ctx, [application_id])
    return summary(
        application_id,
        found.authorizations,
        found.attempts,
        certificates=standing.training_certificates,
        accommodations=requests.get(application_id, []),
        today=ctx.today,
        policy=ctx.policy,
    )


async def _accommodations(
    ctx: ActionContext, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[AccommodationPublic]]:
    """The readable accommodation requests of ``application_ids``, by application."""
    found: dict[uuid.UUID, list[AccommodationPublic]] = {}
    for request in await AccommodationRepository(ctx.session).of_applications(
        ctx.principal, application_ids
    ):
        found.setdefault(request.application_id, []).append(
            accommodation_public(request, ctx.today)
        )
    return found


async def read_summaries(
    ctx: ActionContext,
    application_ids: Sequence[uuid.UUID],
    training: Mapping[uuid.UUID, Sequence[TrainingCertificate]],
) -> ExamSummaries:
    """Summaries of those ``application_ids`` with authorizations the caller may read
    (``training``: ``ask_training``'s answer)."""
    found = await AuthorizationRepository(ctx.session).with_attempts(ctx.principal, application_ids)
    requests = await _accommodations(ctx, application_ids)
    by_application: dict[uuid.UUID, list[ExamAuthorization]] = {}
    for authorization in found.authorizations:
        by_application.setdefault(authorization.application_id, []).append(authorization)
    return ExamSummaries(
        attempts_limit=ctx.policy.max_attempts_in_approval_period,
        items=[
            summary(
                app_id,
                rows,
                found.attempts,
                certificates=training.get(app_id, ()),
                accommodations=requests.get(app_id, []),
                today=ctx.today,
                policy=ctx.policy,
            )
            for app_id, rows in by_application.items()
        ],
    )


async def scheduling_queue(
    ctx: ActionContext, *, after: str | None, limit: int
) -> AuthorizationPage:
    """Authorizations awaiting scheduling, earliest review day first, with the breach count."""
    repository = AuthorizationRepository(ctx.session)
    page = await repository.awaiting_scheduling(ctx.today, after=after, limit=limit)
    return AuthorizationPage(
        items=[to_public(a, None, today=ctx.today, policy=ctx.policy) for a in page.items],
        next_cursor=page.next_cursor,
        breaches=await repository.scheduling_breaches(ctx.today),
    )
