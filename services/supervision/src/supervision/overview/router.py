"""HTTP endpoint of the overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from certboard_core.auth import Role, require_roles
from certboard_core.errors import AUTHENTICATED, InvalidInput, error_responses
from certboard_core.fields import IsoDate
from supervision.deps import Context
from supervision.overview import service
from supervision.overview.schemas import Overview

router = APIRouter(
    prefix="/v1/supervision/overview",
    tags=["supervision overview"],
    responses=error_responses(*AUTHENTICATED),
)


@router.get(
    "",
    dependencies=[Depends(require_roles(Role.APPLICANT, Role.SUPERVISOR))],
    responses=error_responses(InvalidInput),
)
async def overview(
    ctx: Context,
    first: Annotated[
        IsoDate | None,
        Query(alias="from", description="a day of the first week; 11 weeks before this one"),
    ] = None,
    last: Annotated[
        IsoDate | None, Query(alias="to", description="a day of the last week; this week")
    ] = None,
) -> Overview:
    """A peer's or a supervisor's agreements (up to 200), their current sessions and the
    compliance of the peers concerned, in one read."""
    return await service.overview(ctx, first=first, last=last)
