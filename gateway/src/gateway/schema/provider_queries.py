"""Reading providers, their programs and certificates: staff see all, a provider its own."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.clients import provider_path
from gateway.context import GatewayContext
from gateway.schema.application_types import Ctx
from gateway.schema.provider_types import (
    CertificateCounts,
    CertificatePage,
    CertificateStatus,
    TrainingProgram,
    TrainingProvider,
)

First = Annotated[int, strawberry.argument(description="The page size.")]
After = Annotated[
    str | None, strawberry.argument(description="`nextCursor` from the previous page.")
]


def _page(first: int, after: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": first}
    if after is not None:
        params["after"] = after
    return params


async def _get(ctx: GatewayContext, path: str, params: dict[str, Any] | None = None) -> Any:
    return await ctx.backends.applications.get_json(
        path, token=ctx.token, request_id=ctx.request_id, params=params
    )


@strawberry.type
class ProviderQueries:
    @strawberry.field(description="Staff: every approved training provider, by name.")
    async def training_providers(self, info: Ctx) -> list[TrainingProvider]:
        info.context.require(Role.STAFF)
        return [TrainingProvider.from_json(p) for p in await _get(info.context, "/v1/providers")]

    @strawberry.field(
        description="A training provider, for staff or for that provider (others: NOT_FOUND)."
    )
    async def training_provider(self, info: Ctx, id: strawberry.ID) -> TrainingProvider:
        info.context.require(Role.STAFF, Role.PROVIDER)
        return TrainingProvider.from_json(await _get(info.context, provider_path(str(id))))

    @strawberry.field(description="A provider's programs, for staff or for that provider.")
    async def training_programs(
        self, info: Ctx, provider_id: strawberry.ID
    ) -> list[TrainingProgram]:
        info.context.require(Role.STAFF, Role.PROVIDER)
        data = await _get(info.context, provider_path(str(provider_id), "programs"))
        return [TrainingProgram.from_json(p) for p in data]

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
        info.context.require(Role.STAFF, Role.PROVIDER)
        params = _page(first, after)
        if status is not None:
            params["status"] = status.value
        if received_from is not None:
            params["received_from"] = received_from.isoformat()
        if received_to is not None:
            params["received_to"] = received_to.isoformat()
        data = await _get(info.context, provider_path(str(provider_id), "certificates"), params)
        return CertificatePage.from_json(data)

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
        info.context.require(Role.STAFF)
        params = _page(first, after)
        params["breaches_only"] = str(breaches_only).lower()
        data = await _get(info.context, "/v1/certificates/review-queue", params)
        return CertificatePage.from_json(data)

    @strawberry.field(
        description="Staff: certificates not linked to any application yet, oldest first."
    )
    async def unmatched_certificates(
        self, info: Ctx, first: First = 50, after: After = None
    ) -> CertificatePage:
        info.context.require(Role.STAFF)
        data = await _get(info.context, "/v1/certificates/unmatched", _page(first, after))
        return CertificatePage.from_json(data)

    @strawberry.field(
        description="Staff: how many certificates wait for review, missed it, or are unmatched."
    )
    async def certificate_counts(self, info: Ctx) -> CertificateCounts:
        info.context.require(Role.STAFF)
        data = await _get(info.context, "/v1/certificates/summary")
        return CertificateCounts(
            pending_review=data["pending_review"],
            breaches=data["breaches"],
            unmatched=data["unmatched"],
        )
