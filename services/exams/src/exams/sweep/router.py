"""Run the exams sweep now, on this service's clock (the test clock outside production)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from certboard_core.auth import Role, require_roles
from certboard_core.errors import Forbidden, NotAuthenticated, error_responses
from exams.sweep.runner import sweep_once

router = APIRouter(
    prefix="/internal",
    tags=["internal"],
    responses=error_responses(NotAuthenticated, Forbidden),
    dependencies=[Depends(require_roles(Role.SERVICE, Role.STAFF))],
)


class SweepReport(BaseModel):
    """How many authorizations one sweep wrote as expired unused."""

    expired_unused: int


@router.post("/sweep")
async def sweep_now(request: Request) -> SweepReport:
    """Write unused authorizations past their last day as expired; twice changes nothing more."""
    state = request.app.state
    expired = await sweep_once(
        state.sessions, clock=state.clock, policy=state.policy, outbox=state.outbox
    )
    return SweepReport(expired_unused=expired)
