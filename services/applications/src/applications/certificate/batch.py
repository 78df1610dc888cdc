"""Receiving a provider's batch: rows checked, the accepted ones stored set-wise, each row told
what became of it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from applications import rules
from applications.certificate.intake import Candidate, check_row
from applications.certificate.models import CertificateStatus
from applications.certificate.repository import CertificateRepository, Match
from applications.certificate.schemas import BatchCounts, Outcome, RowResult, UploadResult
from applications.context import ActionContext
from applications.provider.models import ProviderStatus, TrainingProvider
from applications.provider.repository import ProviderRepository
from applications.provider.service import readable_provider
from certboard_core.audit import AuditEntry, record_audits
from certboard_core.ids import new_id
from certboard_core.storage import DocumentStore, files_removed_on_failure


async def receive_batch(
    ctx: ActionContext,
    *,
    provider_id: uuid.UUID,
    rows: list[dict[str, Any]],
    store: DocumentStore,
    max_file_bytes: int,
) -> UploadResult:
    """Check every row, store the accepted ones set-wise, and say what became of each."""
    provider = await readable_provider(ctx, provider_id)
    if provider.status is ProviderStatus.SUSPENDED:
        return _tally([_suspended(i, raw) for i, raw in enumerate(rows)])
    checked = await _check_rows(ctx, provider, rows, max_file_bytes)
    results = [c for c in checked if isinstance(c, RowResult)]
    fresh, repeats = _split_repeats([c for c in checked if isinstance(c, Candidate)])
    async with files_removed_on_failure(store) as saved:
        records = await _records(ctx, provider, fresh, store, saved)
        results += await _store(ctx, provider, fresh, repeats, records, store)
    return _tally(results)


def _suspended(index: int, raw: Any) -> RowResult:
    return RowResult(
        index=index,
        certificate_id=str(raw.get("certificate_id")) if isinstance(raw, dict) else None,
        outcome=Outcome.REJECTED,
        field="provider",
        reason="the provider is suspended",
    )


async def _check_rows(
    ctx: ActionContext,
    provider: TrainingProvider,
    rows: list[dict[str, Any]],
    max_file_bytes: int,
) -> list[Candidate | RowResult]:
    """Each row checked against the provider's programs and the policy."""
    programs = {p.id: p for p in await ProviderRepository(ctx.session).programs_of(provider)}
    return [
        check_row(
            i,
            raw,
            programs=programs,
            today=ctx.today,
            policy=ctx.policy,
            max_file_bytes=max_file_bytes,
        )
        for i, raw in enumerate(rows)
    ]


