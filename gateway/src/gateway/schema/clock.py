"""The test clock for every service at once (development and test only)."""

from __future__ import annotations

import asyncio
import datetime

import strawberry
from pydantic import ValidationError
from strawberry.types import Info

from certboard_core.auth import Role
from certboard_core.internal import ClockUpdate
from gateway.clients import Backends
from gateway.context import GatewayContext
from gateway.errors import CodedError


@strawberry.type
class ServiceClock:
    service: str
    now: datetime.datetime
    frozen: bool
    offset_seconds: float


async def move_all_clocks(
    backends: Backends, update: ClockUpdate, *, token: str | None, request_id: str | None
) -> list[ServiceClock]:
    """Apply one clock change to every service; any that fails is reported by name."""
    body = update.model_dump(mode="json", exclude_none=True)
    responses = await asyncio.gather(
        *(
            client.request(
                "PUT", "/internal/test-clock", token=token, request_id=request_id, json=body
            )
            for client in backends.all
        )
    )
    return [
        ServiceClock(
            service=client.name,
            now=datetime.datetime.fromisoformat(data["now"]),
            frozen=data["frozen"],
            offset_seconds=data["offset_seconds"],
        )
        for client, data in ((c, r.json()) for c, r in zip(backends.all, responses, strict=True))
    ]


@strawberry.input(description="Exactly one of setTo, advanceSeconds or reset.")
class TestClockInput:
    set_to: datetime.datetime | None = None
    frozen: bool = True
    advance_seconds: float | None = None
    reset: bool = False


@strawberry.type
class ClockMutations:
    @strawberry.mutation(
        description="Staff, outside production: set, advance or reset every service's clock."
    )
    async def move_test_clock(
        self, info: Info[GatewayContext, None], input: TestClockInput
    ) -> list[ServiceClock]:
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
        return await move_all_clocks(
            ctx.backends, update, token=ctx.token, request_id=ctx.request_id
        )
