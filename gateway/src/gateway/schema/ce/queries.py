"""Reading the CE ledger: staff's verification queue, a provider's courses and reports, and a
certification's records as a field of it."""

from __future__ import annotations

from typing import Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.ce.types import CeCourse, CeRecord, CeRecordPage
from gateway.schema.common import After, Ctx, First


async def ce_records_of(root: Any, info: Ctx) -> list[CeRecord] | None:
    """The ``ceRecords`` field of a certification: one backend call for a request's
    certifications."""
    rows = await info.context.ce_records.load(str(root.id))
    return [CeRecord.from_json(row) for row in rows]


@strawberry.type
class CeQueries:
    @strawberry.field(
        description="Staff: self-reported CE completions waiting for verification, oldest first."
    )
    async def ce_verification_queue(
        self, info: Ctx, first: First = 50, after: After = None
    ) -> CeRecordPage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.applications.ce_verification_queue(first=first, after=after)
        return CeRecordPage.from_json(page)

    @strawberry.field(
        description="A provider's CE courses, for staff or for that provider (others: NOT_FOUND)."
    )
    async def ce_courses(self, info: Ctx, provider_id: strawberry.ID) -> list[CeCourse]:
        ctx = info.context
        ctx.require(Role.STAFF, Role.PROVIDER)
        courses = await ctx.backends.applications.ce_courses(provider_id)
        return [CeCourse.from_json(c) for c in courses]

    @strawberry.field(
        description="The CE completions a provider reported, in the order received: for that "
        "provider to reconcile with its own records, or staff (others: NOT_FOUND)."
    )
    async def ce_completions(
        self, info: Ctx, provider_id: strawberry.ID, first: First = 100, after: After = None
    ) -> CeRecordPage:
        ctx = info.context
        ctx.require(Role.STAFF, Role.PROVIDER)
        page = await ctx.backends.applications.reported_ce_completions(
            provider_id, first=first, after=after
        )
        return CeRecordPage.from_json(page)
