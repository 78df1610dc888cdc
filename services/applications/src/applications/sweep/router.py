"""Run the sweep now, on this service's clock (the test clock outside production)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from applications.sweep.runner import sweep_once
from certboard_core.auth import Role, require_roles
from certboard_core.errors import Forbidden, NotAuthenticated, error_responses

router = APIRouter(
    prefix="/internal",
    tags=["internal"],
    # No parameters, so nothing to be malformed: only the caller can be refused.
    responses=error_responses(NotAuthenticated, Forbidden),
    dependencies=[Depends(require_roles(Role.SERVICE, Role.STAFF))],
)


class SweepReport(BaseModel):
    """How many applications one sweep voided and expired, certifications whose status it
    wrote, and reminders it sent."""

    voided: int
    expired: int
    void_reminders: int
    expiry_reminders: int
    certification_statuses: int = Field(
        description="certifications whose stored status time had moved (renewal window, "
        "lapsed, expired, terminated)"
    )
    renewal_reminders: int = Field(
        description="renewal reminders: before expiry, at lapse and at expiry"
    )
    employer_alerts: int = Field(
        default=0, description="coming-expiry alerts recorded for employers who enrolled"
    )


@router.post("/sweep")
async def sweep_now(request: Request) -> SweepReport:
    """Void, expire, write certifications' statuses and send due reminders now; running it
    twice changes nothing more."""
    state = request.app.state
    result = await sweep_once(
        state.sessions,
        clock=state.clock,
        policy=state.policy,
        outbox=state.outbox,
        workers=state.settings.sweep_workers,
    )
    state.dispatcher.wake.set()
    return SweepReport(**asdict(result))
