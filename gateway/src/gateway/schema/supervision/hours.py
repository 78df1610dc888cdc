"""Hours worked: the peer reports per day or per week, and corrects by amendment."""

from __future__ import annotations

import datetime
import decimal
from enum import Enum
from typing import Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.common import (
    After,
    Ctx,
    ExpectedVersion,
    First,
    day,
    instant,
    maybe_id,
    maybe_instant,
)
from gateway.schema.supervision.records import Since, Until, record_page


@strawberry.enum(description="A day, or a Monday-to-Sunday week in the board's zone.")
class HoursPeriod(Enum):
    DAY = "day"
    WEEK = "week"


@strawberry.type(description="Hours a peer worked under an agreement (exact, two decimals).")
class HoursWorked:
    id: strawberry.ID
    agreement_id: strawberry.ID
    peer_applicant_id: str
    supervisor_id: str
    period: HoursPeriod
    starts_on: datetime.date = strawberry.field(description="The day, or the week's Monday.")
    hours: decimal.Decimal
    current: bool
    supersedes_id: strawberry.ID | None
    amendment_reason: str | None
    superseded_at: datetime.datetime | None
    superseded_by: str | None
    created_at: datetime.datetime
    created_by: str
    version: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HoursWorked:
        return cls(
            id=strawberry.ID(data["id"]),
            agreement_id=strawberry.ID(data["agreement_id"]),
            peer_applicant_id=data["peer_applicant_id"],
            supervisor_id=data["supervisor_id"],
            period=HoursPeriod(data["period"]),
            starts_on=day(data["starts_on"]),
            hours=decimal.Decimal(data["hours"]),
            current=data["current"],
            supersedes_id=maybe_id(data["supersedes_id"]),
            amendment_reason=data["amendment_reason"],
            superseded_at=maybe_instant(data["superseded_at"]),
            superseded_by=data["superseded_by"],
            created_at=instant(data["created_at"]),
            created_by=data["created_by"],
            version=data["version"],
        )


@strawberry.type
class HoursWorkedPage:
    items: list[HoursWorked]
    next_cursor: str | None


@strawberry.type
class HoursQueries:
    @strawberry.field(
        description="Hours reports: staff see all, a supervisor their agreements', a peer theirs."
    )
    async def hours_worked(
        self,
        info: Ctx,
        agreement_id: strawberry.ID | None = None,
        peer_applicant_id: str | None = None,
        starts_from: Since = None,
        starts_to: Until = None,
        include_superseded: bool = False,
        first: First = 50,
        after: After = None,
    ) -> HoursWorkedPage:
        page = await record_page(
            info,
            info.context.backends.supervision.list_hours,
            since=starts_from,
            until=starts_to,
            first=first,
            after=after,
            agreement_id=agreement_id,
            peer_applicant_id=peer_applicant_id,
            include_superseded=include_superseded,
        )
        return HoursWorkedPage(
            items=[HoursWorked.from_json(i) for i in page["items"]],
            next_cursor=page["next_cursor"],
        )


@strawberry.type
class HoursMutations:
    @strawberry.mutation(description="The peer reports hours worked on a day or in a week.")
    async def report_hours_worked(
        self,
        info: Ctx,
        agreement_id: strawberry.ID,
        period: HoursPeriod,
        starts_on: datetime.date,
        hours: decimal.Decimal,
    ) -> HoursWorked:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        body = {
            "agreement_id": str(agreement_id),
            "period": period.value,
            "starts_on": starts_on.isoformat(),
            "hours": str(hours),
        }
        return HoursWorked.from_json(await ctx.backends.supervision.report_hours(body))

    @strawberry.mutation(description="The peer corrects a report; the earlier one stays.")
    async def amend_hours_worked(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        hours: decimal.Decimal,
        reason: str,
    ) -> HoursWorked:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        body = {"expected_version": expected_version, "hours": str(hours), "reason": reason}
        return HoursWorked.from_json(await ctx.backends.supervision.amend_hours(id, body))
