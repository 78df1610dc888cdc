"""Staff's list of certifications ending in a span: who may lapse this month."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.applications.certification import Certification
from gateway.schema.common import After, Ctx, First, day


@strawberry.type(description="A certification about to lapse, and the CE it still needs.")
class ExpiringCertification:
    certification: Certification
    ce_still_needed_hours: decimal.Decimal = strawberry.field(
        description="Hours the cycle this period closes still needs, by the ledger."
    )


@strawberry.type(description="Certifications whose period ends in a span, and how many.")
class ExpiringPage:
    items: list[ExpiringCertification]
    next_cursor: str | None
    total: int = strawberry.field(description="In the span, on every page.")
    starts_on: datetime.date
    ends_on: datetime.date

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExpiringPage:
        return cls(
            items=[
                ExpiringCertification(
                    certification=Certification.from_json(c),
                    ce_still_needed_hours=decimal.Decimal(c["ce_still_needed_hours"]),
                )
                for c in data["items"]
            ],
            next_cursor=data["next_cursor"],
            total=data["total"],
            starts_on=day(data["starts_on"]),
            ends_on=day(data["ends_on"]),
        )


@strawberry.type
class ExpiringQueries:
    @strawberry.field(
        description="Staff: certifications whose period ends in a span (this month unless "
        "asked), soonest first; suspended and revoked ones are left out."
    )
    async def certifications_expiring(
        self,
        info: Ctx,
        from_day: Annotated[
            datetime.date | None, strawberry.argument(name="from", description="Default: the 1st.")
        ] = None,
        to_day: Annotated[
            datetime.date | None,
            strawberry.argument(name="to", description="Default: the month's last day."),
        ] = None,
        first: First = 50,
        after: After = None,
    ) -> ExpiringPage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.applications.expiring(
            first_day=from_day, last_day=to_day, first=first, after=after
        )
        return ExpiringPage.from_json(page)
