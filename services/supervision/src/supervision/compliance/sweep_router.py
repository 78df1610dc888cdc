"""Run the supervision sweep now, on this service's clock (the test clock outside production)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from certboard_core.auth import Role, require_roles
from certboard_core.errors import Forbidden, NotAuthenticated, error_responses
from supervision.compliance.sweep import sweep_once

router = APIRouter(
    prefix="/internal",
    tags=["internal"],
    responses=error_responses(NotAuthenticated, Forbidden),
    dependencies=[Depends(require_roles(Role.SERVICE, Role.STAFF))],
)


class SweepReport(BaseModel):
    """How many short-week reminders one sweep sent."""

    reminders: int


@router.post("/sweep")
async def sweep_now(request: Request) -> SweepReport:
    """Send the reminders due for short weeks now; running it twice sends nothing more."""
    state = request.app.state
    result = await sweep_once(
        state.sessions, clock=state.clock, policy=state.policy, outbox=state.outbox
    )
    state.dispatcher.wake.set()
    return SweepReport(reminders=result.reminders)
