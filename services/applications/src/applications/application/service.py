"""Decisions about applications; the request's session commits what these functions flush."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.application.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
)
from applications.application.repository import ApplicationRepository, decode_cursor, encode_cursor
from applications.application.schemas import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationPublic,
    DocumentPublic,
)
from applications.errors import ApplicantTooYoung, AttestationMissing
from applications.policy import ApplicationPolicy
from applications.storage import CheckedDocument, DocumentStore
from certboard_core.audit import record_audit
from certboard_core.auth import Principal, Role
from certboard_core.clock import Clock
from certboard_core.errors import Forbidden, NotFound
from certboard_core.outbox import Outbox


@dataclass(frozen=True)
class IncomingDocument:
    kind: DocumentKind
    document: CheckedDocument
    filename: str | None


def _check_attestations(data: ApplicationCreate, policy: ApplicationPolicy, today: date) -> None:
    if not data.code_of_ethics_agreed:
        raise AttestationMissing(
            "the Code of Ethics must be agreed to in writing", field="code_of_ethics_agreed"
        )
    if not data.willing_to_share_experience:
        raise AttestationMissing(
            "applicants must be willing to share their lived experience of recovery",
            field="willing_to_share_experience",
        )
    if data.date_of_birth > today:
        raise ApplicantTooYoung("the date of birth is in the future", field="date_of_birth")
    if not rules.is_old_enough(data.date_of_birth, today, policy):
        raise ApplicantTooYoung(
            f"applicants must be at least {policy.min_applicant_age_years} years old",
            field="date_of_birth",
        )


def to_public(
    application: Application,
    documents: list[ApplicationDocument],
    *,
    today: date,
) -> ApplicationPublic:
    return ApplicationPublic(
        **application.model_dump(),
        first_notification_days_left=rules.days_left(application.first_notification_due_on, today),
        documents=[DocumentPublic(**d.model_dump()) for d in documents],
    )


async def submit_application(
    session: AsyncSession,
    *,
    principal: Principal,
    data: ApplicationCreate,
    documents: list[IncomingDocument],
    clock: Clock,
    policy: ApplicationPolicy,
    store: DocumentStore,
    outbox: Outbox,
) -> ApplicationPublic:
    """Record a complete application with its documents, audited and published."""
    now = clock.now()
    today = rules.local_date(now, policy)
    _check_attestations(data, policy, today)
    repository = ApplicationRepository(session)
    application = Application(
        **data.model_dump(),
        applicant_id=principal.subject,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=now,
        submitted_on=today,
        first_notification_due_on=rules.first_notification_due(now, policy),
    )
    repository.add(application)
    await session.flush()
    rows: list[ApplicationDocument] = []
    saved: list[str] = []
    try:
        for incoming in documents:
            key = await store.save(incoming.document.data)
            saved.append(key)
            row = ApplicationDocument(
                application_id=application.id,
                kind=incoming.kind,
                content_type=incoming.document.content_type,
                size_bytes=len(incoming.document.data),
                sha256=incoming.document.sha256,
                storage_key=key,
                original_filename=incoming.filename,
                uploaded_at=now,
            )
            repository.add(row)
            rows.append(row)
        public = to_public(application, rows, today=today)
        snapshot = public.model_dump(mode="json", exclude={"first_notification_days_left"})
        await record_audit(
            session,
            actor=principal.actor,
            action="application.submitted",
            entity_type="application",
            entity_id=str(application.id),
            before=None,
            after=snapshot,
            at=now,
        )
        await outbox.publish(
            session,
            type="application.submitted",
            aggregate_type="application",
            aggregate_id=str(application.id),
            payload={
                "application_id": str(application.id),
                "applicant_id": application.applicant_id,
                "submitted_on": today.isoformat(),
                "first_notification_due_on": application.first_notification_due_on.isoformat(),
            },
            at=now,
        )
        await session.flush()
    except BaseException:
        # The rows roll back with the request; files written for them must go too.
        for key in saved:
            await store.discard(key)
        raise
    return public


def _visible_to(principal: Principal, application: Application) -> bool:
    return principal.has(Role.STAFF) or (
        principal.has(Role.APPLICANT) and application.applicant_id == principal.subject
    )


async def get_application(
    session: AsyncSession,
    *,
    principal: Principal,
    application_id: uuid.UUID,
    clock: Clock,
    policy: ApplicationPolicy,
) -> ApplicationPublic:
    """One application, for its applicant or staff; anyone else is told it does not exist."""
    repository = ApplicationRepository(session)
    application = await repository.get(application_id)
    if application is None or not _visible_to(principal, application):
        raise NotFound("no such application", field="id")
    documents = await repository.documents_for([application.id])
    return to_public(
        application, documents[application.id], today=rules.local_date(clock.now(), policy)
    )


async def list_applications(
    session: AsyncSession,
    *,
    principal: Principal,
    status: ApplicationStatus | None,
    ids: list[uuid.UUID] | None,
    after: str | None,
    limit: int,
    clock: Clock,
    policy: ApplicationPolicy,
) -> ApplicationPage:
    """Staff see every application; an applicant sees their own."""
    if principal.has(Role.STAFF):
        applicant_id = None
    elif principal.has(Role.APPLICANT):
        applicant_id = principal.subject
    else:
        raise Forbidden("only staff and applicants list applications")
    repository = ApplicationRepository(session)
    rows = await repository.page(
        applicant_id=applicant_id,
        status=status,
        ids=ids,
        after=decode_cursor(after) if after else None,
        limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    documents = await repository.documents_for([a.id for a in page])
    today = rules.local_date(clock.now(), policy)
    return ApplicationPage(
        items=[to_public(a, documents[a.id], today=today) for a in page],
        next_cursor=encode_cursor(page[-1]) if more and page else None,
    )


async def get_document_content(
    session: AsyncSession,
    *,
    principal: Principal,
    application_id: uuid.UUID,
    document_id: uuid.UUID,
    store: DocumentStore,
) -> tuple[ApplicationDocument, bytes]:
    """A document's bytes, for the application's applicant or staff only."""
    repository = ApplicationRepository(session)
    application = await repository.get(application_id)
    if application is None or not _visible_to(principal, application):
        raise NotFound("no such document", field="document_id")
    document = await repository.get_document(application_id, document_id)
    if document is None:
        raise NotFound("no such document", field="document_id")
    return document, await store.read(document.storage_key)
