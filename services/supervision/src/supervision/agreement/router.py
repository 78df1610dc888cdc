"""HTTP endpoints of the supervision agreement aggregate."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from certboard_core.auth import Principal, Role, require_roles
from certboard_core.db import Session
from certboard_core.deps import ClockDep
from certboard_core.errors import ERROR_RESPONSES
from supervision.agreement import service
from supervision.agreement.schemas import ActiveAgreementAnswer
from supervision.deps import PolicyDep

router = APIRouter(prefix="/internal/agreements", tags=["internal"], responses=ERROR_RESPONSES)

# Other services ask on their own identity; staff may ask the same question directly.
InternalCaller = Annotated[Principal, Depends(require_roles(Role.SERVICE, Role.STAFF))]


@router.get("/active")
async def read_active_agreement(
    session: Session,
    _caller: InternalCaller,
    clock: ClockDep,
    policy: PolicyDep,
    applicant_id: Annotated[
        str, Query(min_length=1, max_length=200, description="the peer's applicant id")
    ],
    on: Annotated[
        date | None,
        Query(description="the day to ask about (YYYY-MM-DD); today in the board's time zone"),
    ] = None,
) -> ActiveAgreementAnswer:
    """Whether a peer has a supervision agreement signed by both sides and in force on a day."""
    return await service.find_active_agreement(
        session, applicant_id=applicant_id, on=on, clock=clock, policy=policy
    )
