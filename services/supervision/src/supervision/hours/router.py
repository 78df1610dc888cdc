"""HTTP endpoints of the hours-worked aggregate."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from certboard_core.auth import Role, require_roles
from certboard_core.errors import AUTHENTICATED, NotFound, error_responses
from certboard_core.fields import IsoDate
from certboard_core.versioned import VersionConflict
from supervision import errors
from supervision.deps import Context
from supervision.hours import service
from supervision.hours.schemas import HoursAmendment, HoursPage, HoursPublic, HoursReport

router = APIRouter(
    prefix="/v1/supervision/hours",
    tags=["hours worked"],
    responses=error_responses(*AUTHENTICATED),
)
After = Annotated[str | None, Query(description="cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_roles(Role.APPLICANT))],
    responses=error_responses(
        NotFound,
        errors.InvalidHours,
        errors.InFuture,
        errors.AgreementNotActive,
        errors.OutsideAgreement,
        errors.HoursAlreadyReported,
    ),
)
async def report_hours(body: HoursReport, ctx: Context) -> HoursPublic:
    """The peer reports hours worked on a day or in a week under their active agreement."""
    return service.to_public(await service.report_hours(ctx, body))


@router.post(
    "/{hours_id}/amendments",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_roles(Role.APPLICANT))],
    responses=error_responses(NotFound, errors.InvalidHours, errors.Superseded, VersionConflict),
)
async def amend_hours(hours_id: uuid.UUID, body: HoursAmendment, ctx: Context) -> HoursPublic:
    """The peer corrects a report; the earlier one stays, marked as superseded."""
    return service.to_public(await service.amend_hours(ctx, hours_id, body))


@router.get(
    "",
    dependencies=[Depends(require_roles(Role.STAFF, Role.APPLICANT, Role.SUPERVISOR))],
)
async def list_hours(
    ctx: Context,
    agreement_id: uuid.UUID | None = None,
    peer_applicant_id: Annotated[str | None, Query(max_length=200)] = None,
    starts_from: Annotated[IsoDate | None, Query(alias="from")] = None,
    starts_to: Annotated[IsoDate | None, Query(alias="to")] = None,
    include_superseded: bool = False,
    after: After = None,
    limit: Limit = 50,
) -> HoursPage:
    """Reports the caller may see: staff all, a supervisor their agreements', a peer their own."""
    page = await service.list_hours(
        ctx,
        agreement_id=agreement_id,
        peer_applicant_id=peer_applicant_id,
        starts_from=starts_from,
        starts_to=starts_to,
        include_superseded=include_superseded,
        after=after,
        limit=limit,
    )
    return HoursPage(items=[service.to_public(r) for r in page.items], next_cursor=page.next_cursor)