def _split_repeats(candidates: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """The first row of each certificate id in the batch, and the rows repeating one."""
    first: list[Candidate] = []
    repeats: list[Candidate] = []
    seen: set[str] = set()
    for candidate in candidates:
        ident = candidate.row.certificate_id
        (repeats if ident in seen else first).append(candidate)
        seen.add(ident)
    return first, repeats


async def _records(
    ctx: ActionContext,
    provider: TrainingProvider,
    fresh: list[Candidate],
    store: DocumentStore,
    saved: list[str],
) -> list[dict[str, Any]]:
    """The rows to insert, each matched to its application and with its file saved."""
    # Matched as they are stored: by applicant id when given, else by email and birth date.
    by_applicant, by_person = await CertificateRepository(ctx.session).applications_for(
        {c.row.applicant_id for c in fresh if c.row.applicant_id},
        {c.row.email.lower() for c in fresh if not c.row.applicant_id},
    )
    records = []
    for candidate in fresh:
        key = await store.save(candidate.file.data) if candidate.file else None
        if key:
            saved.append(key)
        row = candidate.row
        match = (
            by_applicant.get(row.applicant_id)
            if row.applicant_id
            else by_person.get((row.email.lower(), row.date_of_birth))
        )
        records.append(_record(candidate, provider, ctx, key, match))
    return records


def _record(
    candidate: Candidate,
    provider: TrainingProvider,
    ctx: ActionContext,
    file_key: str | None,
    match: Match | None,
) -> dict[str, Any]:
    row = candidate.row
    return {
        "id": new_id(),
        "provider_id": provider.id,
        "program_id": row.program_id,
        "provider_certificate_id": row.certificate_id,
        "legal_name": row.legal_name,
        "date_of_birth": row.date_of_birth,
        "email": row.email.lower(),
        "completed_on": row.completion_date,
        "hours": row.hours,
        "valid_through": rules.certificate_valid_through(row.completion_date, ctx.policy),
        "applicant_id": match.applicant_id if match else row.applicant_id,
        "application_id": match.application_id if match else None,
        "matched_at": ctx.now if match else None,
        "received_at": ctx.now,
        "review_due_on": rules.certificate_review_due(ctx.now, ctx.policy),
        "status": CertificateStatus.PENDING_REVIEW,
        "file_storage_key": file_key,
        "file_content_type": candidate.file.content_type if candidate.file else None,
        "file_sha256": candidate.file.sha256 if candidate.file else None,
        "version": 1,
    }


async def _store(
    ctx: ActionContext,
    provider: TrainingProvider,
    fresh: list[Candidate],
    repeats: list[Candidate],
    records: list[dict[str, Any]],
    store: DocumentStore,
) -> list[RowResult]:
    """Insert the records and audit them; what became of each fresh and repeated row."""
    repository = CertificateRepository(ctx.session)
    # Insert first: a certificate id stored before (by an earlier batch, or a concurrent one
    # just now) is skipped by the insert itself, and only those few are looked up.
    stored = await repository.insert_new(records)
    known = await repository.existing(
        provider.id, [c.row.certificate_id for c in fresh if c.row.certificate_id not in stored]
    )
    results = []
    for candidate, record in zip(fresh, records, strict=True):
        ident = candidate.row.certificate_id
        if ident in stored:
            results.append(
                RowResult(
                    index=candidate.index,
                    certificate_id=ident,
                    outcome=Outcome.ACCEPTED,
                    id=stored[ident],
                )
            )
        else:
            if record["file_storage_key"]:
                await store.discard(record["file_storage_key"])
            results.append(_duplicate(candidate, known.get(ident)))
    results += [
        _duplicate(c, stored.get(c.row.certificate_id) or known.get(c.row.certificate_id))
        for c in repeats
    ]
    await _audit(ctx, provider, stored)
    return results


def _duplicate(candidate: Candidate, existing_id: uuid.UUID | None) -> RowResult:
    return RowResult(
        index=candidate.index,
        certificate_id=candidate.row.certificate_id,
        outcome=Outcome.DUPLICATE,
        id=existing_id,
        reason="already received from this provider",
    )


async def _audit(
    ctx: ActionContext, provider: TrainingProvider, stored: dict[str, uuid.UUID]
) -> None:
    """One audit record per certificate stored, written set-wise."""
    actor = ctx.actor  # built from the principal on each read: once per batch, not per row
    await record_audits(
        ctx.session,
        [
            AuditEntry(
                actor,
                "certificate.received",
                "training_certificate",
                str(ident),
                None,
                {"provider_id": str(provider.id), "provider_certificate_id": certificate_id},
            )
            for certificate_id, ident in stored.items()
        ],
        at=ctx.now,
    )


def _tally(results: Sequence[RowResult]) -> UploadResult:
    """The results in the batch's order, with how many rows had each outcome."""
    ordered = sorted(results, key=lambda r: r.index)
    counts = {o: sum(r.outcome is o for r in ordered) for o in Outcome}
    return UploadResult(
        batch=BatchCounts(
            accepted=counts[Outcome.ACCEPTED],
            duplicate=counts[Outcome.DUPLICATE],
            rejected=counts[Outcome.REJECTED],
        ),
        results=ordered,
    )
