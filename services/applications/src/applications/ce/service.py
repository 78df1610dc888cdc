"""The CE ledger's decisions: self-reports, staff verification, and reading records."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from applications.ce import events
from applications.ce.hours import as_hours
from applications.ce.models import CeRecord, CeRecordStatus, CeSource, snapshot
from applications.ce.repository import CeRepository, Counts
from applications.ce.schemas import CeRecordPage, CeRecordPublic, CeReview
from applications.certification.models import Certification
from applications.context import ActionContext
from applications.errors import TransitionNotAllowed
from applications.provider.service import readable_provider
from applications.renewal.ce_rules import CeCategory
from certboard_core.audit import record_audit
from certboard_core.errors import InvalidInput, NotFound
from certboard_core.pagination import Page
from certboard_core.storage import CheckedDocument, DocumentStore, files_removed_on_failure
from certboard_core.versioned import Change, apply_change


class CompletionInFuture(InvalidInput):
    code = "CE_COMPLETION_IN_FUTURE"


class CompletedBeforeCertification(InvalidInput):
    code = "CE_COMPLETED_BEFORE_CERTIFICATION"


@dataclass(frozen=True)
class Completion:
    """What a person reports of one completion (its proof travels beside it)."""

    course_title: str
    provider_name: str
    hours: int
    category: CeCategory
    completed_on: date


@dataclass(frozen=True)
class Proof:
    """The checked document of a self-report and the name it was sent under."""

    document: CheckedDocument
    name: str | None


def to_public(record: CeRecord) -> CeRecordPublic:
    """A record as the API shows it: hours exact, and whether a document is kept."""
    return CeRecordPublic(
        **{**record.model_dump(), "hours": as_hours(record.hours)},
        hours_hundredths=record.hours,
        has_document=record.document_storage_key is not None,
    )


def to_page(page: Page[CeRecord]) -> CeRecordPage:
    """A page of records as the API shows it."""
    public = page.map(to_public)
    return CeRecordPage(items=public.items, next_cursor=public.next_cursor)


async def _certification(ctx: ActionContext, certification_id: uuid.UUID) -> Certification:
    found = await CeRepository(ctx.session).readable_certification(ctx.principal, certification_id)
    if found is None:
        raise NotFound("no such certification", field="certification_id")
    return found


async def _record(ctx: ActionContext, record_id: uuid.UUID) -> CeRecord:
    found = await CeRepository(ctx.session).readable_one(ctx.principal, record_id)
    if found is None:
        raise NotFound("no such CE record", field="record_id")
    return found


async def self_report(
    ctx: ActionContext,
    certification_id: uuid.UUID,
    completion: Completion,
    proof: Proof,
    store: DocumentStore,
) -> CeRecord:
    """The holder reports a completion with its proof; it counts once staff verify it."""
    certification = await _certification(ctx, certification_id)
    if completion.completed_on > ctx.today:
        raise CompletionInFuture("the completion date is in the future", field="completed_on")
    if completion.completed_on < certification.issued_on:
        raise CompletedBeforeCertification(
            f"completed before the certification was issued on "
            f"{certification.issued_on.isoformat()}",
            field="completed_on",
        )
    async with files_removed_on_failure(store) as saved:
        key = await store.save(proof.document.data)
        saved.append(key)
        record = CeRecord(
            certification_id=certification.id,
            applicant_id=certification.applicant_id,
            source=CeSource.SELF_REPORTED,
            course_title=completion.course_title,
            provider_name=completion.provider_name,
            hours=completion.hours,
            category=completion.category,
            completed_on=completion.completed_on,
            received_at=ctx.now,
            status=CeRecordStatus.PENDING_VERIFICATION,
            document_storage_key=key,
            document_content_type=proof.document.content_type,
            document_sha256=proof.document.sha256,
            document_name=proof.name,
        )
        await CeRepository(ctx.session).insert(record)
        await record_audit(
            ctx.session,
            actor=ctx.actor,
            action="ce.self_reported",
            entity_type=events.ENTITY,
            entity_id=str(record.id),
            before=None,
            after=snapshot(record),
            at=ctx.now,
        )
    return record


async def review(
    ctx: ActionContext, record_id: uuid.UUID, data: CeReview, *, accept: bool
) -> CeRecord:
    """Staff verify a self-report (it counts from then on) or reject it, saying why."""
    record = await _record(ctx, record_id)
    if record.status is not CeRecordStatus.PENDING_VERIFICATION:
        raise TransitionNotAllowed.naming_state(
            f"{'accept' if accept else 'reject'} a CE record",
            record.status,
            [CeRecordStatus.PENDING_VERIFICATION.value],
        )
    if not accept and not (data.reason and data.reason.strip()):
        raise InvalidInput("say why the CE record is rejected", field="reason")
    status = CeRecordStatus.ACCEPTED if accept else CeRecordStatus.REJECTED
    # Only an accepted record counts toward a requirement: only it is announced.
    event = events.recorded(record.model_dump()) if accept else None
    return await apply_change(
        ctx,
        record,
        expected_version=data.expected_version,
        values={
            "status": status,
            "reviewed_by": ctx.actor,
            "reviewed_at": ctx.now,
            "review_reason": data.reason,
        },
        change=Change(
            f"ce.record_{status.value}",
            events.ENTITY,
            event_type=event.type if event else None,
            event_payload=event.payload if event else {},
        ),
        snapshot=snapshot,
    )


async def records_of(ctx: ActionContext, certification_id: uuid.UUID) -> list[CeRecord]:
    """Every record of a certification the caller may read, by completion day."""
    certification = await _certification(ctx, certification_id)
    return await CeRepository(ctx.session).readable_records(ctx.principal, [certification.id])


async def records_among(
    ctx: ActionContext, certification_ids: Collection[uuid.UUID]
) -> list[CeRecord]:
    """The records of those certifications the caller may read (others' are simply absent)."""
    return await CeRepository(ctx.session).readable_records(ctx.principal, certification_ids)


async def verification_queue(
    ctx: ActionContext, *, after: str | None, limit: int
) -> Page[CeRecord]:
    """Self-reports waiting for staff, oldest first."""
    return await CeRepository(ctx.session).verification_queue(
        ctx.principal, after=after, limit=limit
    )


async def reported_by(
    ctx: ActionContext, provider_id: uuid.UUID, *, after: str | None, limit: int
) -> Page[CeRecord]:
    """What a provider reported, in the order received: for staff, or that provider."""
    provider = await readable_provider(ctx, provider_id)
    return await CeRepository(ctx.session).reported_by(
        ctx.principal, provider.id, after=after, limit=limit
    )


async def counts(ctx: ActionContext) -> Counts:
    """How many self-reports wait, and since when the oldest."""
    return await CeRepository(ctx.session).counts(ctx.principal)


async def document_content(
    ctx: ActionContext, record_id: uuid.UUID, store: DocumentStore
) -> tuple[CeRecord, bytes]:
    """A record's proof, for its holder or staff."""
    record = await _record(ctx, record_id)
    if record.document_storage_key is None:
        raise NotFound("the CE record has no document", field="record_id")
    return record, await store.read(record.document_storage_key)
