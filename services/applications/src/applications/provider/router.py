"""HTTP endpoints of the provider registry and of providers' certificate uploads."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, status
from fastapi.responses import JSONResponse
from sqlmodel import col

from applications.certificate.models import CertificateStatus, TrainingCertificate
from applications.certificate.repository import CertificateRepository
from applications.certificate.schemas import CertificatePage, CertificateUpload
from applications.certificate.service import receive_batch, to_public
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
from applications.storage import files_removed_on_failure
from certboard_core import idempotency
from certboard_core.auth import Role
from certboard_core.errors import ERROR_RESPONSES, NotFound
from certboard_core.pagination import decode_cursor, encode_cursor
from certboard_core.settings import Environment

router = APIRouter(prefix="/v1/providers", tags=["training providers"], responses=ERROR_RESPONSES)
KEY_TTL_HOURS = 24


def _loopback_allowed(settings: Settings) -> bool:
    # Development and tests receive webhooks on this machine; production never calls itself.
    return settings.environment is not Environment.PRODUCTION


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=STAFF_ONLY)
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


@router.get("/{provider_id}")
async def get_provider(provider_id: uuid.UUID, ctx: Context) -> ProviderPublic:
    """A provider, for staff or for that provider."""
    return ProviderPublic(**(await service.visible_provider(ctx, provider_id)).model_dump())


@router.patch("/{provider_id}", dependencies=STAFF_ONLY)
async def update_provider(
    provider_id: uuid.UUID, body: ProviderUpdate, ctx: Context, settings: SettingsDep
) -> ProviderPublic:
    """Suspend or reinstate a provider, or set its webhook URL."""
    provider = await service.update_provider(
        ctx, provider_id, body, allow_loopback=_loopback_allowed(settings)
    )
    return ProviderPublic(**provider.model_dump())


@router.post(
    "/{provider_id}/programs", status_code=status.HTTP_201_CREATED, dependencies=STAFF_ONLY
)
async def add_program(provider_id: uuid.UUID, body: ProgramCreate, ctx: Context) -> ProgramPublic:
    """Approve a program of the provider (certificates from a program shorter than the
    policy's minimum hours are rejected when they arrive)."""
    return ProgramPublic(**(await service.add_program(ctx, provider_id, body)).model_dump())


@router.get("/{provider_id}/programs")
async def list_programs(provider_id: uuid.UUID, ctx: Context) -> list[ProgramPublic]:
    """The provider's programs, for staff or the provider."""
    await service.visible_provider(ctx, provider_id)
    return [ProgramPublic(**p.model_dump()) for p in await service.programs_of(ctx, provider_id)]


@router.post(
    "/{provider_id}/certificates",
    responses={200: {"description": "what became of each row"}},
)
async def upload_certificates(
    provider_id: uuid.UUID,
    body: CertificateUpload,
    request: Request,
    ctx: Context,
    store: StoreDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(description="retry with the same key and body: the first answer is replayed"),
    ] = None,
) -> Any:
    """Send one certificate or a batch of up to 1,000; each row is accepted, a duplicate
    (its certificate id was received before) or rejected with the field at fault."""
    if not (ctx.principal.has(Role.PROVIDER) and ctx.principal.provider_id == str(provider_id)):
        raise NotFound("no such provider", field="provider_id")
    # The key is claimed before this request's own transaction starts: on SQLite that
    # transaction holds the write lock, which the claim's short transaction would wait on.
    sessions = request.app.state.sessions
    owner = f"provider:{provider_id}"
    key = idempotency.validate_key(idempotency_key) if idempotency_key is not None else None
    if key is not None:
        replay = await idempotency.claim(
            sessions,
            owner=owner,
            key=key,
            digest=idempotency.request_hash(body.model_dump(mode="json")),
            now=ctx.now,
            ttl=timedelta(hours=KEY_TTL_HOURS),
            stale_after=timedelta(minutes=5),
        )
        if replay is not None:
            return JSONResponse(
                replay.body, status_code=replay.status, headers={"Idempotent-Replayed": "true"}
            )
    try:
        provider = await service.visible_provider(ctx, provider_id)
        async with files_removed_on_failure(store) as saved:
            result = await receive_batch(
                ctx,
                provider=provider,
                programs=await service.programs_of(ctx, provider_id),
                rows=body.certificates,
                store=store,
                saved=saved,
                max_file_bytes=settings.max_document_bytes,
            )
            if key is not None:
                await idempotency.complete(
                    ctx.session,
                    owner=owner,
                    key=key,
                    status=200,
                    body=result.model_dump(mode="json"),
                )
        return result
    except BaseException:
        if key is not None:
            await ctx.session.rollback()
            await idempotency.release(sessions, owner=owner, key=key)
        raise


@router.get("/{provider_id}/certificates")
async def list_certificates(
    provider_id: uuid.UUID,
    ctx: Context,
    status: CertificateStatus | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> CertificatePage:
    """The provider's uploads, oldest first, with what became of each (paginated)."""
    await service.visible_provider(ctx, provider_id)
    C = TrainingCertificate  # noqa: N806
    where: list[Any] = [col(C.provider_id) == provider_id]
    if status is not None:
        where.append(col(C.status) == status)
    if received_from is not None:
        where.append(col(C.received_at) >= _start(received_from, ctx))
    if received_to is not None:
        where.append(col(C.received_at) < _start(received_to, ctx, next_day=True))
    rows = await CertificateRepository(ctx.session).page(
        where=where,
        order=col(C.received_at),
        after=decode_cursor(after, datetime, uuid.UUID) if after else None,
        limit=limit + 1,
    )
    page, more = rows[:limit], len(rows) > limit
    return CertificatePage(
        items=[to_public(c) for c in page],
        next_cursor=encode_cursor(page[-1].received_at, page[-1].id) if more and page else None,
    )


def _start(day: date, ctx: Context, *, next_day: bool = False) -> datetime:
    return ctx.policy.start_of_day(day + timedelta(days=1) if next_day else day)
