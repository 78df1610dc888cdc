"""Reading providers, their programs and certificates: staff see all, a provider its own."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from certboard_core.auth import Role
from gateway.schema.certificates.enums import CertificateStatus
from gateway.schema.certificates.types import (
    CertificateCounts,
    CertificatePage,
    TrainingProgram,
    TrainingProvider,
)
from gateway.schema.common import After, Ctx, First, value_of


@strawberry.type
class ProviderQueries:
    @strawberry.field(description="Staff: every approved training provider, by name.")
    async def training_providers(self, info: Ctx) -> list[TrainingProvider]:
        ctx = info.context
        ctx.require(Role.STAFF)
        return [
            TrainingProvider.from_json(p) for p in await ctx.backends.applications.list_providers()
        ]

    @strawberry.field(
        description="A training provider, for staff or for that provider (others: NOT_FOUND)."
    )
    async def training_provider(self, info: Ctx, id: strawberry.ID) -> TrainingProvider:
        ctx = info.context
        ctx.require(Role.STAFF, Role.PROVIDER)
        return TrainingProvider.from_json(await ctx.backends.applications.get_provider(id))

    @strawberry.field(description="A provider's programs, for staff or for that provider.")
    async def training_programs(
        self, info: Ctx, provider_id: strawberry.ID
    ) -> list[TrainingProgram]:
        ctx = info.context
        ctx.require(Role.STAFF, Role.PROVIDER)
        programs = await ctx.backends.applications.list_programs(provider_id)
        return [TrainingProgram.from_json(p) for p in programs]

    @strawberry.field(
        description="A provider's uploads, oldest first, with what became of each: for staff "
        "or for that provider (others: NOT_FOUND)."
    )
    async def provider_certificates(
        self,
        info: Ctx,
        provider_id: strawberry.ID,
        status: CertificateStatus | None = None,
        received_from: Annotated[
            datetime.date | None,
            strawberry.argument(description="Received on or after this local day."),
        ] = None,
        received_to: Annotated[
            datetime.date | None,
            strawberry.argument(description="Received on or before this local day."),
        ] = None,
        first: First = 50,
        after: After = None,
    ) -> CertificatePage:
        ctx = info.context
        ctx.require(Role.STAFF, Role.PROVIDER)
        page = await ctx.backends.applications.provider_certificates(
            provider_id,
            status=value_of(status),
            received_from=received_from,
            received_to=received_to,
            first=first,
            after=after,
        )
        return CertificatePage.from_json(page)

    @strawberry.field(
        description="Staff: certificates waiting for review, earliest review day first."
    )
    async def certificate_review_queue(
        self,
        info: Ctx,
        breaches_only: Annotated[
            bool, strawberry.argument(description="Only those past their review day.")
        ] = False,
        first: First = 50,
        after: After = None,
    ) -> CertificatePage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.applications.certificate_review_queue(
            breaches_only=breaches_only, first=first, after=after
        )
        return CertificatePage.from_json(page)

    @strawberry.field(
        description="Staff: certificates not linked to any application yet, oldest first."
    )
    async def unmatched_certificates(
        self, info: Ctx, first: First = 50, after: After = None
    ) -> CertificatePage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.applications.unmatched_certificates(first=first, after=after)
        return CertificatePage.from_json(page)

    @strawberry.field(
        description="Staff: how many certificates wait for review, missed it, or are unmatched."
    )
    async def certificate_counts(self, info: Ctx) -> CertificateCounts:
        ctx = info.context
        ctx.require(Role.STAFF)
        return CertificateCounts.from_json(await ctx.backends.applications.certificate_counts())
