"""HTTP endpoints of certifications: the holder's and staff's read, and public verification."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path

from applications.certification import service
from applications.certification.repository import CertificationRepository
from applications.certification.schemas import CertificationPublic, Verification
from applications.deps import READERS, Context, PolicyDep
from certboard_core.db import Session
from certboard_core.deps import ClockDep
from certboard_core.errors import AUTHENTICATED, NotFound, RateLimited, error_responses
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
