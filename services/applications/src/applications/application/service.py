"""Submitting and reading applications; the request's session commits what these flush."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from applications import rules
from applications.application.lifecycle import ApplicationStatus
from applications.application.models import (
    Application,
    ApplicationDocument,
    DocumentKind,
    snapshot,
)
from applications.application.repository import ApplicationRepository
from applications.application.schemas import ApplicationCreate, ApplicationPage, ApplicationPublic
from applications.application.transitions import load
from applications.application.views import status_of, to_public, to_summary
from applications.certificate.repository import CertificateRepository
from applications.context import ActionContext
from applications.errors import (
    ApplicantTooYoung,
    AttestationMissing,
    OpenApplicationExists,
    TransitionNotAllowed,
)
from applications.policy import ApplicationPolicy
from certboard_core.audit import record_audit
from certboard_core.errors import NotFound
from certboard_core.storage import (
    CheckedDocument,
    DocumentStore,
    display_name,
    files_removed_on_failure,
)


@dataclass(frozen=True)
class IncomingDocument:
    kind: DocumentKind
    document: CheckedDocument
    filename: str | None


def _check_attestations(data: ApplicationCreate, policy: ApplicationPolicy, today: date) -> None:
    required: list[tuple[str, bool | None, str]] = [
        (
            "code_of_ethics_agreed",
            data.code_of_ethics_agreed,
            "the Code of Ethics must be agreed to in writing",
        ),
        (
            "willing_to_share_experience",
            data.willing_to_share_experience,
            "applicants must be willing to share their lived experience of recovery",
        ),
    ]
    if policy.requires_recovery_attestations:
        required += [
            (
                "recovery_two_years_attested",
                data.recovery_two_years_attested,
                "this board requires two years in recovery, attested",
            ),
            (
                "diagnosis_treatment_attested",
                data.diagnosis_treatment_attested,
                "this board requires the attestation of diagnosis, treatment and recovery",
            ),
        ]
    for field, value, message in required:
        if not value:
            raise AttestationMissing(message, field=field)
    if data.date_of_birth > today:
        raise ApplicantTooYoung("the date of birth is in the future", field="date_of_birth")
    if not rules.is_old_enough(data.date_of_birth, today, policy):
        raise ApplicantTooYoung(
            f"applicants must be at least {policy.min_applicant_age_years} years old",
            field="date_of_birth",
        )


async def _store_documents(
    ctx: ActionContext,
    application: Application,
    documents: list[IncomingDocument],
    store: DocumentStore,
    saved: list[str],
) -> None:
    """Save each file and its row, noting every key in ``saved`` as soon as it exists."""
    repository = ApplicationRepository(ctx.session)
    for incoming in documents:
        key = await store.save(incoming.document.data)
        saved.append(key)
        repository.add(
            ApplicationDocument(
                application_id=application.id,
                kind=incoming.kind,
                version=await repository.next_document_version(application.id, incoming.kind),
                content_type=incoming.document.content_type,
                size_bytes=len(incoming.document.data),
                sha256=incoming.document.sha256,
                storage_key=key,
                original_filename=display_name(incoming.filename),
                uploaded_at=ctx.now,
                uploaded_by=ctx.actor,
            )
        )
        await ctx.session.flush()


async def _refuse_a_second_open(ctx: ActionContext) -> None:
    """A person has at most one open application (domain.md §Application 1): as of today, so
    one void by its deadline frees the person before the sweep has written it."""
    repository = ApplicationRepository(ctx.session)
    await repository.lock_applicant(ctx.principal.subject)
    earlier = await repository.open_of(ctx.principal.subject, ctx.today)
    if earlier is not None:
        status = status_of(earlier, ctx.today).value.replace("_", " ")
        raise OpenApplicationExists(
            f"application {earlier.id} is still open ({status}): a new one can be submitted "
            "once it is void, denied, withdrawn or expired",
            field="application_id",
        )


async def submit_application(
    ctx: ActionContext,
    *,
    data: ApplicationCreate,
    documents: list[IncomingDocument],
    store: DocumentStore,
) -> ApplicationPublic:
    """Record a complete application with its documents, audited and published."""
    _check_attestations(data, ctx.policy, ctx.today)
    await _refuse_a_second_open(ctx)
    application = Application(
        **data.model_dump(),
        applicant_id=ctx.principal.subject,
        status=ApplicationStatus.SUBMITTED,
        submitted_at=ctx.now,
        submitted_on=ctx.today,
        first_notification_due_on=rules.first_notification_due(ctx.now, ctx.policy),
        last_day_to_complete=rules.last_day_to_complete(ctx.now, ctx.policy),
    )
    ApplicationRepository(ctx.session).add(application)
    await ctx.session.flush()
    await CertificateRepository(ctx.session).match_new_application(application, ctx.now)
    async with files_removed_on_failure(store) as saved:
        await _store_documents(ctx, application, documents, store, saved)
        await record_audit(
            ctx.session,
            actor=ctx.actor,
            action="application.submitted",
            entity_type="application",
            entity_id=str(application.id),
            before=None,
            after=snapshot(application),
            at=ctx.now,
        )
        await ctx.outbox.publish(
            ctx.session,
            type="application.submitted",
            aggregate_type="application",
            aggregate_id=str(application.id),
            payload={
                "application_id": str(application.id),
                "applicant_id": application.applicant_id,
                "email": application.email,
                "date_of_birth": application.date_of_birth.isoformat(),
                "submitted_on": ctx.today.isoformat(),
                "first_notification_due_on": application.first_notification_due_on.isoformat(),
            },
            at=ctx.now,
        )
        return await read_application(ctx, application.id)


async def add_documents(
    ctx: ActionContext,
    application_id: uuid.UUID,
    documents: list[IncomingDocument],
    store: DocumentStore,
) -> ApplicationPublic:
    """During a revision the applicant adds or replaces documents; every version is kept."""
    application = await load(ctx, application_id)
    if application.applicant_id != ctx.principal.subject:
        raise NotFound("no such application", field="application_id")
    status = status_of(application, ctx.today)
    if status is not ApplicationStatus.INCOMPLETE:
        # Documents change only while a revision is requested (the lifecycle's incomplete).
        raise TransitionNotAllowed.naming_state(
            "add documents to an application", status, [ApplicationStatus.INCOMPLETE.value]
        )
    async with files_removed_on_failure(store) as saved:
        await _store_documents(ctx, application, documents, store, saved)
        await record_audit(
            ctx.session,
            actor=ctx.actor,
            action="application.documents_added",
            entity_type="application",
            entity_id=str(application.id),
            before=None,
            after={"documents": [d.kind.value for d in documents]},
            at=ctx.now,
        )
        return await read_application(ctx, application.id)


async def read_applications(
    ctx: ActionContext, application_ids: Sequence[uuid.UUID]
) -> list[ApplicationPublic]:
    """The whole status views of those of ``application_ids`` the caller may read, in the order
    asked (each once): one statement, however many applications."""
    wanted = list(dict.fromkeys(application_ids))
    found = await ApplicationRepository(ctx.session).status_rows(ctx.principal, wanted)
    return [to_public(found[i], today=ctx.today, policy=ctx.policy) for i in wanted if i in found]


async def read_application(ctx: ActionContext, application_id: uuid.UUID) -> ApplicationPublic:
    """The whole status view, for its applicant or staff; anyone else is told nothing exists."""
    views = await read_applications(ctx, [application_id])
    if not views:
        raise NotFound("no such application", field="application_id")
    return views[0]


async def my_applications(ctx: ActionContext, limit: int) -> list[ApplicationPublic]:
    """The caller's own applications (at most ``limit``, oldest first) as whole status views:
    two statements, however many."""
    page = await ApplicationRepository(ctx.session).page(
        ctx.principal, status=None, ids=None, after=None, limit=limit, today=ctx.today
    )
    return await read_applications(ctx, [a.id for a in page.items])


async def list_applications(
    ctx: ActionContext,
    *,
    status: ApplicationStatus | None,
    ids: list[uuid.UUID] | None,
    after: str | None,
    limit: int,
) -> ApplicationPage:
    """Staff see every application; an applicant sees their own."""
    page = await ApplicationRepository(ctx.session).page(
        ctx.principal, status=status, ids=ids, after=after, limit=limit, today=ctx.today
    )
    summaries = page.map(lambda a: to_summary(a, today=ctx.today, policy=ctx.policy))
    return ApplicationPage(items=summaries.items, next_cursor=summaries.next_cursor)


async def document_content(
    ctx: ActionContext, application_id: uuid.UUID, document_id: uuid.UUID, store: DocumentStore
) -> tuple[ApplicationDocument, bytes]:
    """A document's bytes, for the application's applicant or staff only."""
    try:
        application = await load(ctx, application_id)
    except NotFound as exc:
        raise NotFound("no such document", field="document_id") from exc
    document = await ApplicationRepository(ctx.session).get_document(application.id, document_id)
    if document is None:
        raise NotFound("no such document", field="document_id")
    return document, await store.read(document.storage_key)
