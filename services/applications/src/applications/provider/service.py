"""The provider registry: staff approve providers and programs; providers act for themselves."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from applications.context import ActionContext
from applications.provider.models import TrainingProgram, TrainingProvider
from applications.provider.schemas import ProgramCreate, ProviderCreate, ProviderUpdate
from applications.provider.webhooks import check_webhook_url, new_secret
from certboard_core.audit import record_audit
from certboard_core.auth import Role
from certboard_core.db import add_unique, update_versioned
from certboard_core.errors import Conflict, NotFound


class StaleProvider(Conflict):
    code = "VERSION_CONFLICT"


async def visible_provider(ctx: ActionContext, provider_id: uuid.UUID) -> TrainingProvider:
    """The provider, for staff or for the provider itself; others learn nothing of it."""
    own = ctx.principal.has(Role.PROVIDER) and ctx.principal.provider_id == str(provider_id)
    provider = await ctx.session.get(TrainingProvider, provider_id)
    if provider is None or not (ctx.principal.has(Role.STAFF) or own):
        raise NotFound("no such provider", field="provider_id")
    return provider


async def create_provider(
    ctx: ActionContext, data: ProviderCreate, *, allow_loopback: bool
) -> TrainingProvider:
    url = (
        await check_webhook_url(data.webhook_url, allow_loopback=allow_loopback)
        if data.webhook_url
        else None
    )
    provider = TrainingProvider(
        name=data.name.strip(), webhook_url=url, webhook_secret=new_secret(), created_at=ctx.now
    )
    if not await add_unique(ctx.session, provider):
        raise Conflict(f"a provider named {data.name!r} exists", field="name")
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="provider.created",
        entity_type="training_provider",
        entity_id=str(provider.id),
        before=None,
        after=provider.model_dump(mode="json", exclude={"webhook_secret"}),
        at=ctx.now,
    )
    return provider


async def update_provider(
    ctx: ActionContext, provider_id: uuid.UUID, data: ProviderUpdate, *, allow_loopback: bool
) -> TrainingProvider:
    """Suspend or reinstate a provider, or change where its webhooks go."""
    provider = await visible_provider(ctx, provider_id)
    if provider.version != data.expected_version:
        raise StaleProvider("the provider changed since you read it", field="expected_version")
    values: dict[str, object] = {}
    if data.status is not None:
        values["status"] = data.status
    if data.clear_webhook:
        values["webhook_url"] = None
    elif data.webhook_url is not None:
        values["webhook_url"] = await check_webhook_url(
            data.webhook_url, allow_loopback=allow_loopback
        )
    before = provider.model_dump(mode="json", exclude={"webhook_secret"})
    if not await update_versioned(
        ctx.session, TrainingProvider, provider.id, data.expected_version, values
    ):
        raise StaleProvider("the provider was changed at the same moment", field="expected_version")
    await ctx.session.refresh(provider)
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="provider.updated",
        entity_type="training_provider",
        entity_id=str(provider.id),
        before=before,
        after=provider.model_dump(mode="json", exclude={"webhook_secret"}),
        at=ctx.now,
    )
    return provider


async def list_providers(ctx: ActionContext) -> list[TrainingProvider]:
    rows = await ctx.session.exec(select(TrainingProvider).order_by(col(TrainingProvider.name)))
    return list(rows.all())


async def add_program(
    ctx: ActionContext, provider_id: uuid.UUID, data: ProgramCreate
) -> TrainingProgram:
    provider = await visible_provider(ctx, provider_id)
    program = TrainingProgram(
        provider_id=provider.id, name=data.name.strip(), hours=data.hours, created_at=ctx.now
    )
    if not await add_unique(ctx.session, program):
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
    rows = await ctx.session.exec(
        select(TrainingProgram)
        .where(TrainingProgram.provider_id == provider_id)
        .order_by(col(TrainingProgram.name))
    )
    return list(rows.all())
