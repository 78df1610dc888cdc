"""HTTP endpoints of authorizations to test: requests, staff moves, summaries, the queue."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    UpstreamUnavailable,
    error_responses,
)
from certboard_core.idempotency import IdempotencyDep, IdempotencyInProgress, IdempotencyKeyReused
from certboard_core.sqlite import READ_ONLY
from certboard_core.versioned import VersionConflict
from exams.authorization import moves, service
from exams.authorization.repository import AuthorizationRepository
from exams.authorization.schemas import (
    AuthorizationPage,
    AuthorizationPublic,
    ExamRequest,
    ExamSummaries,
    ExamSummary,
    NoShow,
    ScheduleCreate,
    VendorFault,
    Versioned,
    Void,
)
from exams.deps import READERS, STAFF_ONLY, ApplicationsDep, Context, SessionsDep
from exams.errors import (
    AccommodationPending,
    ExamNotEligible,
    ScheduleNotAllowed,
    TransitionNotAllowed,
)

router = APIRouter(tags=["exam authorizations"], responses=error_responses(*AUTHENTICATED))
PREFIX = "/v1/exam-authorizations"
MOVE_ERRORS = (NotFound, VersionConflict, TransitionNotAllowed)
MAX_SUMMARIES = 100


@router.post(
    PREFIX,
    response_model=AuthorizationPublic,
    dependencies=READERS,
    responses=error_responses(
        NotFound,
        ExamNotEligible,
        UpstreamUnavailable,
        IdempotencyInProgress,
        IdempotencyKeyReused,
    ),
)
async def request_exam(
    body: ExamRequest, ctx: Context, applications: ApplicationsDep, idempotency: IdempotencyDep
) -> AuthorizationPublic | JSONResponse:
    """Request the exam for an application (its applicant, or staff for them): granted as an
    authorization to test, or refused with EXAM_NOT_ELIGIBLE listing every unmet reason."""

    async def work() -> AuthorizationPublic:
        # Asked before the write transaction begins (the session has run nothing yet).
        standing = await service.ask_standing(ctx.principal, applications, body.application_id)
        return await service.request_exam(ctx, body, standing)

    return await idempotency.run(ctx.session, owner=ctx.actor, body=body, now=ctx.now, work=work)


@router.get(
    f"{PREFIX}/{{authorization_id}}", dependencies=READERS, responses=error_responses(NotFound)
)
async def read_authorization(authorization_id: uuid.UUID, ctx: Context) -> AuthorizationPublic:
    """One authorization (its applicant's or staff), its status as of today."""
    return await service.read_authorization(ctx, authorization_id)


@router.post(
    f"{PREFIX}/{{authorization_id}}/schedule",
    dependencies=STAFF_ONLY,
    responses=error_responses(*MOVE_ERRORS, ScheduleNotAllowed, AccommodationPending),
)
async def schedule(
    authorization_id: uuid.UUID, body: ScheduleCreate, ctx: Context
) -> AuthorizationPublic:
    """Staff schedule the exam inside the window; refused while an accommodation is pending."""
    return await moves.schedule(ctx, authorization_id, body)


@router.post(
    f"{PREFIX}/{{authorization_id}}/cancel-schedule",
    dependencies=STAFF_ONLY,
    responses=error_responses(*MOVE_ERRORS),
)
async def cancel_schedule(
    authorization_id: uuid.UUID, body: Versioned, ctx: Context
) -> AuthorizationPublic:
    """Staff cancel the schedule; the authorization waits for a new one in the same window."""
    return await moves.cancel_schedule(ctx, authorization_id, body)


@router.post(
    f"{PREFIX}/{{authorization_id}}/no-show",
    dependencies=STAFF_ONLY,
    responses=error_responses(*MOVE_ERRORS),
)
async def no_show(authorization_id: uuid.UUID, body: NoShow, ctx: Context) -> AuthorizationPublic:
    """Staff record a no-show on or after the exam day: the attempt and its fee are used."""
    return await moves.no_show(ctx, authorization_id, body)


@router.post(
    f"{PREFIX}/{{authorization_id}}/vendor-fault",
    dependencies=STAFF_ONLY,
    responses=error_responses(*MOVE_ERRORS),
)
async def vendor_fault(
    authorization_id: uuid.UUID, body: VendorFault, ctx: Context
) -> AuthorizationPublic:
    """Staff record a failure caused by the test vendor, with its incident number: no attempt
    and no fee is used, so a new request needs no new fee."""
    return await moves.vendor_fault(ctx, authorization_id, body)


@router.post(
    f"{PREFIX}/{{authorization_id}}/void",
    dependencies=STAFF_ONLY,
    responses=error_responses(*MOVE_ERRORS, ExamNotEligible, UpstreamUnavailable),
)
async def void(
    authorization_id: uuid.UUID,
    body: Void,
    ctx: Context,
    applications: ApplicationsDep,
    sessions: SessionsDep,
) -> AuthorizationPublic:
    """Staff void an open authorization with a reason; answers the new one issued in its place
    (same fee, window from today, capped by the approval's valid-through day)."""
    # Which application it is, read in a snapshot of its own; then applications is asked
    # before the write transaction begins.
    async with sessions() as session:
        await session.connection(execution_options={READ_ONLY: True})
        found = await AuthorizationRepository(session).get_readable(ctx.principal, authorization_id)
    if found is None:
        raise NotFound("no such authorization", field="authorization_id")
    standing = await service.ask_standing(ctx.principal, applications, found.application_id)
    return await moves.void(ctx, authorization_id, body, standing)


@router.get(
    "/v1/applications/{application_id}/exam-summary",
    dependencies=READERS,
    responses=error_responses(NotFound, UpstreamUnavailable),
)
async def read_summary(
    application_id: uuid.UUID, ctx: Context, applications: ApplicationsDep
) -> ExamSummary:
    """An application's exams (its applicant's or staff): attempts used, left and the limit,
    and every authorization with its window and status as of today."""
    # Applications says whose it is (an application with no authorization yet has no row
    # here to tell) and which training counts under MT.
    standing = await service.ask_standing(ctx.principal, applications, application_id)
    return await service.read_summary(ctx, application_id, standing)


@router.get(
    "/v1/exam-summaries",
    dependencies=READERS,
    responses=error_responses(InvalidInput, UpstreamUnavailable),
)
async def read_summaries(
    ctx: Context,
    applications: ApplicationsDep,
    application_id: Annotated[
        list[uuid.UUID], Query(min_length=1, max_length=MAX_SUMMARIES, description="repeat it")
    ],
) -> ExamSummaries:
    """Summaries of several applications at once, for lists: only those with authorizations
    the caller may read appear; the others have none. Counted as the single summary is."""
    application_ids = list(dict.fromkeys(application_id))
    # Asked before the read, in one call, and only where the count reads training (MT).
    training = await service.ask_training(ctx, applications, application_ids)
    return await service.read_summaries(ctx, application_ids, training)


@router.get(
    "/v1/exam-queues/scheduling", dependencies=STAFF_ONLY, responses=error_responses(InvalidInput)
)
async def scheduling_queue(
    ctx: Context,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuthorizationPage:
    """Authorizations awaiting scheduling, earliest review day first; breaches counted."""
    return await service.scheduling_queue(ctx, after=after, limit=limit)
