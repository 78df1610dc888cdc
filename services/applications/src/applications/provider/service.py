"""The provider registry: staff approve providers and programs; providers act for themselves."""

from __future__ import annotations

import uuid
from typing import Any

from applications.context import ActionContext
from applications.provider.models import TrainingProgram, TrainingProvider
from applications.provider.repository import ProviderRepository
from applications.provider.schemas import ProgramCreate, ProviderCreate, ProviderUpdate
from applications.provider.webhooks import new_secret, optional_webhook_url, webhook_changes
from certboard_core.audit import record_audit
from certboard_core.errors import Conflict, NotFound
from certboard_core.versioned import Change, apply_change, check_version


def _snapshot(provider: TrainingProvider) -> dict[str, Any]:
    # The signing secret never reaches the audit trail.
    return provider.model_dump(mode="json", exclude={"webhook_secret"})


async def readable_provider(ctx: ActionContext, provider_id: uuid.UUID) -> TrainingProvider:
    """The provider, if the caller may read it; anyone else learns nothing of it."""
    provider = await ProviderRepository(ctx.session).readable_one(ctx.principal, provider_id)
    if provider is None:
        raise NotFound("no such provider", field="provider_id")
    return provider


async def create_provider(
    ctx: ActionContext, data: ProviderCreate, *, allow_loopback: bool
) -> TrainingProvider:
    """Approve a provider, with a new webhook signing secret; its name must be new."""
    url = await optional_webhook_url(data.webhook_url, allow_loopback=allow_loopback)
    provider = TrainingProvider(
        name=data.name.strip(), webhook_url=url, webhook_secret=new_secret(), created_at=ctx.now
    )
    if not await ProviderRepository(ctx.session).add(provider):
        raise Conflict(f"a provider named {data.name!r} exists", field="name")
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="provider.created",
        entity_type="training_provider",
        entity_id=str(provider.id),
        before=None,
        after=_snapshot(provider),
        at=ctx.now,
    )
    return provider


async def update_provider(
    ctx: ActionContext, provider_id: uuid.UUID, data: ProviderUpdate, *, allow_loopback: bool
) -> TrainingProvider:
    """Suspend or reinstate a provider, or change where its webhooks go."""
    # The URL check may look its host up: before the first read, which opens the write
    # transaction that no network wait may hold open.
    webhook = await webhook_changes(
        data.webhook_url, data.clear_webhook, allow_loopback=allow_loopback
    )
    provider = await readable_provider(ctx, provider_id)
    check_version(provider, data.expected_version, what="training provider")
    values: dict[str, object] = {}
    if data.status is not None:
        values["status"] = data.status
    values.update(webhook)
    return await apply_change(
        ctx,
        provider,
        expected_version=data.expected_version,
        values=values,
        change=Change("provider.updated", "training_provider"),
        snapshot=_snapshot,
    )


async def list_providers(ctx: ActionContext) -> list[TrainingProvider]:
    """Every provider the caller may read, by name."""
    return await ProviderRepository(ctx.session).readable_all(ctx.principal)


async def add_program(
    ctx: ActionContext, provider_id: uuid.UUID, data: ProgramCreate
) -> TrainingProgram:
    """Approve a program of the provider; its name must be new for that provider."""
    provider = await readable_provider(ctx, provider_id)
    program = TrainingProgram(
        provider_id=provider.id, name=data.name.strip(), hours=data.hours, created_at=ctx.now
    )
    if not await ProviderRepository(ctx.session).add(program):
        raise Conflict(f"the provider already has a program named {data.name!r}", field="name")
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="program.created",
        entity_type="training_program",
        entity_id=str(program.id),
        before=None,
        after=program.model_dump(mode="json"),
        at=ctx.now,
    )
    return program


async def programs_of(ctx: ActionContext, provider_id: uuid.UUID) -> list[TrainingProgram]:
    """The programs of a provider the caller may read, by name."""
    provider = await readable_provider(ctx, provider_id)
    return await ProviderRepository(ctx.session).programs_of(provider)
