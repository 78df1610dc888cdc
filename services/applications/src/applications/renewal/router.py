"""HTTP endpoints of renewal: what it takes today, the renewal itself, and the history."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from applications.deps import READERS, Context
from applications.renewal import service, views
from applications.renewal.repository import RenewalRepository
from applications.renewal.schemas import RenewalPublic, RenewalRequest, RenewalView
from certboard_core.errors import AUTHENTICATED, InvalidInput, NotFound, error_responses
from certboard_core.versioned import VersionConflict

router = APIRouter(
    prefix="/v1/certifications/{certification_id}",
    tags=["renewals"],
    dependencies=READERS,
    responses=error_responses(*AUTHENTICATED, NotFound),
)


@router.get("/renewal")
async def renewal_view(certification_id: uuid.UUID, ctx: Context) -> RenewalView:
    """Where the certification stands and what renewing it takes today: the window, the fees
    recorded and owed, the CE of the closing cycle by category: its holder's, or staff's."""
    _, certification = await service.certification_of(ctx, certification_id)
    return views.view_of(await service.assess(ctx, certification), ctx.policy, ctx.today)


@router.post(
    "/renewals",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(service.RenewalRefused, VersionConflict, InvalidInput),
)
async def renew(certification_id: uuid.UUID, body: RenewalRequest, ctx: Context) -> RenewalPublic:
    """Renew: both attestations, the fees recorded, and the CE the board makes a condition;
    the period extends from the old valid-through day. Every unmet condition is listed."""
    return views.public(await service.renew(ctx, certification_id, body))


@router.get("/renewals")
async def renewals(certification_id: uuid.UUID, ctx: Context) -> list[RenewalPublic]:
    """Every renewal of the certification, oldest first."""
    _, certification = await service.certification_of(ctx, certification_id)
    found = await RenewalRepository(ctx.session).of_certification(certification.id)
    return [views.public(r) for r in found]
