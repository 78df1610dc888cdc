"""Staff endpoints for certificates: the review queue, unmatched ones, decisions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from applications.certificate import service
from applications.certificate.schemas import (
    CertificateCounts,
    CertificatePage,
    CertificatePublic,
    Link,
    Review,
)
from applications.deps import STAFF_ONLY, Context, StoreDep
from applications.errors import TransitionNotAllowed
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    ValidationFailed,
    error_responses,
)
from certboard_core.fields import TextBool
from certboard_core.storage import DOCUMENT_CONTENT, document_response
from certboard_core.versioned import VersionConflict

router = APIRouter(
    prefix="/v1/certificates",
    tags=["certificates"],
    responses=error_responses(*AUTHENTICATED),
    dependencies=STAFF_ONLY,
)
After = Annotated[str | None, Query(description="cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]
# A route's own 422 entry replaces the router's: name the malformed-payload code again.
REFUSED_INPUT = (ValidationFailed, InvalidInput)
PAGED = error_responses(*REFUSED_INPUT)  # a malformed query, or a cursor never issued


@router.get("/summary")
async def summary(ctx: Context) -> CertificateCounts:
    """How many wait for review, how many missed the 14-day review, how many are unmatched."""
    return CertificateCounts.model_validate(await service.counts(ctx), from_attributes=True)


@router.get("/review-queue", responses=PAGED)
async def review_queue(
    ctx: Context, breaches_only: TextBool = False, after: After = None, limit: Limit = 50
) -> CertificatePage:
    """Certificates waiting for review, earliest review day first."""
    page = await service.review_queue(ctx, breaches_only=breaches_only, after=after, limit=limit)
    return service.to_page(page)


@router.get("/unmatched", responses=PAGED)
async def unmatched(ctx: Context, after: After = None, limit: Limit = 50) -> CertificatePage:
    """Certificates not yet linked to an application, oldest first."""
    return service.to_page(await service.unmatched(ctx, after=after, limit=limit))


@router.get(
    "/{certificate_id}/file",
    response_class=Response,
    responses={
        **DOCUMENT_CONTENT,
        **error_responses(NotFound),
    },
)
async def read_file(certificate_id: uuid.UUID, ctx: Context, store: StoreDep) -> Response:
    """The file the provider sent with a certificate."""
    certificate, content = await service.file_content(ctx, certificate_id, store)
    return document_response(
        content, certificate.file_content_type, f"certificate-{certificate.id}"
    )


@router.post(
    "/{certificate_id}/accept",
    responses=error_responses(
        NotFound, TransitionNotAllowed, service.CertificateExpired, VersionConflict
    ),
)
async def accept(certificate_id: uuid.UUID, body: Review, ctx: Context) -> CertificatePublic:
    """Accept a certificate (refused once it is past its two-year validity)."""
    return service.to_public(await service.review(ctx, certificate_id, body, accept=True))


@router.post(
    "/{certificate_id}/reject",
    responses=error_responses(NotFound, TransitionNotAllowed, VersionConflict, *REFUSED_INPUT),
)
async def reject(certificate_id: uuid.UUID, body: Review, ctx: Context) -> CertificatePublic:
    """Reject a certificate, saying why."""
    return service.to_public(await service.review(ctx, certificate_id, body, accept=False))


@router.post("/{certificate_id}/link", responses=error_responses(NotFound, VersionConflict))
async def link(certificate_id: uuid.UUID, body: Link, ctx: Context) -> CertificatePublic:
    """Link an unmatched certificate to an application by hand."""
    return service.to_public(await service.link(ctx, certificate_id, body))
