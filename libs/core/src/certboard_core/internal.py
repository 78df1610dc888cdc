"""Endpoints every service has: health, the event inbox and (not in production) the test clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from certboard_core.auth import Principal, Role, require_roles
from certboard_core.clock import ClockOutOfRange, TestClock
from certboard_core.db import Session, add_unique, ping
from certboard_core.errors import (
    AUTHENTICATED,
    ErrorResponse,
    UpstreamUnavailable,
    ValidationFailed,
    error_responses,
)
from certboard_core.fields import IsoDateTime
from certboard_core.outbox import EventEnvelope, EventHandler, ProcessedEvent
from certboard_core.schemas import RequestModel


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @router.get("/readyz", responses={503: {"model": ErrorResponse}})
    async def readyz(request: Request) -> dict[str, str]:
        """The process can reach its database."""
        try:
            await ping(request.app.state.engine)
        except Exception as exc:
            raise UpstreamUnavailable(
                f"the database is not reachable: {type(exc).__name__}"
            ) from exc
        return {"status": "ready", "database": "ok"}

    return router


class EventAck(BaseModel):
    event_id: str
    outcome: str = Field(description="handled, ignored (no handler here) or duplicate")


def events_router(handlers: dict[str, EventHandler]) -> APIRouter:
    """The inbox: handle each event once, in the same transaction that records its id."""
    router = APIRouter(
        prefix="/internal", tags=["internal"], responses=error_responses(*AUTHENTICATED)
    )

    @router.post("/events")
    async def receive_event(
        envelope: EventEnvelope,
        session: Session,
        request: Request,
        _caller: Principal = Depends(require_roles(Role.SERVICE)),
    ) -> EventAck:
        """Accept an event from another service's outbox (at-least-once in, exactly-once effect)."""
        clock = request.app.state.clock
        first_time = await add_unique(
            session,
            ProcessedEvent(
                event_id=envelope.id,
                type=envelope.type,
                source=envelope.source,
                processed_at=clock.now(),
            ),
        )
        if not first_time:
            return EventAck(event_id=str(envelope.id), outcome="duplicate")
        handler = handlers.get(envelope.type)
        if handler is None:
            return EventAck(event_id=str(envelope.id), outcome="ignored")
        await handler(session, envelope)
        return EventAck(event_id=str(envelope.id), outcome="handled")

    return router


_ABSENT: JsonValue = {"type": "null"}
# The three shapes of a clock update: exactly one action, in the schema as in the validator.
_ONE_ACTION: list[JsonValue] = [
    {
        "title": "set",
        "required": ["set_to"],
        "properties": {
            "set_to": {"type": "string", "format": "date-time"},
            "advance_seconds": _ABSENT,
            "reset": {"const": False},
        },
    },
    {
        "title": "advance",
        "required": ["advance_seconds"],
        "properties": {
            "advance_seconds": {"type": "number"},
            "set_to": _ABSENT,
            "reset": {"const": False},
        },
    },
    {
        "title": "reset",
        "required": ["reset"],
        "properties": {"reset": {"const": True}, "set_to": _ABSENT, "advance_seconds": _ABSENT},
    },
]


class ClockUpdate(RequestModel):
    """Set the clock to an instant (frozen, or running from there), advance it, or reset it."""

    model_config = ConfigDict(json_schema_extra={"oneOf": _ONE_ACTION})

    set_to: IsoDateTime | None = None
    frozen: bool = True
    advance_seconds: float | None = Field(default=None, allow_inf_nan=False)
    reset: bool = False

    @model_validator(mode="after")
    def _one_action(self) -> ClockUpdate:
        actions = [self.set_to is not None, self.advance_seconds is not None, self.reset]
        if sum(actions) != 1:
            raise ValueError("give exactly one of set_to, advance_seconds or reset")
        if self.set_to is not None and self.set_to.tzinfo is None:
            raise ValueError("set_to needs a UTC offset, e.g. 2026-01-31T08:00:00Z")
        return self


class ClockView(BaseModel):
    now: datetime
    frozen: bool
    offset_seconds: float


def apply_clock_update(clock: TestClock, update: ClockUpdate) -> ClockView:
    """Make the one change ``update`` asks for; a move out of the clock's range changes nothing."""
    if update.reset:
        clock.reset()
    elif update.set_to is not None:
        clock.set(update.set_to, frozen=update.frozen)
    elif update.advance_seconds is not None:
        try:
            delta = timedelta(seconds=update.advance_seconds)
        except OverflowError:  # beyond timedelta's range, so far beyond the clock's
            raise ClockOutOfRange(field="advance_seconds") from None
        clock.advance(delta)
    state = clock.state()
    return ClockView(now=state.now, frozen=state.frozen, offset_seconds=state.offset_seconds)


def test_clock_router() -> APIRouter:
    """Mounted only when the test clock is enabled; in production the paths do not exist."""
    router = APIRouter(
        prefix="/internal", tags=["internal"], responses=error_responses(*AUTHENTICATED)
    )
    caller = Depends(require_roles(Role.SERVICE, Role.STAFF))

    @router.get("/test-clock")
    async def read_clock(request: Request, _caller: Principal = caller) -> ClockView:
        """This service's current test-clock time."""
        state = request.app.state.clock.state()
        return ClockView(now=state.now, frozen=state.frozen, offset_seconds=state.offset_seconds)

    @router.put("/test-clock", responses=error_responses(ValidationFailed, ClockOutOfRange))
    async def move_clock(
        update: ClockUpdate, request: Request, _caller: Principal = caller
    ) -> ClockView:
        """Set, advance or reset this service's test clock."""
        return apply_clock_update(request.app.state.clock, update)

    return router
