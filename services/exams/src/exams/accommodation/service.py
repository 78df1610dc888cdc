"""Accommodation requests: submitted before scheduling, decided by staff within their days."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from certboard_core.audit import record_audit
from certboard_core.errors import NotFound
from certboard_core.storage import (
    CheckedDocument,
    DocumentStore,
    display_name,
    files_removed_on_failure,
)
from certboard_core.versioned import Change, apply_change
from exams.accommodation.models import AccommodationRequest, AccommodationStatus
from exams.accommodation.repository import AccommodationRepository
from exams.accommodation.schemas import AccommodationPage, AccommodationPublic, Decision
from exams.authorization import rules
from exams.authorization.models import AuthorizationStatus
from exams.authorization.repository import AuthorizationRepository
from exams.context import ActionContext
from exams.errors import AccommodationPending, AlreadyScheduled, TransitionNotAllowed

ENTITY = "accommodation_request"


@dataclass(frozen=True)
class IncomingDocument:
    document: CheckedDocument
    filename: str | None


def snapshot(request: AccommodationRequest) -> dict[str, object]:
    """The audit trail's picture of a request."""
    return request.model_dump(mode="json")


def to_public(request: AccommodationRequest, today: date) -> AccommodationPublic:
    """The public shape of ``request`` as of ``today``."""
    return AccommodationPublic(
        **request.model_dump(),
        overdue=request.status is AccommodationStatus.PENDING and today > request.review_due_on,
    )


async def submit(
    ctx: ActionContext,
    authorization_id: uuid.UUID,
    description: str,
    incoming: IncomingDocument,
    store: DocumentStore,
) -> AccommodationPublic:
    """The applicant asks for an accommodation on their open, not yet scheduled authorization."""
    repository = AuthorizationRepository(ctx.session)
    authorization = await repository.get_readable(ctx.principal, authorization_id)
    if authorization is None or authorization.applicant_id != ctx.principal.subject:
        raise NotFound("no such authorization", field="authorization_id")
    attempted = authorization.id in await repository.attempts([authorization.id])
    status = rules.effective_status(
        authorization.status, authorization.valid_through, ctx.today, attempted=attempted
    )
    if status is AuthorizationStatus.SCHEDULED:
        raise AlreadyScheduled(
            "the exam is already scheduled: staff must cancel the schedule before an "
            "accommodation can be added",
            field="authorization_id",
        )
    if status is not AuthorizationStatus.GRANTED:
        raise TransitionNotAllowed(
            f"the authorization is {status.value.replace('_', ' ')}: no accommodation can be "
            "added to it",
            field="status",
        )
    if await repository.has_pending_accommodation(authorization.id):
        raise AccommodationPending(
            "an accommodation request for this authorization already awaits review",
            field="authorization_id",
        )
    async with files_removed_on_failure(store) as saved:
        key = await store.save(incoming.document.data)
        saved.append(key)
        request = AccommodationRequest(
            authorization_id=authorization.id,
            application_id=authorization.application_id,
            applicant_id=authorization.applicant_id,
            description=description,
            document_storage_key=key,
            document_content_type=incoming.document.content_type,
            document_sha256=incoming.document.sha256,
            document_name=display_name(incoming.filename) or "document",
            submitted_by=ctx.actor,
            submitted_at=ctx.now,
            submitted_on=ctx.today,
            review_due_on=ctx.today + timedelta(days=ctx.policy.accommodation_review_days),
        )
        ctx.session.add(request)
        await ctx.session.flush()
        await record_audit(
            ctx.session,
            actor=ctx.actor,
            action="accommodation_request.submitted",
            entity_type=ENTITY,
            entity_id=str(request.id),
            before=None,
            after=snapshot(request),
            at=ctx.now,
        )
    return to_public(request, ctx.today)


async def _readable(ctx: ActionContext, accommodation_id: uuid.UUID) -> AccommodationRequest:
    request = await AccommodationRepository(ctx.session).get_readable(
        ctx.principal, accommodation_id
    )
    if request is None:
        raise NotFound("no such accommodation request", field="accommodation_id")
    return request


async def read(ctx: ActionContext, accommodation_id: uuid.UUID) -> AccommodationPublic:
    """One request its applicant or staff may read."""
    return to_public(await _readable(ctx, accommodation_id), ctx.today)


async def document(
    ctx: ActionContext, accommodation_id: uuid.UUID, store: DocumentStore
) -> tuple[AccommodationRequest, bytes]:
    """A request's supporting document, for its applicant or staff."""
    request = await _readable(ctx, accommodation_id)
    return request, await store.read(request.document_storage_key)


async def decide(
    ctx: ActionContext, accommodation_id: uuid.UUID, data: Decision, *, approve: bool
) -> AccommodationPublic:
    """Staff approve or deny a pending request, with the reason recorded."""
    request = await _readable(ctx, accommodation_id)
    if request.status is not AccommodationStatus.PENDING:
        raise TransitionNotAllowed(
            f"the accommodation request is already {request.status.value}", field="status"
        )
    status = AccommodationStatus.APPROVED if approve else AccommodationStatus.DENIED
    await apply_change(
        ctx,
        request,
        expected_version=data.expected_version,
        values={
            "status": status,
            "decided_by": ctx.actor,
            "decided_at": ctx.now,
            "decision_reason": data.reason,
        },
        change=Change(action=f"accommodation_request.{status.value}", entity_type=ENTITY),
        snapshot=snapshot,
    )
    return to_public(request, ctx.today)


async def carry_accommodations(
    ctx: ActionContext, voided_id: uuid.UUID, replacement_id: uuid.UUID
) -> None:
    """Move a voided authorization's accommodation requests (pending or decided) to the one
    issued in its place: the candidate's needs did not change with the authorization."""
    for request in await AccommodationRepository(ctx.session).of_authorization(voided_id):
        await apply_change(
            ctx,
            request,
            expected_version=request.version,
            values={"authorization_id": replacement_id},
            change=Change(action="accommodation_request.carried_over", entity_type=ENTITY),
            snapshot=snapshot,
        )


async def pending_queue(ctx: ActionContext, *, after: str | None, limit: int) -> AccommodationPage:
    """Requests awaiting review, earliest review day first, with the breach count."""
    repository = AccommodationRepository(ctx.session)
    page = await repository.pending(after=after, limit=limit)
    return AccommodationPage(
        items=[to_public(r, ctx.today) for r in page.items],
        next_cursor=page.next_cursor,
        breaches=await repository.breaches(ctx.today),
    )
