"""HTTP endpoints of certifications: the holder's and staff's read, and public verification."""

from __future__ import annotations

import uuid
from typing import Annotated

from dateutil.relativedelta import relativedelta
from fastapi import APIRouter, Path, Query

from applications.certification import service
from applications.certification.repository import CertificationRepository, ExpiringRepository
from applications.certification.schemas import (
    CertificationPublic,
    ExpiringCertification,
    ExpiringPage,
    Verification,
)
from applications.certification.views import status_today
from applications.deps import READERS, STAFF_ONLY, Context, PolicyDep
from applications.renewal.progress import progress_of
from applications.renewal.views import hours
from certboard_core.db import Session
from certboard_core.deps import ClockDep
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    RateLimited,
    error_responses,
)
from certboard_core.fields import IsoDate
from certboard_core.ratelimit import PER_CLIENT

router = APIRouter(tags=["certifications"])


@router.get(
    "/v1/applications/{application_id}/certification",
    dependencies=READERS,
    responses=error_responses(*AUTHENTICATED, NotFound),
)
async def read_certification(application_id: uuid.UUID, ctx: Context) -> CertificationPublic:
    """The certification a pass earned: its applicant's own, or any for staff."""
    return await service.read_certification(ctx, application_id)


@router.get(
    "/v1/verification/{number}",
    # Counted per client whatever the headers: this route reads no token, so a made-up one
    # must not buy a way around the limit.
    dependencies=[PER_CLIENT],
    responses=error_responses(RateLimited, service.CertificateNumberUnknown),
)
async def verify_certificate(
    number: Annotated[
        str, Path(max_length=40, description="as printed; case, spaces and hyphens do not matter")
    ],
    session: Session,
    clock: ClockDep,
    policy: PolicyDep,
) -> Verification:
    """Public: the holder's name, the status and the dates of a certificate number, no more."""
    today = policy.local_date(clock.now())
    return await service.verify(CertificationRepository(session), number, today, policy)


@router.get(
    "/v1/certifications/expiring",
    dependencies=STAFF_ONLY,
    responses=error_responses(*AUTHENTICATED, InvalidInput),
)
async def expiring(
    ctx: Context,
    first: Annotated[
        IsoDate | None, Query(alias="from", description="default: the first of this month")
    ] = None,
    last: Annotated[
        IsoDate | None, Query(alias="to", description="default: the last of this month")
    ] = None,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ExpiringPage:
    """Staff: certifications whose period ends in a span (this month unless asked), soonest
    first, with how many; suspended and revoked ones are left out (they do not renew)."""
    starts_on = first or ctx.today.replace(day=1)
    ends_on = last or starts_on + relativedelta(day=31)
    if ends_on < starts_on:
        raise InvalidInput("the span ends before it starts", field="to")
    repository = ExpiringRepository(ctx.session)
    page = await repository.page(starts_on, ends_on, after=after, limit=limit)
    # Who is short of CE among those about to lapse: staff's first call to make.
    progress = await progress_of(ctx.session, page.items, ctx.policy)
    return ExpiringPage(
        items=[
            ExpiringCertification(
                **status_today(c, ctx.today, ctx.policy).model_dump(),
                ce_still_needed_hours=hours(progress[c.id].still_needed_hundredths),
            )
            for c in page.items
        ],
        next_cursor=page.next_cursor,
        total=await repository.count(starts_on, ends_on),
        starts_on=starts_on,
        ends_on=ends_on,
    )
