"""HTTP endpoints of attempts and results, result notices, item analysis and key corrections."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from certboard_core.auth import Role, require_roles
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    error_responses,
)
from certboard_core.versioned import VersionConflict
from exams.attempt import correction, notices, service
from exams.attempt.schemas import (
    AttemptCreate,
    AttemptPage,
    AttemptPublic,
    ItemAnalysisPublic,
    KeyCorrected,
    KeyCorrection,
    NoticeQueue,
    NoticeSend,
)
from exams.attempt.views import to_public
from exams.deps import Context
from exams.errors import (
    AttemptOutsideWindow,
    FormNotUsable,
    InconsistentVendorScore,
    KeyUnchanged,
    ResultNoticeAlreadySent,
    ResultNoticeTooEarly,
    TransitionNotAllowed,
    UnknownExamItem,
)

STAFF_ONLY = [Depends(require_roles(Role.STAFF))]
# A test vendor's integration records attempts under its own service identity.
RECORDERS = [Depends(require_roles(Role.STAFF, Role.SERVICE))]
# Which results each reader sees is AttemptRepository.readable.
READERS = [Depends(require_roles(Role.STAFF, Role.APPLICANT))]
After = Annotated[str | None, Query(description="cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]

router = APIRouter(tags=["attempts"], responses=error_responses(*AUTHENTICATED))


@router.post(
    "/v1/attempts",
    status_code=status.HTTP_201_CREATED,
    dependencies=RECORDERS,
    responses=error_responses(
        NotFound,
        TransitionNotAllowed,
        AttemptOutsideWindow,
        FormNotUsable,
        UnknownExamItem,
        InconsistentVendorScore,
        VersionConflict,
        InvalidInput,
    ),
)
async def record_attempt(body: AttemptCreate, ctx: Context) -> AttemptPublic:
    """Record the one attempt of an authorization: responses scored here, or a vendor's score."""
    return to_public(await service.record_attempt(ctx, body), ctx.policy)


@router.get("/v1/attempts", dependencies=READERS, responses=error_responses(InvalidInput))
async def list_attempts(
    ctx: Context,
    application_id: uuid.UUID | None = None,
    after: After = None,
    limit: Limit = 50,
) -> AttemptPage:
    """Results the caller may read (a candidate: their own), oldest first."""
    page = await service.list_attempts(ctx, application_id=application_id, after=after, limit=limit)
    return AttemptPage(
        items=[to_public(a, ctx.policy) for a in page.items], next_cursor=page.next_cursor
    )


@router.get("/v1/attempts/{attempt_id}", dependencies=READERS, responses=error_responses(NotFound))
async def read_attempt(attempt_id: uuid.UUID, ctx: Context) -> AttemptPublic:
    """A result: the score, its percentage, pass or fail and the percentage per domain."""
    return to_public(await service.read_attempt(ctx, attempt_id), ctx.policy)


@router.get("/v1/result-notices", dependencies=STAFF_ONLY, responses=error_responses(InvalidInput))
async def result_notice_queue(ctx: Context, after: After = None, limit: Limit = 50) -> NoticeQueue:
    """Results whose formal notice is unsent, earliest due first, with the breach count."""
    page, unsent, breaches = await notices.notice_queue(ctx, after=after, limit=limit)
    return NoticeQueue(
        items=[to_public(a, ctx.policy) for a in page.items],
        next_cursor=page.next_cursor,
        unsent=unsent,
        breaches=breaches,
    )


@router.post(
    "/v1/attempts/{attempt_id}/result-notice",
    dependencies=STAFF_ONLY,
    responses=error_responses(
        NotFound, ResultNoticeAlreadySent, ResultNoticeTooEarly, VersionConflict
    ),
)
async def send_result_notice(
    attempt_id: uuid.UUID, body: NoticeSend, ctx: Context
) -> AttemptPublic:
    """Send the formal result notice (applications mails it); once, from the policy's day."""
    sent = await notices.send_result_notice(ctx, attempt_id, expected_version=body.expected_version)
    return to_public(sent, ctx.policy)


@router.get(
    "/v1/exam-forms/{form_id}/item-analysis",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound),
)
async def item_analysis(form_id: uuid.UUID, ctx: Context) -> ItemAnalysisPublic:
    """Per item p, corrected point-biserial and flags, and the form's KR-20."""
    return await correction.item_analysis(ctx, form_id)


@router.post(
    "/v1/exam-forms/{form_id}/items/{item_number}/key-correction",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, TransitionNotAllowed, KeyUnchanged, VersionConflict),
)
async def correct_key(
    form_id: uuid.UUID,
    item_number: Annotated[int, Path(ge=1, le=10_000)],
    body: KeyCorrection,
    ctx: Context,
) -> KeyCorrected:
    """Correct one item's key on a form in use; every attempt on it is rescored."""
    return await correction.correct_key(ctx, form_id, item_number, body)
