"""HTTP endpoint of the compliance report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from certboard_core.auth import Role, require_roles
from certboard_core.errors import AUTHENTICATED, InvalidInput, error_responses
from certboard_core.fields import IsoDate
from supervision.compliance import service, shortfalls
from supervision.compliance.schemas import (
    ComplianceReportPublic,
    ShortfallHistory,
    ShortfallPage,
)
from supervision.deps import Context

router = APIRouter(
    prefix="/v1/supervision/compliance",
    tags=["supervision compliance"],
    responses=error_responses(*AUTHENTICATED),
)


@router.get(
    "",
    dependencies=[Depends(require_roles(Role.STAFF, Role.APPLICANT, Role.SUPERVISOR))],
    responses=error_responses(InvalidInput),
)
async def compliance_report(
    ctx: Context,
    first: Annotated[IsoDate, Query(alias="from", description="a day of the first week")],
    last: Annotated[IsoDate, Query(alias="to", description="a day of the last week")],
    peer_applicant_id: Annotated[str | None, Query(max_length=200)] = None,
) -> ComplianceReportPublic:
    """Each week compliant or short, per peer: staff see all, a supervisor their supervisees,
    a peer their own (another peer's is simply absent)."""
    return await service.report(ctx, first=first, last=last, peer=peer_applicant_id)


@router.get(
    "/shortfalls",
    dependencies=[Depends(require_roles(Role.STAFF))],
    responses=error_responses(InvalidInput),
)
async def shortfall_queue(
    ctx: Context,
    weeks: Annotated[
        int, Query(description="complete weeks to look back over, before this one")
    ] = shortfalls.DEFAULT_WEEKS,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ShortfallPage:
    """Staff: every peer's complete week that is short today, earliest follow-up day first,
    with how many there are and how many are overdue."""
    return await shortfalls.shortfalls(ctx, weeks=weeks, after=after, limit=limit)


@router.get(
    "/shortfalls/history",
    dependencies=[Depends(require_roles(Role.STAFF))],
    responses=error_responses(InvalidInput),
)
async def shortfall_history(
    ctx: Context, days: Annotated[int, Query(ge=1, le=90, description="days back")] = 30
) -> ShortfallHistory:
    """Staff: the short-week queue at the end of each of the last days: how many short weeks
    it held and how many were past their follow-up day."""
    return await shortfalls.history(ctx, days=days)
