"""The compliance report: each week compliant or short, per peer the caller may see."""

from __future__ import annotations

import datetime
import decimal
from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.common import Ctx, day, maybe_day


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
        return ComplianceReport(
            starts_on=day(data["starts_on"]),
            ends_on=day(data["ends_on"]),
            peers=[PeerCompliance.from_json(p) for p in data["peers"]],
        )
