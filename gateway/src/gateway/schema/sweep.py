"""Run the applications service's deadline sweep now (development and test only)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from certboard_core.auth import Role
from gateway.context import GatewayContext


@strawberry.type(description="What one sweep changed; a second run at the same time changes 0.")
class SweepReport:
    voided: int = strawberry.field(description="Incomplete past their hold, now void.")
    expired: int = strawberry.field(description="Approvals past their valid-through day.")
    void_reminders: int
    expiry_reminders: int


@strawberry.type
class SweepMutations:
    @strawberry.mutation(
        description="Staff, outside production: void, expire and remind now, on the "
        "applications service's (test) clock, instead of waiting for its schedule."
    )
    async def run_sweep(self, info: Info[GatewayContext, None]) -> SweepReport:
        ctx = info.context
        ctx.require(Role.STAFF)
        data = await ctx.backends.applications.post_json(
            "/internal/sweep", token=ctx.token, request_id=ctx.request_id
        )
        return SweepReport(
            voided=data["voided"],
            expired=data["expired"],
            void_reminders=data["void_reminders"],
            expiry_reminders=data["expiry_reminders"],
        )
