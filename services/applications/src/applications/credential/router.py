"""HTTP endpoints of credentials: the board's keys, a holder's credential, the status lists
and verification of a presented credential."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response

from applications.credential import service
from applications.credential.models import StatusPurpose
from applications.credential.schemas import (
    CredentialVerification,
    Jwks,
    Presentation,
    SignedCredential,
    VcJwtResponse,
)
from applications.credential.vc import STATUS_LIST_TTL_SECONDS
from applications.credential.verify import verify
from applications.deps import READERS, Context, IssuerDep
from certboard_core.db import Session, writes_on_read
from certboard_core.deps import ClockDep
from certboard_core.errors import AUTHENTICATED, RateLimited, error_responses
from certboard_core.ratelimit import PER_CLIENT

router = APIRouter(tags=["credentials"])

# Keys change on rotation only; an hour bounds how long a verifier holding a cached set may
# not know a key added since (the board's own verification reads the folder live).
JWKS_MAX_AGE = 3600


@router.get("/.well-known/credential-jwks.json")
async def credential_jwks(response: Response, issuer: IssuerDep) -> Jwks:
    """Public: the board's credential keys as a JWKS (the kid of a credential names one)."""
    response.headers["Cache-Control"] = f"public, max-age={JWKS_MAX_AGE}"
    return Jwks.model_validate(issuer.keys.ring().jwks())


@router.get(
    "/v1/certifications/{certification_id}/credential",
    dependencies=[*READERS, Depends(writes_on_read)],  # the first one allocates; each is audited
    responses=error_responses(
        *AUTHENTICATED,
        service.CertificationNotFound,
        *service.CREDENTIAL_REFUSALS,
    ),
)
async def read_credential(
    certification_id: uuid.UUID,
    ctx: Context,
    response: Response,
    issuer: IssuerDep,
) -> SignedCredential:
    """The holder's (or staff's) Open Badges credential of a certification valid to practise
    today, signed; refused when it is suspended, revoked, expired or terminated."""
    issued = await service.issue(ctx, certification_id, issuer)
    response.headers["Cache-Control"] = "no-store"
    return SignedCredential(credential=issued.token, payload=issued.payload)


@router.get(
    "/v1/status-lists/{purpose}",
    response_class=VcJwtResponse,
    responses={200: {"content": {"application/vc+jwt": {"schema": {"type": "string"}}}}},
)
async def read_status_list(
    purpose: StatusPurpose,
    session: Session,
    clock: ClockDep,
    issuer: IssuerDep,
) -> VcJwtResponse:
    """Public: the signed Bitstring Status List of revocations or suspensions, as of now."""
    token = await service.status_list(session, purpose, issuer, now=clock.now())
    cache = f"public, max-age={STATUS_LIST_TTL_SECONDS}"
    return VcJwtResponse(token, headers={"Cache-Control": cache})


@router.post(
    "/v1/credentials/verify",
    # Counted per client whatever the headers, as public verification of a number is.
    dependencies=[PER_CLIENT],
    responses=error_responses(RateLimited),
)
async def verify_credential(
    presented: Presentation,
    session: Session,
    clock: ClockDep,
    issuer: IssuerDep,
) -> CredentialVerification:
    """Public: whether the board vouches for a presented credential now, with each check
    (signature and key, dates, revocation, suspension) and why one failed."""
    return await verify(session, presented.credential, issuer, now=clock.now())
