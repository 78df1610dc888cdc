"""Supervisors as GraphQL: self-registration, staff verification, qualification today."""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.common import After, Ctx, ExpectedVersion, First, day, instant, maybe_instant


@strawberry.enum(description="Staff's check of a supervisor's license.")
class SupervisorVerification(Enum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


@strawberry.enum(description="Staff's decision on a supervisor's license.")
class VerificationDecision(Enum):
    VERIFIED = "verified"
    REJECTED = "rejected"


@strawberry.type(description="One condition a supervisor does not meet.")
class UnmetCondition:
    code: str
    message: str
    field: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UnmetCondition:
        return cls(code=data["code"], message=data["message"], field=data.get("field"))


@strawberry.type(description="Whether a supervisor qualifies on a day, and every unmet condition.")
class Qualification:
    on: datetime.date
    qualified: bool
    unmet: list[UnmetCondition]


@strawberry.type(description="A clinical supervisor (a user with the supervisor role).")
class Supervisor:
    id: strawberry.ID = strawberry.field(description="The supervisor's user id.")
    name: str
    contact_email: str | None = strawberry.field(
        description="Where the board mails the supervisor; null on records made before it was "
        "asked for."
    )
    license_type: str = strawberry.field(description="One of the policy's accepted types.")
    license_number: str
    license_state: str
    license_expires_on: datetime.date = strawberry.field(
        description="The last day the license is valid."
    )
    first_licensed_on: datetime.date
    supervision_ce_hours: Decimal
    verification: SupervisorVerification
    verified_by: str | None
    verified_at: datetime.datetime | None
    verification_note: str | None
    created_at: datetime.datetime
    version: int = strawberry.field(
        description="Send back as `expectedVersion` with every change; a stale one is refused."
    )
    qualification: Qualification = strawberry.field(description="As of today, locally.")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Supervisor:
        qualification = data["qualification"]
        return cls(
            id=strawberry.ID(data["id"]),
            name=data["name"],
            contact_email=data["contact_email"],
            license_type=data["license_type"],
            license_number=data["license_number"],
            license_state=data["license_state"],
            license_expires_on=day(data["license_expires_on"]),
            first_licensed_on=day(data["first_licensed_on"]),
            supervision_ce_hours=Decimal(data["supervision_ce_hours"]),
            verification=SupervisorVerification(data["verification"]),
            verified_by=data["verified_by"],
            verified_at=maybe_instant(data["verified_at"]),
            verification_note=data["verification_note"],
            created_at=instant(data["created_at"]),
            version=data["version"],
            qualification=Qualification(
                on=day(qualification["on"]),
                qualified=qualification["qualified"],
                unmet=[UnmetCondition.from_json(u) for u in qualification["unmet"]],
            ),
        )


@strawberry.type
class SupervisorPage:
    items: list[Supervisor]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SupervisorPage:
        return cls(
            items=[Supervisor.from_json(s) for s in data["items"]], next_cursor=data["next_cursor"]
        )


@strawberry.input(description="A supervisor's license and supervision training.")
class SupervisorInput:
    name: str
    contact_email: str = strawberry.field(description="Where the board mails you (reminders).")
    license_type: str = strawberry.field(description="One of the policy's accepted types.")
    license_number: str
    license_state: str = strawberry.field(description="Two capital letters.")
    license_expires_on: datetime.date
    first_licensed_on: datetime.date
    supervision_ce_hours: Decimal = strawberry.field(description="Exact, at most 2 decimals.")


@strawberry.input(description="Corrections; what is left out stays as it is.")
class SupervisorChangeInput:
    name: str | None = None
    contact_email: str | None = None
    license_type: str | None = None
    license_number: str | None = None
    license_state: str | None = None
    license_expires_on: datetime.date | None = None
    first_licensed_on: datetime.date | None = None
    supervision_ce_hours: Decimal | None = None


def _wire(values: dict[str, Any]) -> dict[str, Any]:
    """Input values as the service reads them: dates ISO, decimals as text, nulls left out."""
    wired: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        wired[name] = value
    return wired


@strawberry.type
class SupervisorQueries:
    @strawberry.field(
        description="A supervisor and whether they qualify today: staff any, a supervisor "
        "their own (others: NOT_FOUND)."
    )
    async def supervisor(self, info: Ctx, id: strawberry.ID) -> Supervisor:
        ctx = info.context
        ctx.require(Role.STAFF, Role.SUPERVISOR)
        return Supervisor.from_json(await ctx.backends.supervision.get_supervisor(id))

    @strawberry.field(description="Staff: supervisors, oldest record first.")
    async def supervisors(
        self,
        info: Ctx,
        verification: SupervisorVerification | None = None,
        first: First = 50,
        after: After = None,
    ) -> SupervisorPage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.supervision.list_supervisors(
            verification=verification.value if verification else None, first=first, after=after
        )
        return SupervisorPage.from_json(page)


@strawberry.type
class SupervisorMutations:
    @strawberry.mutation(
        description="Supervisor: record your own license and supervision training; staff "
        "verify it before you qualify (SUPERVISOR_EXISTS the second time)."
    )
    async def register_supervisor(self, info: Ctx, input: SupervisorInput) -> Supervisor:
        ctx = info.context
        ctx.require(Role.SUPERVISOR)
        body = _wire(strawberry.asdict(input))
        return Supervisor.from_json(await ctx.backends.supervision.register_supervisor(body))

    @strawberry.mutation(
        description="Supervisor: correct your own record; a changed license or CE total "
        "waits for staff to verify it again."
    )
    async def update_supervisor(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        input: SupervisorChangeInput,
    ) -> Supervisor:
        ctx = info.context
        ctx.require(Role.SUPERVISOR)
        corrected = await ctx.backends.supervision.correct_supervisor(
            id, expected_version=expected_version, changes=_wire(strawberry.asdict(input))
        )
        return Supervisor.from_json(corrected)

    @strawberry.mutation(
        description="Staff: the license checked out with the licensing state, or not (a "
        "rejection needs a note)."
    )
    async def verify_supervisor(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        decision: VerificationDecision,
        note: str | None = None,
    ) -> Supervisor:
        ctx = info.context
        ctx.require(Role.STAFF)
        verified = await ctx.backends.supervision.verify_supervisor(
            id, expected_version=expected_version, decision=decision.value, note=note
        )
        return Supervisor.from_json(verified)
