"""HTTP endpoints of accommodation requests."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Response, status

from certboard_core.errors import AUTHENTICATED, InvalidInput, NotFound, error_responses
from certboard_core.storage import (
    DOCUMENT_CONTENT,
    DOCUMENT_ERRORS,
    check_document,
    document_response,
    read_limited,
)
from certboard_core.versioned import VersionConflict
from exams.accommodation import service
from exams.accommodation.schemas import (
    AccommodationPage,
    AccommodationPublic,
    AccommodationSubmission,
    Decision,
    Denial,
)
from exams.deps import APPLICANT_ONLY, READERS, STAFF_ONLY, Context, SettingsDep, StoreDep
from exams.errors import AccommodationPending, AlreadyScheduled, TransitionNotAllowed

router = APIRouter(tags=["exam accommodations"], responses=error_responses(*AUTHENTICATED))
PREFIX = "/v1/accommodations"
DECISION_ERRORS = (NotFound, VersionConflict, TransitionNotAllowed)


@router.post(
    "/v1/exam-authorizations/{authorization_id}/accommodations",
    status_code=status.HTTP_201_CREATED,
    dependencies=APPLICANT_ONLY,
    responses=error_responses(
        NotFound,
        AlreadyScheduled,
        AccommodationPending,
        TransitionNotAllowed,
        *DOCUMENT_ERRORS,
    ),
)
async def submit_accommodation(
    authorization_id: uuid.UUID,
    # One form model with the file in it: FastAPI then declares a single multipart body.
    form: Annotated[AccommodationSubmission, Form(media_type="multipart/form-data")],
    ctx: Context,
    store: StoreDep,
    settings: SettingsDep,
) -> AccommodationPublic:
    """The applicant requests an accommodation, with its supporting document (JPEG or PDF,
    checked by content), before the exam is scheduled."""
    limit = settings.max_document_bytes
    data = await read_limited(form.document, max_bytes=limit)
    checked = check_document(data, field="document", max_bytes=limit)
    incoming = service.IncomingDocument(document=checked, filename=form.document.filename)
    return await service.submit(ctx, authorization_id, form.description, incoming, store)


@router.get(
    f"{PREFIX}/{{accommodation_id}}", dependencies=READERS, responses=error_responses(NotFound)
)
async def read_accommodation(accommodation_id: uuid.UUID, ctx: Context) -> AccommodationPublic:
    """One accommodation request, for its applicant or staff."""
    return await service.read(ctx, accommodation_id)


@router.get(
    f"{PREFIX}/{{accommodation_id}}/document",
    dependencies=READERS,
    response_class=Response,
    responses={
        **DOCUMENT_CONTENT,
        **error_responses(NotFound),
    },
)
async def download_document(accommodation_id: uuid.UUID, ctx: Context, store: StoreDep) -> Response:
    """The supporting document, for the request's applicant or staff only."""
    request, content = await service.document(ctx, accommodation_id, store)
    return document_response(content, request.document_content_type, f"accommodation-{request.id}")


@router.post(
    f"{PREFIX}/{{accommodation_id}}/approve",
    dependencies=STAFF_ONLY,
    responses=error_responses(*DECISION_ERRORS),
)
async def approve(accommodation_id: uuid.UUID, body: Decision, ctx: Context) -> AccommodationPublic:
    """Staff approve the accommodation; the exam can then be scheduled."""
    return await service.decide(ctx, accommodation_id, body, approve=True)


@router.post(
    f"{PREFIX}/{{accommodation_id}}/deny",
    dependencies=STAFF_ONLY,
    responses=error_responses(*DECISION_ERRORS),
)
async def deny(accommodation_id: uuid.UUID, body: Denial, ctx: Context) -> AccommodationPublic:
    """Staff deny the accommodation, with the reason recorded."""
    return await service.decide(ctx, accommodation_id, body, approve=False)


@router.get(
    "/v1/exam-queues/accommodations",
    dependencies=STAFF_ONLY,
    responses=error_responses(InvalidInput),
)
async def accommodation_queue(
    ctx: Context,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AccommodationPage:
    """Accommodation requests awaiting review, earliest review day first; breaches counted."""
    return await service.pending_queue(ctx, after=after, limit=limit)
