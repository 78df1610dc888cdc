"""The compliance report: each week compliant or short, per peer the caller may see."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.common import After, Ctx, First, day, maybe_day


@strawberry.type(description="One Monday-to-Sunday week with hours worked or supervision.")
class ComplianceWeek:
    week_starts_on: datetime.date
    hours_worked: decimal.Decimal
    supervised_minutes: int
    sessions: int
    required_minutes: int = strawberry.field(description="Minutes worked / N, rounded up.")
    shortfall_minutes: int
    missing_session: bool = strawberry.field(description="Weekly rule: work but no session.")
    cap_exceeded_on: datetime.date | None = strawberry.field(
        description="The first day this week the hours since the last session passed the cap."
    )
    compliant: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ComplianceWeek:
        return cls(
            week_starts_on=day(data["week_starts_on"]),
            hours_worked=decimal.Decimal(data["hours_worked"]),
            supervised_minutes=data["supervised_minutes"],
            sessions=data["sessions"],
            required_minutes=data["required_minutes"],
            shortfall_minutes=data["shortfall_minutes"],
            missing_session=data["missing_session"],
            cap_exceeded_on=maybe_day(data["cap_exceeded_on"]),
            compliant=data["compliant"],
        )


@strawberry.type(description="One peer's period: the totals and each week with activity.")
class PeerCompliance:
    peer_applicant_id: str
    compliant: bool
    hours_worked: decimal.Decimal
    supervised_minutes: int
    required_minutes: int
    shortfall_minutes: int
    first_cap_exceeded_on: datetime.date | None
    weeks: list[ComplianceWeek]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PeerCompliance:
        return cls(
            peer_applicant_id=data["peer_applicant_id"],
            compliant=data["compliant"],
            hours_worked=decimal.Decimal(data["hours_worked"]),
            supervised_minutes=data["supervised_minutes"],
            required_minutes=data["required_minutes"],
            shortfall_minutes=data["shortfall_minutes"],
            first_cap_exceeded_on=maybe_day(data["first_cap_exceeded_on"]),
            weeks=[ComplianceWeek.from_json(w) for w in data["weeks"]],
        )


@strawberry.type(description="Compliance over whole weeks, for the peers the caller may see.")
class ComplianceReport:
    starts_on: datetime.date
    ends_on: datetime.date
    peers: list[PeerCompliance]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ComplianceReport:
        return cls(
            starts_on=day(data["starts_on"]),
            ends_on=day(data["ends_on"]),
            peers=[PeerCompliance.from_json(p) for p in data["peers"]],
        )


@strawberry.type(description="A peer's complete week that is short today.")
class SupervisionShortfall:
    peer_applicant_id: str
    follow_up_by: datetime.date = strawberry.field(
        description="The week's Sunday plus the board's follow-up days."
    )
    week: ComplianceWeek


@strawberry.type(description="Short weeks, earliest follow-up first, and how many in all.")
class ShortfallPage:
    items: list[SupervisionShortfall]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )
    total: int = strawberry.field(description="Short weeks in the period, on every page.")
    overdue: int = strawberry.field(description="Of those, past their follow-up day.")
    starts_on: datetime.date
    ends_on: datetime.date

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShortfallPage:
        return cls(
            items=[
                SupervisionShortfall(
                    peer_applicant_id=item["peer_applicant_id"],
                    follow_up_by=day(item["follow_up_by"]),
                    week=ComplianceWeek.from_json(item["week"]),
                )
                for item in data["items"]
            ],
            next_cursor=data["next_cursor"],
            total=data["total"],
            overdue=data["overdue"],
            starts_on=day(data["starts_on"]),
            ends_on=day(data["ends_on"]),
        )


@strawberry.type
class ComplianceQueries:
    @strawberry.field(
        description="Staff: every peer; a supervisor: their supervisees; a peer: their own."
    )
    async def supervision_compliance(
        self,
        info: Ctx,
        from_day: Annotated[
            datetime.date, strawberry.argument(name="from", description="A day of the first week.")
        ],
        to_day: Annotated[
            datetime.date, strawberry.argument(name="to", description="A day of the last week.")
        ],
        peer_applicant_id: str | None = None,
    ) -> ComplianceReport:
        ctx = info.context
        ctx.require(Role.STAFF, Role.APPLICANT, Role.SUPERVISOR)
        data = await ctx.backends.supervision.compliance(
            first_day=from_day, last_day=to_day, peer=peer_applicant_id
        )
        return ComplianceReport.from_json(data)

    @strawberry.field(
        description="Staff: every peer's complete week that is short today, earliest "
        "follow-up day first, with how many and how many are overdue."
    )
    async def supervision_shortfalls(
        self,
        info: Ctx,
        weeks: Annotated[
            int, strawberry.argument(description="Complete weeks to look back over.")
        ] = 8,
        first: First = 50,
        after: After = None,
    ) -> ShortfallPage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.supervision.shortfalls(weeks=weeks, first=first, after=after)
        return ShortfallPage.from_json(page)
