"""Receiving a provider's CE batch: rows checked, the good ones stored set-wise (accepted on
arrival: the course is approved), each row told what became of it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from applications.ce import events
from applications.ce.intake import Candidate, Ready, check_row, find_holder, rejected
from applications.ce.models import CeRecord, CeRecordStatus, CeSource, snapshot
from applications.ce.repository import CeRepository
from applications.ce.schemas import CeBatchCounts, CeOutcome, CeRowResult, CeUploadResult
from applications.context import ActionContext
from applications.provider.models import ProviderStatus, TrainingProvider
from applications.provider.service import readable_provider
from certboard_core.audit import AuditEntry, record_audits
from certboard_core.ids import new_id


async def receive_batch(
    ctx: ActionContext, *, provider_id: uuid.UUID, rows: list[dict[str, Any]]
) -> CeUploadResult:
    """Check every row, store the good ones set-wise, and say what became of each."""
    provider = await readable_provider(ctx, provider_id)
    if provider.status is ProviderStatus.SUSPENDED:
        return _tally(
            [
                rejected(i, raw, "provider", "the provider is suspended")
                for i, raw in enumerate(rows)
            ]
        )
    repository = CeRepository(ctx.session)
    courses = {c.id: c for c in await repository.courses_of(provider.id)}
    checked = [check_row(i, raw, courses=courses, today=ctx.today) for i, raw in enumerate(rows)]
    results = [c for c in checked if isinstance(c, CeRowResult)]
    candidates = [c for c in checked if isinstance(c, Candidate)]
    holders = await repository.holders({c.number for c in candidates})
    found = [find_holder(c, holders) for c in candidates]
    results += [f for f in found if isinstance(f, CeRowResult)]
    fresh, repeats = _split_repeats([f for f in found if isinstance(f, Ready)])
    results += await _store(ctx, provider, fresh, repeats)
    return _tally(results)


def _split_repeats(ready: list[Ready]) -> tuple[list[Ready], list[Ready]]:
    """The first row of each completion id in the batch, and the rows repeating one."""
    first: list[Ready] = []
    repeats: list[Ready] = []
    seen: set[str] = set()
    for item in ready:
        ident = item.candidate.row.completion_id
        (repeats if ident in seen else first).append(item)
        seen.add(ident)
    return first, repeats


def _record(ctx: ActionContext, provider: TrainingProvider, item: Ready) -> dict[str, Any]:
    candidate: Candidate = item.candidate
    course = candidate.course
    return {
        "id": new_id(),
        "certification_id": item.holder.certification_id,
        "applicant_id": item.holder.applicant_id,
        "source": CeSource.PROVIDER,
        "provider_id": provider.id,
        "course_id": course.id,
        "provider_completion_id": candidate.row.completion_id,
        "course_title": course.name,
        "provider_name": provider.name,
        # What the board approved for the course, whatever the provider's row might claim.
        "hours": course.hours,
        "category": course.category,
        "completed_on": candidate.row.completed_on,
        "received_at": ctx.now,
        "status": CeRecordStatus.ACCEPTED,
        "version": 1,
    }


async def _store(
    ctx: ActionContext, provider: TrainingProvider, fresh: list[Ready], repeats: list[Ready]
) -> list[CeRowResult]:
    """Insert the records, audit and publish them; what became of each fresh and repeated row."""
    repository = CeRepository(ctx.session)
    records = [_record(ctx, provider, item) for item in fresh]
    # Insert first: a completion id stored before (by an earlier batch, or a concurrent one
    # just now) is skipped by the insert itself, and only those few are looked up.
    stored = await repository.insert_new(records)
    ids = [item.candidate.row.completion_id for item in fresh]
    known = await repository.existing(provider.id, [i for i in ids if i not in stored])
    results = [
        CeRowResult(
            index=item.candidate.index,
            completion_id=ident,
            outcome=CeOutcome.ACCEPTED,
            id=stored[ident],
        )
        if ident in stored
        else _duplicate(item, known.get(ident))
        for item, ident in zip(fresh, ids, strict=True)
    ]
    for item in repeats:  # each repeats a fresh row's id: stored now, or known before
        ident = item.candidate.row.completion_id
        results.append(_duplicate(item, stored.get(ident) or known.get(ident)))
    await _announce(ctx, [r for r in records if r["provider_completion_id"] in stored])
    return results


def _duplicate(item: Ready, existing_id: uuid.UUID | None) -> CeRowResult:
    return CeRowResult(
        index=item.candidate.index,
        completion_id=item.candidate.row.completion_id,
        outcome=CeOutcome.DUPLICATE,
        id=existing_id,
        reason="already received from this provider",
    )


async def _announce(ctx: ActionContext, records: list[dict[str, Any]]) -> None:
    """One audit record and one ``ce.completion_recorded`` event per record stored, set-wise."""
    if not records:
        return
    actor = ctx.actor  # built from the principal on each read: once per batch, not per row
    await record_audits(
        ctx.session,
        [
            AuditEntry(
                actor,
                events.RECORDED,
                events.ENTITY,
                str(record["id"]),
                None,
                snapshot(CeRecord(**record)),
            )
            for record in records
        ],
        at=ctx.now,
    )
    await ctx.outbox.publish_many(ctx.session, [events.recorded(r) for r in records], at=ctx.now)


def _tally(results: Sequence[CeRowResult]) -> CeUploadResult:
    """The results in the batch's order, with how many rows had each outcome."""
    ordered = sorted(results, key=lambda r: r.index)
    counts = {o: sum(r.outcome is o for r in ordered) for o in CeOutcome}
    return CeUploadResult(
        batch=CeBatchCounts(
            accepted=counts[CeOutcome.ACCEPTED],
            duplicate=counts[CeOutcome.DUPLICATE],
            rejected=counts[CeOutcome.REJECTED],
        ),
        results=ordered,
    )
