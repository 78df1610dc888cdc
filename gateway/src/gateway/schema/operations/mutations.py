"""The test clock of every service, and the sweep on demand (development and test only)."""

from __future__ import annotations

import asyncio

import strawberry
from pydantic import ValidationError

from certboard_core.auth import Role
from certboard_core.internal import ClockUpdate
from gateway.errors import CodedError
from gateway.schema.common import Ctx
from gateway.schema.operations.types import ServiceClock, SweepReport, TestClockInput


@strawberry.type
class ClockMutations:
    @strawberry.mutation(
        description="Staff, outside production: set, advance or reset every service's clock."
    )
    async def move_test_clock(self, info: Ctx, input: TestClockInput) -> list[ServiceClock]:
        ctx = info.context
        ctx.require(Role.STAFF)
        try:
            update = ClockUpdate(
                set_to=input.set_to,
                frozen=input.frozen,
                advance_seconds=input.advance_seconds,
                reset=input.reset,
            )
        except ValidationError as exc:
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise CodedError("BAD_USER_INPUT", message, field="input", status=422) from exc
        clocks = await ctx.backends.move_test_clocks(update)
        return [ServiceClock.from_json(service, clock) for service, clock in clocks]


@strawberry.type
class SweepMutations:
    @strawberry.mutation(
        description="Staff, outside production: void, expire and remind now, on the "
        "applications and exams services' (test) clocks, instead of waiting for their schedules."
    )
    async def run_sweep(self, info: Ctx) -> SweepReport:
        ctx = info.context
        ctx.require(Role.STAFF)
        applications, exams = await asyncio.gather(
            ctx.backends.applications.run_sweep(), ctx.backends.exams.run_exam_sweep()
        )
        report = SweepReport.from_json(applications)
        report.expired_unused_authorizations = exams["expired_unused"]
        return report
