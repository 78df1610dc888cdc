"""HTTP endpoints of certifications: the holder's and staff's read, and public verification."""

from __future__ import annotations

import uuid
from typing import Annotated

from dateutil.relativedelta import relativedelta
from fastapi import APIRouter, Depends, Path, Query, Response

from applications.certification import service
from applications.certification.public import Lookup, certification_numbered
from applications.certification.repository import ExpiringRepository
from applications.certification.schemas import (
    CertificationPublic,
    ExpiringCertification,
    ExpiringPage,
    Verification,
    VerificationPage,
)
from applications.certification.service import CertificateNumberUnknown
from applications.certification.views import status_today
from applications.credential import service as credential
from applications.credential.schemas import SignedCredential
from applications.deps import (
    READERS,
    STAFF_ONLY,
    Context,
    IssuerDep,
    PolicyDep,
    PublicContext,
)
from applications.renewal.progress import progress_of
from applications.renewal.views import hours
from certboard_core.db import Session, writes_on_read
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


TypedNumber = Annotated[
    str, Path(max_length=40, description="as printed; case, spaces and hyphens do not matter")
]


async def lookup(session: Session, clock: ClockDep, policy: PolicyDep, issuer: IssuerDep) -> Lookup:
    """A public lookup as of the board's today."""
    return Lookup(session, policy.local_date(clock.now()), policy, issuer.board)


LookupDep = Annotated[Lookup, Depends(lookup)]


@router.get(
    "/v1/verification",
    # Counted per client whatever the headers: these routes read no token, so a made-up one
    # must not buy a way around the limit.
    dependencies=[PER_CLIENT],
    responses=error_responses(RateLimited, InvalidInput),
)
async def find_certificates(
    public: LookupDep,
    last_name: Annotated[
        str, Query(min_length=1, max_length=100, description="the whole last name")
    ],
    first_name: Annotated[
        str,
        Query(min_length=1, max_length=100, description="the first name, or its first letters"),
    ],
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> VerificationPage:
    """Public: holders by name (the whole last name and at least the first letter of the
    first; case, accents, spaces, hyphens and apostrophes do not matter), by first name then
    number, each as verification by number shows it."""
    return await public.by_name(last_name, first_name, after=after, limit=limit)


@router.get(
    "/v1/verification/{number}",
    dependencies=[PER_CLIENT],
    responses=error_responses(RateLimited, CertificateNumberUnknown),
)
async def verify_certificate(number: TypedNumber, public: LookupDep) -> Verification:
    """Public: the holder's name, the number, the status and its dates, public discipline and
    where the signed credential is; no more."""
    return await public.by_number(number)


@router.get(
    "/v1/verification/{number}/credential",
    dependencies=[PER_CLIENT, Depends(writes_on_read)],  # the first one allocates; audited
    responses=error_responses(
        RateLimited, CertificateNumberUnknown, *credential.CREDENTIAL_REFUSALS
    ),
)
async def public_credential(
    number: TypedNumber, ctx: PublicContext, response: Response, issuer: IssuerDep
) -> SignedCredential:
    """Public: the signed Open Badges credential of a certificate number valid to practise
    today (it carries the number and the board's achievement, nothing personal); refused when
    it is suspended, revoked, expired or terminated."""
    certification = await certification_numbered(ctx.session, number)
    issued = await credential.sign_for(ctx, certification, issuer)
    response.headers["Cache-Control"] = "no-store"
    return SignedCredential(credential=issued.token, payload=issued.payload)


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
