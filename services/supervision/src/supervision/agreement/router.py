"""HTTP endpoints of the supervision agreement aggregate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from certboard_core.auth import Role, require_roles
from certboard_core.errors import AUTHENTICATED, error_responses
from certboard_core.fields import IsoDate
from supervision.agreement import service
from supervision.agreement.schemas import ActiveAgreementAnswer
from supervision.deps import Context

# Other services ask on their own identity; staff may ask the same question directly.
router = APIRouter(
    prefix="/internal/agreements",
    tags=["internal"],
    responses=error_responses(*AUTHENTICATED),
    dependencies=[Depends(require_roles(Role.SERVICE, Role.STAFF))],
)


@router.get("/active")
async def read_active_agreement(
    ctx: Context,
    applicant_id: Annotated[
        str, Query(min_length=1, max_length=200, description="the peer's applicant id")
    ],
    on: Annotated[
        IsoDate | None,
        Query(description="the day to ask about (YYYY-MM-DD); today in the board's time zone"),
    ] = None,
) -> ActiveAgreementAnswer:
    """Whether a peer has a supervision agreement signed by both sides and in force on a day."""
    return await service.find_active_agreement(ctx, applicant_id=applicant_id, on=on)
