"""Supervision session logs: the peer logs, the supervisor signs off or amends."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Annotated, Any

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


@strawberry.enum(description="Individual or group supervision.")
class SessionFormat(Enum):
    INDIVIDUAL = "individual"
    GROUP = "group"


@strawberry.enum(description="What the supervisor's sign-off covers.")
class SessionTopic(Enum):
    ASSESSMENTS = "assessments"
    INTERPRETATIONS = "interpretations"
    REFERRALS = "referrals"
    SUPPORT_INTERVENTIONS = "support_interventions"
    PLANNING = "planning"


@strawberry.type(description="A supervision session as logged; locked once signed off.")
class SupervisionSession:
    id: strawberry.ID
    agreement_id: strawberry.ID
    peer_applicant_id: str
    supervisor_id: str
    peer_name: str
    peer_certification_number: str | None
    supervisor_name: str | None
    supervisor_license_number: str | None
    held_on: datetime.date
    start_time: str = strawberry.field(description="HH:MM, local to the board.")
    stop_time: str
    minutes: int
    format: SessionFormat
    topics: list[SessionTopic]
    signed_off_at: datetime.datetime | None
    signed_off_by: str | None
    locked: bool
    current: bool = strawberry.field(description="False once an amendment superseded it.")
    supersedes_id: strawberry.ID | None
    amendment_reason: str | None
    superseded_at: datetime.datetime | None
    superseded_by: str | None
    created_at: datetime.datetime
    created_by: str
    version: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SupervisionSession:
        return cls(
            id=strawberry.ID(data["id"]),
            agreement_id=strawberry.ID(data["agreement_id"]),
            peer_applicant_id=data["peer_applicant_id"],
            supervisor_id=data["supervisor_id"],
            peer_name=data["peer_name"],
            peer_certification_number=data["peer_certification_number"],
            supervisor_name=data["supervisor_name"],
            supervisor_license_number=data["supervisor_license_number"],
            held_on=day(data["held_on"]),
            start_time=data["start_time"],
            stop_time=data["stop_time"],
            minutes=data["minutes"],
            format=SessionFormat(data["format"]),
            topics=[SessionTopic(t) for t in data["topics"]],
            signed_off_at=maybe_instant(data["signed_off_at"]),
            signed_off_by=data["signed_off_by"],
            locked=data["locked"],
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
class SupervisionSessionPage:
    items: list[SupervisionSession]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SupervisionSessionPage:
        return cls(
            items=[SupervisionSession.from_json(i) for i in data["items"]],
            next_cursor=data["next_cursor"],
        )


@strawberry.input(description="When a session was held and what it covered.")
class SessionTimesInput:
    held_on: datetime.date
    start_time: str = strawberry.field(description="HH:MM, local to the board.")
    stop_time: str
    format: SessionFormat
    topics: list[SessionTopic]

    def times(self) -> dict[str, Any]:
        return {
            "held_on": self.held_on.isoformat(),
            "start_time": self.start_time,
            "stop_time": self.stop_time,
            "format": self.format.value,
            "topics": [t.value for t in self.topics],
        }


@strawberry.input(description="A session the peer logs under an active agreement.")
class SessionLogInput(SessionTimesInput):
    agreement_id: strawberry.ID
    peer_name: str
    peer_certification_number: str | None = None


@strawberry.input(description="The supervisor's correction, signed off as it is made.")
class SessionAmendmentInput(SessionTimesInput):
    reason: str
    supervisor_name: str
    supervisor_license_number: str


@strawberry.type
class SessionQueries:
    @strawberry.field(
        description="Sessions: staff see all, a supervisor their agreements', a peer their own."
    )
    async def supervision_sessions(
        self,
        info: Ctx,
        agreement_id: strawberry.ID | None = None,
        peer_applicant_id: str | None = None,
        held_from: Since = None,
        held_to: Until = None,
        include_superseded: bool = False,
        awaiting_sign_off: Annotated[
            bool,
            strawberry.argument(description="Only sessions not yet signed off (to sign)."),
        ] = False,
        first: First = 50,
        after: After = None,
    ) -> SupervisionSessionPage:
        page = await record_page(
            info,
            info.context.backends.supervision.list_sessions,
            since=held_from,
            until=held_to,
            first=first,
            after=after,
            agreement_id=agreement_id,
            peer_applicant_id=peer_applicant_id,
            include_superseded=include_superseded,
            awaiting_sign_off=awaiting_sign_off,
        )
        return SupervisionSessionPage.from_json(page)


@strawberry.type
class SessionMutations:
    @strawberry.mutation(description="The peer logs a session for the supervisor's sign-off.")
    async def log_supervision_session(
        self, info: Ctx, input: SessionLogInput
    ) -> SupervisionSession:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        body = {
            **input.times(),
            "agreement_id": str(input.agreement_id),
            "peer_name": input.peer_name,
            "peer_certification_number": input.peer_certification_number,
        }
        return SupervisionSession.from_json(await ctx.backends.supervision.log_session(body))

    @strawberry.mutation(description="The supervisor signs a session off; it is then locked.")
    async def sign_off_supervision_session(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        supervisor_name: str,
        supervisor_license_number: str,
    ) -> SupervisionSession:
        ctx = info.context
        ctx.require(Role.SUPERVISOR)
        body = {
            "expected_version": expected_version,
            "supervisor_name": supervisor_name,
            "supervisor_license_number": supervisor_license_number,
        }
        signed = await ctx.backends.supervision.sign_off_session(id, body)
        return SupervisionSession.from_json(signed)

    @strawberry.mutation(
        description="The supervisor corrects a session: a new signed-off entry supersedes it."
    )
    async def amend_supervision_session(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        input: SessionAmendmentInput,
    ) -> SupervisionSession:
        ctx = info.context
        ctx.require(Role.SUPERVISOR)
        body = {
            **input.times(),
            "expected_version": expected_version,
            "reason": input.reason,
            "supervisor_name": input.supervisor_name,
            "supervisor_license_number": input.supervisor_license_number,
        }
        amended = await ctx.backends.supervision.amend_session(id, body)
        return SupervisionSession.from_json(amended)
