"""HTTP endpoints of CE audits: staff's draws, queue and findings; the holder's proof."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Response, status

from applications.ce.service import Proof
from applications.ce_audit import service
from applications.ce_audit.models import CeAudit
from applications.ce_audit.repository import AuditRepository
from applications.ce_audit.rules import overdue
from applications.ce_audit.schemas import (
    AuditCounts,
    AuditDecision,
    AuditPage,
    AuditPublic,
    DrawPublic,
    DrawRequest,
    ProofUpload,
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

router = APIRouter(
    prefix="/v1/ce-audits", tags=["CE audits"], responses=error_responses(*AUTHENTICATED)
)
One = Annotated[uuid.UUID, "the audit's id"]


def public(audit: CeAudit, ctx: Context) -> AuditPublic:
    late = overdue(audit.status, audit.proof_due_on, audit.cure_due_on, ctx.today)
    return AuditPublic.model_validate(audit.model_dump() | {"overdue": late})


@router.post(
    "/draws",
    status_code=status.HTTP_201_CREATED,
    dependencies=STAFF_ONLY,
    responses=error_responses(service.AuditPeriodOpen, InvalidInput, ValidationFailed),
)
async def draw(body: DrawRequest, ctx: Context) -> DrawPublic:
    """Draw the policy's share of the renewals of periods that ended in a span, once those
    renewals have closed; the seed is recorded (and may be given, to repeat a draw)."""
    made, audits = await service.draw(ctx, body)
    return DrawPublic.model_validate(
        made.model_dump() | {"audits": [public(a, ctx) for a in audits]}
    )


@router.get("", dependencies=READERS, responses=error_responses(InvalidInput))
async def list_audits(
    ctx: Context,
    open_only: Annotated[bool, Query(description="only those not yet closed")] = False,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AuditPage:
    """Audits by the day their current step is due: staff all (the queue), a holder theirs."""
    page = await AuditRepository(ctx.session).page(
        ctx.principal, open_only=open_only, after=after, limit=limit
    )
    return AuditPage(items=[public(a, ctx) for a in page.items], next_cursor=page.next_cursor)


@router.get("/counts", dependencies=STAFF_ONLY)
async def counts(ctx: Context) -> AuditCounts:
    """How many audits wait on proof, on review, in a cure period or referred; how many the
    holder let pass; the earliest day due."""
    return AuditCounts.model_validate(await AuditRepository(ctx.session).counts(ctx.today))


@router.get("/{audit_id:uuid}", dependencies=READERS, responses=error_responses(NotFound))
async def read_audit(audit_id: uuid.UUID, ctx: Context) -> AuditPublic:
    """One audit: its holder's, or any for staff."""
    return public(await service.readable(ctx, audit_id), ctx)


@router.post(
    "/{audit_id:uuid}/proof",
    dependencies=APPLICANT_ONLY,
    responses=error_responses(NotFound, TransitionNotAllowed, VersionConflict, *DOCUMENT_ERRORS),
)
async def submit_proof(
    audit_id: uuid.UUID,
    form: Annotated[ProofUpload, Form(media_type="multipart/form-data")],
    ctx: Context,
    store: StoreDep,
    settings: SettingsDep,
) -> AuditPublic:
    """The holder sends proof of the CE hours attested (JPEG or PDF) for staff to review."""
    data = await read_limited(form.document, max_bytes=settings.max_document_bytes)
    document = check_document(data, field="document", max_bytes=settings.max_document_bytes)
    proof = Proof(document, display_name(form.document.filename))
    return public(await service.submit_proof(ctx, audit_id, proof, store), ctx)


@router.get(
    "/{audit_id:uuid}/proof",
    dependencies=READERS,
    response_class=Response,
    responses={
        **DOCUMENT_CONTENT,
        **error_responses(NotFound),
    },
)
async def read_proof(audit_id: uuid.UUID, ctx: Context, store: StoreDep) -> Response:
    """The proof sent for an audit, for its holder or staff only."""
    audit, content = await service.proof_content(ctx, audit_id, store)
    return document_response(content, audit.proof_content_type, f"ce-audit-{audit.id}")


@router.post(
    "/{audit_id:uuid}/decision",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, TransitionNotAllowed, VersionConflict, ValidationFailed),
)
async def decide(audit_id: uuid.UUID, body: AuditDecision, ctx: Context) -> AuditPublic:
    """Staff's finding on the proof: accepted, deficient (one cure period, then referred) or
    referred once the holder let the day pass."""
    return public(await service.decide(ctx, audit_id, body), ctx)
