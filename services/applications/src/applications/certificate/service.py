"""Receiving providers' batches, and staff review of each certificate."""

from __future__ import annotations

import uuid
from typing import Any

from applications import rules
from applications.application.models import Application
from applications.certificate.intake import Candidate, check_row
from applications.certificate.models import CertificateStatus, TrainingCertificate
from applications.certificate.repository import CertificateRepository, Match
from applications.certificate.schemas import (
    BatchCounts,
    CertificatePublic,
    Link,
    Outcome,
    Review,
    RowResult,
    UploadResult,
)
from applications.context import ActionContext
from applications.provider.models import ProviderStatus, TrainingProgram, TrainingProvider
from applications.storage import DocumentStore
from certboard_core.audit import AuditEntry, record_audit, record_audits
from certboard_core.db import update_versioned
from certboard_core.errors import Conflict, InvalidInput, NotFound
from certboard_core.ids import new_id


class CertificateExpired(Conflict):
    code = "CERTIFICATE_EXPIRED"


class StaleCertificate(Conflict):
    code = "VERSION_CONFLICT"


def to_public(certificate: TrainingCertificate) -> CertificatePublic:
    return CertificatePublic(
        **certificate.model_dump(), has_file=certificate.file_storage_key is not None
    )


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


def _duplicate(candidate: Candidate, existing_id: uuid.UUID | None) -> RowResult:
    return RowResult(
        index=candidate.index,
        certificate_id=candidate.row.certificate_id,
        outcome=Outcome.DUPLICATE,
        id=existing_id,
        reason="already received from this provider",
    )


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


async def receive_batch(
    ctx: ActionContext,
    *,
    provider: TrainingProvider,
    programs: list[TrainingProgram],
    rows: list[dict[str, Any]],
    store: DocumentStore,
    saved: list[str],
    max_file_bytes: int,
) -> UploadResult:
    """Check every row, store the accepted ones set-wise, and say what became of each."""
    if provider.status is ProviderStatus.SUSPENDED:
        results = [
            RowResult(
                index=i,
                certificate_id=str(r.get("certificate_id")) if isinstance(r, dict) else None,
                outcome=Outcome.REJECTED,
                field="provider",
                reason="the provider is suspended",
            )
            for i, r in enumerate(rows)
        ]
        return UploadResult(
            batch=BatchCounts(accepted=0, duplicate=0, rejected=len(rows)), results=results
        )
    by_id = {p.id: p for p in programs}
    checked = [
        check_row(
            i,
            raw,
            programs=by_id,
            today=ctx.today,
            policy=ctx.policy,
            max_file_bytes=max_file_bytes,
        )
        for i, raw in enumerate(rows)
    ]
    results = [c for c in checked if isinstance(c, RowResult)]
    candidates = [c for c in checked if isinstance(c, Candidate)]
    repository = CertificateRepository(ctx.session)
    fresh, repeats = _split_repeats(candidates)
    # Matched as they are stored: by applicant id when given, else by email and birth date.
    by_applicant, by_person = await repository.applications_for(
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
    # Insert first: a certificate id stored before (by an earlier batch, or a concurrent one
    # just now) is skipped by the insert itself, and only those few are looked up.
    stored = await repository.insert_new(records)
    known = await repository.existing(
        provider.id, [c.row.certificate_id for c in fresh if c.row.certificate_id not in stored]
    )
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
    await record_audits(
        ctx.session,
        [
            AuditEntry(
                ctx.actor,
                "certificate.received",
                "training_certificate",
                str(i),
                None,
                {"provider_id": str(provider.id), "provider_certificate_id": c},
            )
            for c, i in stored.items()
        ],
        at=ctx.now,
    )
    results.sort(key=lambda r: r.index)
    counts = {o: sum(r.outcome is o for r in results) for o in Outcome}
    return UploadResult(
        batch=BatchCounts(
            accepted=counts[Outcome.ACCEPTED],
            duplicate=counts[Outcome.DUPLICATE],
            rejected=counts[Outcome.REJECTED],
        ),
        results=results,
    )


async def _load(ctx: ActionContext, certificate_id: uuid.UUID) -> TrainingCertificate:
    certificate = await CertificateRepository(ctx.session).get(certificate_id)
    if certificate is None:
        raise NotFound("no such certificate", field="certificate_id")
    return certificate


async def _change(
    ctx: ActionContext,
    certificate: TrainingCertificate,
    expected_version: int,
    values: dict[str, Any],
    action: str,
) -> TrainingCertificate:
    if certificate.version != expected_version:
        raise StaleCertificate(
            "the certificate changed since you read it; reload and try again",
            field="expected_version",
        )
    before = certificate.model_dump(mode="json")
    if not await update_versioned(
        ctx.session, TrainingCertificate, certificate.id, expected_version, values
    ):
        raise StaleCertificate(
            "the certificate was changed at the same moment; reload and retry",
            field="expected_version",
        )
    await ctx.session.refresh(certificate)
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action=action,
        entity_type="training_certificate",
        entity_id=str(certificate.id),
        before=before,
        after=certificate.model_dump(mode="json"),
        at=ctx.now,
    )
    return certificate


def _reviewable(certificate: TrainingCertificate) -> None:
    if certificate.status is not CertificateStatus.PENDING_REVIEW:
        raise Conflict(f"the certificate is already {certificate.status.value}", field="status")


async def review(
    ctx: ActionContext, certificate_id: uuid.UUID, data: Review, *, accept: bool
) -> TrainingCertificate:
    """Staff accept or reject a certificate; an expired one cannot be accepted."""
    certificate = await _load(ctx, certificate_id)
    _reviewable(certificate)
    if accept and rules.is_past(certificate.valid_through, ctx.today):
        raise CertificateExpired(
            f"the certificate was valid through {certificate.valid_through.isoformat()}",
            field="valid_through",
        )
    if not accept and not data.reason:
        raise InvalidInput("say why the certificate is rejected", field="reason")
    status = CertificateStatus.ACCEPTED if accept else CertificateStatus.REJECTED
    certificate = await _change(
        ctx,
        certificate,
        data.expected_version,
        {
            "status": status,
            "reviewed_by": ctx.actor,
            "reviewed_at": ctx.now,
            "reviewed_on": ctx.today,
            "review_reason": data.reason,
        },
        f"certificate.{status.value}",
    )
    await ctx.outbox.publish(
        ctx.session,
        type=f"certificate.{status.value}",
        aggregate_type="training_certificate",
        aggregate_id=str(certificate.id),
        payload={
            "certificate_id": str(certificate.id),
            "provider_id": str(certificate.provider_id),
            "provider_certificate_id": certificate.provider_certificate_id,
            "status": status.value,
            "reason": data.reason,
            "application_id": str(certificate.application_id)
            if certificate.application_id
            else None,
            "valid_through": certificate.valid_through.isoformat(),
        },
        at=ctx.now,
    )
    return certificate


async def link(ctx: ActionContext, certificate_id: uuid.UUID, data: Link) -> TrainingCertificate:
    """Staff link an unmatched certificate to an application by hand."""
    certificate = await _load(ctx, certificate_id)
    application = await ctx.session.get(Application, data.application_id)
    if application is None:
        raise NotFound("no such application", field="application_id")
    return await _change(
        ctx,
        certificate,
        data.expected_version,
        {
            "application_id": application.id,
            "applicant_id": application.applicant_id,
            "matched_at": ctx.now,
        },
        "certificate.linked",
    )
