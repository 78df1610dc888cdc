"""The gateway's plain HTTP endpoints: health, and the test clock for scripts and CI."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from certboard_core.auth import Principal, Role, require_roles
from certboard_core.clock import ClockOutOfRange
from certboard_core.errors import AUTHENTICATED, DomainError, UpstreamUnavailable, error_responses
from certboard_core.internal import ClockUpdate
from gateway.clients.backends import Backends
from gateway.errors import CodedError


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request) -> dict[str, str]:
        """Ready to serve; each backend's readiness is reported, none is required."""
        backends: Backends = request.app.state.backends
        report = {"status": "ready"}
        for client in backends.for_request(token=None, request_id=None).all:
            try:
                await client.check_ready()
                report[client.name] = "ready"
            except CodedError as exc:
                report[client.name] = exc.code.lower()
        return report

    return router


class ServiceClockView(BaseModel):
    service: str
    now: str
    frozen: bool
    offset_seconds: float


class Relayed(DomainError):
    """A backend's refusal, answered with its code, field and status."""

    def __init__(self, error: CodedError) -> None:
        super().__init__(str(error), field=error.field, code=error.code)
        self.status_code = error.status or 502


def test_clock_router() -> APIRouter:
    """``PUT /test-clock`` moves every service's clock at once; absent in production."""
    router = APIRouter(
        tags=["test clock"],
        responses=error_responses(*AUTHENTICATED, ClockOutOfRange, UpstreamUnavailable),
    )

    @router.put("/test-clock")
    async def move_test_clock(
        update: ClockUpdate,
        request: Request,
        principal: Principal = Depends(require_roles(Role.STAFF)),
    ) -> list[ServiceClockView]:
        """Set, advance or reset the clock of every service (staff, development and test only)."""
        backends: Backends = request.app.state.backends
        caller = backends.for_request(principal.token, getattr(request.state, "request_id", None))
        try:
            clocks = await caller.move_test_clocks(update)
        except CodedError as exc:
            raise Relayed(exc) from exc
        return [
            ServiceClockView(
                service=service,
                now=datetime.fromisoformat(clock["now"]).isoformat(),
                frozen=clock["frozen"],
                offset_seconds=clock["offset_seconds"],
            )
            for service, clock in clocks
        ]

    return router
