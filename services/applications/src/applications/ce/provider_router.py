"""HTTP endpoints of CE providers: staff approve courses; a provider reports completions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import JSONResponse

from applications.ce import courses, service
from applications.ce.batch import receive_batch
from applications.ce.schemas import (
    CeRecordPage,
    CeUploadResult,
    CompletionUpload,
    CourseCreate,
    CoursePublic,
    CourseUpdate,
)
from applications.deps import STAFF_ONLY, Context
from certboard_core.auth import Role, require_roles
from certboard_core.errors import (
    AUTHENTICATED,
    Conflict,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    error_responses,
)
from certboard_core.idempotency import IdempotencyDep, IdempotencyInProgress, IdempotencyKeyReused
from certboard_core.ratelimit import PER_PROVIDER
from certboard_core.versioned import VersionConflict

router = APIRouter(
    prefix="/v1/providers/{provider_id}",
    tags=["continuing education"],
    responses=error_responses(*AUTHENTICATED),
)
PROVIDER_ONLY = [Depends(require_roles(Role.PROVIDER))]
# Who reads a provider's courses at all; which provider each may read is the provider's own.
PROVIDER_READERS = [Depends(require_roles(Role.STAFF, Role.PROVIDER))]
REFUSED_INPUT = (ValidationFailed, InvalidInput)


@router.post(
    "/ce-courses",
    status_code=status.HTTP_201_CREATED,
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, Conflict, *REFUSED_INPUT),
)
async def add_course(provider_id: uuid.UUID, body: CourseCreate, ctx: Context) -> CoursePublic:
    """Approve a CE course of the provider, with its hours and category."""
    return courses.to_public(await courses.create_course(ctx, provider_id, body))


@router.get("/ce-courses", dependencies=PROVIDER_READERS, responses=error_responses(NotFound))
async def list_courses(provider_id: uuid.UUID, ctx: Context) -> list[CoursePublic]:
    """The provider's CE courses, for staff or the provider."""
    return [courses.to_public(c) for c in await courses.courses_of(ctx, provider_id)]


@router.patch(
    "/ce-courses/{course_id}",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, VersionConflict, *REFUSED_INPUT),
)
async def update_course(
    provider_id: uuid.UUID, course_id: uuid.UUID, body: CourseUpdate, ctx: Context
) -> CoursePublic:
    """Withdraw a CE course (completions of it are refused from then on) or approve it again."""
    return courses.to_public(await courses.update_course(ctx, provider_id, course_id, body))


@router.post(
    "/ce-completions",
    response_model=CeUploadResult,
    dependencies=[*PROVIDER_ONLY, PER_PROVIDER],
    responses={
        200: {"description": "what became of each row"},
        **error_responses(
            NotFound,
            IdempotencyInProgress,
            PayloadTooLarge,
            *REFUSED_INPUT,
            IdempotencyKeyReused,
        ),
    },
)
async def report_completions(
    provider_id: uuid.UUID, body: CompletionUpload, ctx: Context, once: IdempotencyDep
) -> CeUploadResult | JSONResponse:
    """Report one CE completion or a batch of up to 1,000; each row is accepted (it counts at
    once: the course is approved), a duplicate (its completion id was received before) or
    rejected with the field at fault."""
    # A key belongs to the calling provider and this route: nobody else's retry, nor the
    # provider's certificate uploads, can claim or replay it.
    return await once.run(
        ctx.session,
        owner=f"provider:{ctx.principal.provider_id}:ce-completions",
        body=body,
        now=ctx.now,
        work=lambda: receive_batch(ctx, provider_id=provider_id, rows=body.completions),
    )


@router.get(
    "/ce-completions",
    dependencies=PROVIDER_READERS,
    responses=error_responses(NotFound, *REFUSED_INPUT),
)
async def list_completions(
    provider_id: uuid.UUID,
    ctx: Context,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CeRecordPage:
    """The completions the provider reported, in the order received (paginated): for the
    provider to reconcile with its own records, or staff."""
    return service.to_page(await service.reported_by(ctx, provider_id, after=after, limit=limit))
