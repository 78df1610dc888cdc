"""HTTP endpoints of the provider registry and of providers' certificate uploads."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import JSONResponse

from applications.certificate import service as certificates
from applications.certificate.batch import receive_batch
from applications.certificate.models import CertificateStatus
from applications.certificate.schemas import CertificatePage, CertificateUpload, UploadResult
from applications.config import Settings
from applications.deps import STAFF_ONLY, Context, SettingsDep, StoreDep
from applications.provider import service
from applications.provider.schemas import (
    ProgramCreate,
    ProgramPublic,
    ProviderCreate,
    ProviderCreated,
    ProviderPublic,
    ProviderUpdate,
)
from certboard_core.auth import Role, require_roles
from certboard_core.errors import (
    AUTHENTICATED,
    Conflict,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    ValidationFailed,
    error_responses,
)
from certboard_core.fields import IsoDate
from certboard_core.idempotency import IdempotencyDep, IdempotencyInProgress, IdempotencyKeyReused
from certboard_core.ratelimit import PER_PROVIDER
from certboard_core.settings import Environment
from certboard_core.versioned import VersionConflict

router = APIRouter(
    prefix="/v1/providers",
    tags=["training providers"],
    responses=error_responses(*AUTHENTICATED),
)
PROVIDER_ONLY = [Depends(require_roles(Role.PROVIDER))]
# Who reads providers at all; which ones each may read is ProviderRepository.readable.
PROVIDER_READERS = [Depends(require_roles(Role.STAFF, Role.PROVIDER))]
# A route's own 422 entry replaces the router's: name the malformed-payload code again.
REFUSED_INPUT = (ValidationFailed, InvalidInput)


def _loopback_allowed(settings: Settings) -> bool:
    # Development and tests receive webhooks on this machine; production never calls itself.
    return settings.environment is not Environment.PRODUCTION


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=STAFF_ONLY,
    responses=error_responses(Conflict, *REFUSED_INPUT),
)
async def create_provider(
    body: ProviderCreate, ctx: Context, settings: SettingsDep
) -> ProviderCreated:
    """Approve a training provider; the webhook signing secret is shown only here."""
    provider = await service.create_provider(ctx, body, allow_loopback=_loopback_allowed(settings))
    return ProviderCreated(**provider.model_dump())


@router.get("", dependencies=STAFF_ONLY)
async def list_providers(ctx: Context) -> list[ProviderPublic]:
    """Every approved provider."""
    return [ProviderPublic(**p.model_dump()) for p in await service.list_providers(ctx)]


@router.get("/{provider_id}", dependencies=PROVIDER_READERS, responses=error_responses(NotFound))
async def get_provider(provider_id: uuid.UUID, ctx: Context) -> ProviderPublic:
    """A provider, for staff or for that provider."""
    return ProviderPublic(**(await service.readable_provider(ctx, provider_id)).model_dump())


@router.patch(
    "/{provider_id}",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, VersionConflict, *REFUSED_INPUT),
)
async def update_provider(
    provider_id: uuid.UUID, body: ProviderUpdate, ctx: Context, settings: SettingsDep
) -> ProviderPublic:
    """Suspend or reinstate a provider, or set its webhook URL."""
    provider = await service.update_provider(
        ctx, provider_id, body, allow_loopback=_loopback_allowed(settings)
    )
    return ProviderPublic(**provider.model_dump())


@router.post(
    "/{provider_id}/programs",
    status_code=status.HTTP_201_CREATED,
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, Conflict),
)
async def add_program(provider_id: uuid.UUID, body: ProgramCreate, ctx: Context) -> ProgramPublic:
    """Approve a program of the provider (certificates from a program shorter than the
    policy's minimum hours are rejected when they arrive)."""
    return ProgramPublic(**(await service.add_program(ctx, provider_id, body)).model_dump())


@router.get(
    "/{provider_id}/programs", dependencies=PROVIDER_READERS, responses=error_responses(NotFound)
)
async def list_programs(provider_id: uuid.UUID, ctx: Context) -> list[ProgramPublic]:
    """The provider's programs, for staff or the provider."""
    return [ProgramPublic(**p.model_dump()) for p in await service.programs_of(ctx, provider_id)]


@router.post(
    "/{provider_id}/certificates",
    response_model=UploadResult,
    dependencies=[*PROVIDER_ONLY, PER_PROVIDER],
    responses={
        200: {"description": "what became of each row"},
        **error_responses(
            NotFound,
            IdempotencyInProgress,
            PayloadTooLarge,
            *REFUSED_INPUT,
            IdempotencyKeyReused,
        ),
    },
)
async def upload_certificates(
    provider_id: uuid.UUID,
    body: CertificateUpload,
    ctx: Context,
    store: StoreDep,
    settings: SettingsDep,
    once: IdempotencyDep,
) -> UploadResult | JSONResponse:
    """Send one certificate or a batch of up to 1,000; each row is accepted, a duplicate
    (its certificate id was received before) or rejected with the field at fault."""
    # A key belongs to the calling provider: nobody else's retry can claim or replay it.
    return await once.run(
        ctx.session,
        owner=f"provider:{ctx.principal.provider_id}",
        body=body,
        now=ctx.now,
        work=lambda: receive_batch(
            ctx,
            provider_id=provider_id,
            rows=body.certificates,
            store=store,
            max_file_bytes=settings.max_document_bytes,
        ),
    )


@router.get(
    "/{provider_id}/certificates",
    dependencies=PROVIDER_READERS,
    responses=error_responses(NotFound, *REFUSED_INPUT),
)
async def list_certificates(
    provider_id: uuid.UUID,
    ctx: Context,
    status: CertificateStatus | None = None,
    received_from: IsoDate | None = None,
    received_to: IsoDate | None = None,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CertificatePage:
    """The provider's uploads, oldest first, with what became of each (paginated)."""
    page = await certificates.uploads_of(
        ctx,
        provider_id,
        status=status,
        received_from=received_from,
        received_to=received_to,
        after=after,
        limit=limit,
    )
    return certificates.to_page(page)
