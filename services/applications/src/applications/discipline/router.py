"""HTTP endpoints of complaints and discipline: filing (anyone), staff's queue and decisions,
the holder's decisions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Response, status

from applications.ce.service import Proof
from applications.certification.repository import CertificationRepository, StandingRepository
from applications.certification.service import CertificateNumberUnknown
from applications.certification.standing import discipline_bars
from applications.deps import READERS, STAFF_ONLY, Context, PublicContext, SettingsDep, StoreDep
from applications.discipline import service
from applications.discipline.models import Complaint
from applications.discipline.repository import ComplaintRepository
from applications.discipline.rules import ComplaintStatus
from applications.discipline.schemas import (
    AttachmentPublic,
    ComplaintForm,
    ComplaintPage,
    ComplaintPublic,
    ComplaintReceipt,
    DecisionPublic,
    DecisionRequest,
    DisciplineBars,
    Investigation,
)
from applications.errors import TransitionNotAllowed
from certboard_core.auth import Role, require_roles
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    RateLimited,
    ValidationFailed,
    error_responses,
)
from certboard_core.ratelimit import PER_CLIENT
from certboard_core.storage import (
    DOCUMENT_CONTENT,
    DOCUMENT_ERRORS,
    check_document,
    display_name,
    document_response,
    read_limited,
)
from certboard_core.versioned import VersionConflict

router = APIRouter(tags=["discipline"])
# Other services ask on their own identity before a person may enter something (supervision
# before an agreement); staff may ask the same.
internal = APIRouter(
    prefix="/internal/discipline",
    tags=["internal"],
    dependencies=[Depends(require_roles(Role.SERVICE, Role.STAFF))],
    responses=error_responses(*AUTHENTICATED),
)
COMPLAINTS = "/v1/complaints"


async def _public(repository: ComplaintRepository, complaint: Complaint) -> ComplaintPublic:
    attachments = [
        AttachmentPublic.model_validate(a, from_attributes=True)
        for a in await repository.attachments(complaint.id)
    ]
    return ComplaintPublic.model_validate(complaint.model_dump() | {"attachments": attachments})


@router.post(
    COMPLAINTS,
    status_code=status.HTTP_201_CREATED,
    # Counted per client whatever the token: filing needs none, so a token buys no way round.
    dependencies=[PER_CLIENT],
    responses=error_responses(
        RateLimited, CertificateNumberUnknown, ValidationFailed, *DOCUMENT_ERRORS
    ),
)
async def file_complaint(
    form: Annotated[ComplaintForm, Form(media_type="multipart/form-data")],
    ctx: PublicContext,
    store: StoreDep,
    settings: SettingsDep,
) -> ComplaintReceipt:
    """Anyone, signed in or not: a complaint against a certified person, by certificate number,
    with optional attachments (JPEG or PDF, checked by content)."""
    proofs = []
    for upload in form.attachments:
        data = await read_limited(upload, max_bytes=settings.max_document_bytes)
        document = check_document(data, field="attachments", max_bytes=settings.max_document_bytes)
        proofs.append(Proof(document, display_name(upload.filename)))
    complaint = await service.file_complaint(
        ctx,
        number=form.certificate_number,
        description=form.description,
        name=form.complainant_name,
        email=str(form.complainant_email) if form.complainant_email else None,
        proofs=proofs,
        store=store,
    )
    return ComplaintReceipt(reference=complaint.id, received_at=complaint.received_at)


@router.get(
    COMPLAINTS, dependencies=STAFF_ONLY, responses=error_responses(*AUTHENTICATED, InvalidInput)
)
async def complaint_queue(
    ctx: Context,
    decided: Annotated[bool, Query(description="decided ones instead of the open queue")] = False,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ComplaintPage:
    """Staff: complaints oldest first: the open queue (received, investigating), or decided."""
    repository = ComplaintRepository(ctx.session)
    statuses = [ComplaintStatus.DECIDED] if decided else list(service.OPEN)
    page = await repository.queue(statuses, after=after, limit=limit)
    counts = await repository.open_counts()
    return ComplaintPage(
        items=[await _public(repository, c) for c in page.items],
        next_cursor=page.next_cursor,
        received=counts[ComplaintStatus.RECEIVED],
        investigating=counts[ComplaintStatus.INVESTIGATING],
    )


@router.get(
    f"{COMPLAINTS}/{{complaint_id}}",
    dependencies=STAFF_ONLY,
    responses=error_responses(*AUTHENTICATED, NotFound),
)
async def read_complaint(complaint_id: uuid.UUID, ctx: Context) -> ComplaintPublic:
    """Staff: one complaint with its attachments."""
    return await _public(
        ComplaintRepository(ctx.session), await service.complaint(ctx, complaint_id)
    )


@router.get(
    f"{COMPLAINTS}/{{complaint_id}}/attachments/{{attachment_id}}",
    dependencies=STAFF_ONLY,
    response_class=Response,
    responses={
        **DOCUMENT_CONTENT,
        **error_responses(*AUTHENTICATED, NotFound),
    },
)
async def read_attachment(
    complaint_id: uuid.UUID, attachment_id: uuid.UUID, ctx: Context, store: StoreDep
) -> Response:
    """Staff: one file sent with a complaint."""
    attachment, content = await service.attachment_content(ctx, complaint_id, attachment_id, store)
    return document_response(content, attachment.content_type, f"complaint-{attachment.id}")


@router.post(
    f"{COMPLAINTS}/{{complaint_id}}/investigation",
    dependencies=STAFF_ONLY,
    responses=error_responses(*AUTHENTICATED, NotFound, TransitionNotAllowed, VersionConflict),
)
async def take_up(complaint_id: uuid.UUID, body: Investigation, ctx: Context) -> ComplaintPublic:
    """Staff: start investigating a received complaint."""
    taken = await service.take_up(ctx, complaint_id, body)
    return await _public(ComplaintRepository(ctx.session), taken)


@router.post(
    f"{COMPLAINTS}/{{complaint_id}}/decision",
    dependencies=STAFF_ONLY,
    responses=error_responses(
        *AUTHENTICATED, NotFound, TransitionNotAllowed, VersionConflict, InvalidInput
    ),
)
async def decide(complaint_id: uuid.UUID, body: DecisionRequest, ctx: Context) -> ComplaintPublic:
    """Staff: dismissed, letter of warning, probation (conditions, end date), suspension (its
    last day), revocation or voluntary surrender; the effect applies at once, the holder is
    told, the appeal window is recorded."""
    decided = await service.decide(ctx, complaint_id, body)
    return await _public(ComplaintRepository(ctx.session), decided)


@router.get(
    "/v1/certifications/{certification_id}/discipline",
    dependencies=READERS,
    responses=error_responses(*AUTHENTICATED, NotFound),
)
async def decisions(certification_id: uuid.UUID, ctx: Context) -> list[DecisionPublic]:
    """The decisions about a certification: its holder's, or staff's (never who complained)."""
    certification = await CertificationRepository(ctx.session).readable(
        ctx.principal, certification_id
    )
    if certification is None:
        raise NotFound("no such certification", field="certification_id")
    found = await ComplaintRepository(ctx.session).decisions([certification.id], public_only=False)
    return [service.decision_public(d, ctx.today) for d in found]


@internal.get("/bars")
async def bars(
    ctx: Context,
    applicant_id: Annotated[str, Query(min_length=1, max_length=200)],
) -> DisciplineBars:
    """Whether discipline bars the person today (a suspension through its last day, a
    revocation, a surrender), and each reason."""
    disciplined = await StandingRepository(ctx.session).disciplined([applicant_id])
    reasons = discipline_bars(disciplined.get(applicant_id, []), ctx.today)
    return DisciplineBars(applicant_id=applicant_id, barred=bool(reasons), reasons=reasons)
