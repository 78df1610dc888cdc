"""Staff endpoints for certificates: the review queue, unmatched ones, decisions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import col, select

from applications.certificate import service
from applications.certificate.models import TrainingCertificate
from applications.certificate.repository import (
    CertificateRepository,
    pending_review,
    review_breaches,
)
from applications.certificate.schemas import CertificatePage, CertificatePublic, Link, Review
from applications.deps import STAFF_ONLY, Context
from certboard_core.errors import ERROR_RESPONSES
from certboard_core.pagination import decode_cursor, encode_cursor

router = APIRouter(
    prefix="/v1/certificates",
    tags=["certificates"],
    responses=ERROR_RESPONSES,
    dependencies=STAFF_ONLY,
)
C = TrainingCertificate


class CertificateCounts(BaseModel):
    pending_review: int
    breaches: int
    unmatched: int


@router.get("/summary")
async def summary(ctx: Context) -> CertificateCounts:
    """How many wait for review, how many missed the 14-day review, how many are unmatched."""

    async def count(*where: Any) -> int:
        total = await ctx.session.exec(select(func.count()).select_from(C).where(*where))
        return int(total.one())

    return CertificateCounts(
        pending_review=await count(*pending_review()),
        breaches=await count(*review_breaches(ctx.today)),
        unmatched=await count(col(C.application_id).is_(None)),
    )


@router.get("/review-queue")
async def review_queue(
    ctx: Context,
    breaches_only: bool = False,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CertificatePage:
    """Certificates waiting for review, earliest review day first."""
    where = pending_review()
    if breaches_only:
        where.append(col(C.review_due_on) < ctx.today)
    rows = await CertificateRepository(ctx.session).page(
        where=where,
        order=col(C.review_due_on),
        after=decode_cursor(after, date, uuid.UUID) if after else None,
        limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    return CertificatePage(
        items=[service.to_public(c) for c in page],
        next_cursor=encode_cursor(page[-1].review_due_on, page[-1].id) if more and page else None,
    )


@router.get("/unmatched")
async def unmatched(
    ctx: Context,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CertificatePage:
    """Certificates not yet linked to an application, oldest first."""
    rows = await CertificateRepository(ctx.session).page(
        where=[col(C.application_id).is_(None)],
        order=col(C.received_at),
        after=decode_cursor(after, datetime, uuid.UUID) if after else None,
        limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    return CertificatePage(
        items=[service.to_public(c) for c in page],
        next_cursor=encode_cursor(page[-1].received_at, page[-1].id) if more and page else None,
    )


@router.post("/{certificate_id}/accept")
async def accept(certificate_id: uuid.UUID, body: Review, ctx: Context) -> CertificatePublic:
    """Accept a certificate (refused once it is past its two-year validity)."""
    return service.to_public(await service.review(ctx, certificate_id, body, accept=True))


@router.post("/{certificate_id}/reject")
async def reject(certificate_id: uuid.UUID, body: Review, ctx: Context) -> CertificatePublic:
    """Reject a certificate, saying why."""
    return service.to_public(await service.review(ctx, certificate_id, body, accept=False))


@router.post("/{certificate_id}/link")
async def link(certificate_id: uuid.UUID, body: Link, ctx: Context) -> CertificatePublic:
    """Link an unmatched certificate to an application by hand."""
    return service.to_public(await service.link(ctx, certificate_id, body))
