"""HTTP endpoints of the CE ledger: the holder's self-reports and records, staff verification."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Response, status

from applications.ce import service
from applications.ce.schemas import (
    CeCounts,
    CeRecordList,
    CeRecordPage,
    CeRecordPublic,
    CeReview,
    SelfReport,
)
from applications.deps import APPLICANT_ONLY, READERS, STAFF_ONLY, Context, SettingsDep, StoreDep
from applications.errors import TransitionNotAllowed
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    ValidationFailed,
    error_responses,
)
from certboard_core.storage import (
    DOCUMENT_CONTENT,
    DOCUMENT_ERRORS,
    check_document,
    display_name,
    document_response,
    read_limited,
)
from certboard_core.versioned import VersionConflict

router = APIRouter(tags=["continuing education"], responses=error_responses(*AUTHENTICATED))
RECORDS = "/v1/ce-records"
# A route's own 422 entry replaces the router's: name the malformed-payload code again.
REFUSED_INPUT = (ValidationFailed, InvalidInput)


@router.post(
    "/v1/certifications/{certification_id}/ce-records",
    status_code=status.HTTP_201_CREATED,
    dependencies=APPLICANT_ONLY,
    responses=error_responses(
        NotFound,
        service.CompletionInFuture,
        service.CompletedBeforeCertification,
        *DOCUMENT_ERRORS,
    ),
)
async def self_report(
    certification_id: uuid.UUID,
    # One form model with the file in it: FastAPI then declares a single multipart body.
    form: Annotated[SelfReport, Form(media_type="multipart/form-data")],
    ctx: Context,
    store: StoreDep,
    settings: SettingsDep,
) -> CeRecordPublic:
    """Report a CE completion with its certificate (JPEG or PDF); it counts once staff
    verify it."""
    data = await read_limited(form.document, max_bytes=settings.max_document_bytes)
    document = check_document(data, field="document", max_bytes=settings.max_document_bytes)
    completion = service.Completion(
        course_title=form.course_title,
        provider_name=form.provider_name,
        hours=form.hours,
        category=form.category,
        completed_on=form.completed_on,
    )
    proof = service.Proof(document, display_name(form.document.filename))
    record = await service.self_report(ctx, certification_id, completion, proof, store)
    return service.to_public(record)


@router.get(
    "/v1/certifications/{certification_id}/ce-records",
    dependencies=READERS,
    responses=error_responses(NotFound),
)
async def certification_records(certification_id: uuid.UUID, ctx: Context) -> CeRecordList:
    """Every CE record of a certification, by completion day, each with its status: for its
    holder, or staff."""
    records = await service.records_of(ctx, certification_id)
    return CeRecordList(items=[service.to_public(r) for r in records])


@router.get(RECORDS, dependencies=READERS)
async def records_among(
    ctx: Context,
    ids: Annotated[
        list[uuid.UUID],
        Query(alias="certification_id", min_length=1, max_length=200, description="batch reads"),
    ],
) -> CeRecordList:
    """The CE records of several certifications in one call, by certification and completion
    day; those the caller may not read are absent."""
    records = await service.records_among(ctx, ids)
    return CeRecordList(items=[service.to_public(r) for r in records])


@router.get(f"{RECORDS}/summary", dependencies=STAFF_ONLY)
async def summary(ctx: Context) -> CeCounts:
    """How many self-reports wait for verification, and since when the oldest."""
    return CeCounts.model_validate(await service.counts(ctx), from_attributes=True)


@router.get(
    f"{RECORDS}/verification-queue",
    dependencies=STAFF_ONLY,
    responses=error_responses(*REFUSED_INPUT),
)
async def verification_queue(
    ctx: Context,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CeRecordPage:
    """Self-reported completions waiting for staff, oldest first."""
    return service.to_page(await service.verification_queue(ctx, after=after, limit=limit))


@router.post(
    f"{RECORDS}/{{record_id}}/accept",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, TransitionNotAllowed, VersionConflict),
)
async def accept(record_id: uuid.UUID, body: CeReview, ctx: Context) -> CeRecordPublic:
    """Verify a self-reported completion: it counts from now on."""
    return service.to_public(await service.review(ctx, record_id, body, accept=True))


@router.post(
    f"{RECORDS}/{{record_id}}/reject",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, TransitionNotAllowed, VersionConflict, *REFUSED_INPUT),
)
async def reject(record_id: uuid.UUID, body: CeReview, ctx: Context) -> CeRecordPublic:
    """Reject a self-reported completion, saying why."""
    return service.to_public(await service.review(ctx, record_id, body, accept=False))


@router.get(
    f"{RECORDS}/{{record_id}}/document",
    dependencies=READERS,
    response_class=Response,
    responses={
        **DOCUMENT_CONTENT,
        **error_responses(NotFound),
    },
)
async def document(record_id: uuid.UUID, ctx: Context, store: StoreDep) -> Response:
    """The proof of a self-reported completion, for its holder or staff only."""
    record, content = await service.document_content(ctx, record_id, store)
    return document_response(content, record.document_content_type, f"ce-{record.id}")
