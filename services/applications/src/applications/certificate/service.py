"""Reading certificates, and staff review of each: accept, reject, link by hand."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from applications import rules
from applications.certificate.models import CertificateStatus, TrainingCertificate
from applications.certificate.repository import CertificateRepository, Counts, UploadFilters
from applications.certificate.schemas import CertificatePage, CertificatePublic, Link, Review
from applications.context import ActionContext
from applications.errors import TransitionNotAllowed
from applications.provider.service import readable_provider
from certboard_core.errors import Conflict, InvalidInput, NotFound
from certboard_core.pagination import Page
from certboard_core.storage import DocumentStore
from certboard_core.versioned import Change, apply_change

ENTITY = "training_certificate"


class CertificateExpired(Conflict):
    code = "CERTIFICATE_EXPIRED"


def to_public(certificate: TrainingCertificate) -> CertificatePublic:
    """A certificate as the API shows it."""
    return public_of(certificate.model_dump())


def public_of(values: Mapping[str, Any]) -> CertificatePublic:
    """A certificate as the API shows it, from its stored values (a row or a model's)."""
    return CertificatePublic(**values, has_file=values["file_storage_key"] is not None)


def to_page(page: Page[TrainingCertificate]) -> CertificatePage:
    """A page of certificates as the API shows it."""
    public = page.map(to_public)
    return CertificatePage(items=public.items, next_cursor=public.next_cursor)


async def review_queue(
    ctx: ActionContext, *, breaches_only: bool, after: str | None, limit: int
) -> Page[TrainingCertificate]:
    """Certificates waiting for review, earliest review day first."""
    return await CertificateRepository(ctx.session).review_queue(
        ctx.principal, today=ctx.today, breaches_only=breaches_only, after=after, limit=limit
    )


async def unmatched(
    ctx: ActionContext, *, after: str | None, limit: int
) -> Page[TrainingCertificate]:
    """Certificates not yet linked to an application, oldest first."""
    return await CertificateRepository(ctx.session).unmatched(
        ctx.principal, after=after, limit=limit
    )


async def counts(ctx: ActionContext) -> Counts:
    """How many wait for review, how many missed their review day, how many are unmatched."""
    return await CertificateRepository(ctx.session).counts(ctx.principal, today=ctx.today)


async def uploads_of(
    ctx: ActionContext,
    provider_id: uuid.UUID,
    *,
    status: CertificateStatus | None,
    received_from: date | None,
    received_to: date | None,
    after: str | None,
    limit: int,
) -> Page[TrainingCertificate]:
    """A provider's uploads received on those local days (bounds included), oldest first."""
    provider = await readable_provider(ctx, provider_id)
    filters = UploadFilters(
        status=status,
        received_since=ctx.policy.start_of_day(received_from) if received_from else None,
        received_before=(
            ctx.policy.start_of_day(received_to + timedelta(days=1)) if received_to else None
        ),
    )
    return await CertificateRepository(ctx.session).uploads_of(
        ctx.principal, provider.id, filters, after=after, limit=limit
    )


async def file_content(
    ctx: ActionContext, certificate_id: uuid.UUID, store: DocumentStore
) -> tuple[TrainingCertificate, bytes]:
    """The file a provider sent with a certificate, for staff."""
    certificate = await _readable(ctx, certificate_id)
    if certificate.file_storage_key is None:
        raise NotFound("the certificate came without a file", field="certificate_id")
    return certificate, await store.read(certificate.file_storage_key)


async def _readable(ctx: ActionContext, certificate_id: uuid.UUID) -> TrainingCertificate:
    found = await CertificateRepository(ctx.session).readable_one(ctx.principal, certificate_id)
    if found is None:
        raise NotFound("no such certificate", field="certificate_id")
    return found


def _snapshot(certificate: TrainingCertificate) -> dict[str, Any]:
    return certificate.model_dump(mode="json")


async def review(
    ctx: ActionContext, certificate_id: uuid.UUID, data: Review, *, accept: bool
) -> TrainingCertificate:
    """Staff accept or reject a certificate; an expired one cannot be accepted."""
    certificate = await _readable(ctx, certificate_id)
    if certificate.status is not CertificateStatus.PENDING_REVIEW:
        raise TransitionNotAllowed.naming_state(
            f"{'accept' if accept else 'reject'} a certificate",
            certificate.status,
            [CertificateStatus.PENDING_REVIEW.value],
        )
    if accept and rules.is_past(certificate.valid_through, ctx.today):
        raise CertificateExpired(
            f"the certificate was valid through {certificate.valid_through.isoformat()}",
            field="valid_through",
        )
    if not accept and not data.reason:
        raise InvalidInput("say why the certificate is rejected", field="reason")
    status = CertificateStatus.ACCEPTED if accept else CertificateStatus.REJECTED
    event = f"certificate.{status.value}"
    return await apply_change(
        ctx,
        certificate,
        expected_version=data.expected_version,
        values={
            "status": status,
            "reviewed_by": ctx.actor,
            "reviewed_at": ctx.now,
            "reviewed_on": ctx.today,
            "review_reason": data.reason,
        },
        change=Change(
            event,
            ENTITY,
            event_type=event,
            event_payload={
                "certificate_id": str(certificate.id),
                "provider_id": str(certificate.provider_id),
                "provider_certificate_id": certificate.provider_certificate_id,
                "status": status.value,
                "reason": data.reason,
                "application_id": (
                    str(certificate.application_id) if certificate.application_id else None
                ),
                "valid_through": certificate.valid_through.isoformat(),
            },
        ),
        snapshot=_snapshot,
    )


async def link(ctx: ActionContext, certificate_id: uuid.UUID, data: Link) -> TrainingCertificate:
    """Staff link an unmatched certificate to an application by hand."""
    certificate = await _readable(ctx, certificate_id)
    application = await CertificateRepository(ctx.session).application(data.application_id)
    if application is None:
        raise NotFound("no such application", field="application_id")
    return await apply_change(
        ctx,
        certificate,
        expected_version=data.expected_version,
        values={
            "application_id": application.application_id,
            "applicant_id": application.applicant_id,
            "matched_at": ctx.now,
        },
        change=Change("certificate.linked", ENTITY),
        snapshot=_snapshot,
    )
