"""HTTP endpoints of supervision agreements, and the internal active-agreement query."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import StringConstraints

from certboard_core.auth import Role, require_roles
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    UpstreamUnavailable,
    ValidationFailed,
    error_responses,
)
from certboard_core.fields import IsoDate
from certboard_core.versioned import VersionConflict
from supervision.agreement import active, service
from supervision.agreement.schemas import (
    ActiveAgreementAnswer,
    AgreementAmend,
    AgreementCreate,
    AgreementDetail,
    AgreementList,
    AgreementPage,
    Signature,
    Termination,
)
from supervision.deps import ApplicationsDep, Context
from supervision.errors import (
    AgreementActiveElsewhere,
    AgreementClosed,
    AgreementRetained,
    AlreadySigned,
    AttestationMissing,
    PeerDisciplined,
    SupervisorNotQualified,
)

# Other services ask on their own identity; staff may ask the same question directly.
internal = APIRouter(
    prefix="/internal/agreements",
    tags=["internal"],
    responses=error_responses(*AUTHENTICATED),
    dependencies=[Depends(require_roles(Role.SERVICE, Role.STAFF))],
)
router = APIRouter(
    prefix="/v1/agreements", tags=["agreements"], responses=error_responses(*AUTHENTICATED)
)
# Its own path: under /v1/agreements it would share a segment with an agreement's id.
peers = APIRouter(
    prefix="/v1/peer-agreements", tags=["agreements"], responses=error_responses(*AUTHENTICATED)
)
READERS = [Depends(require_roles(Role.STAFF, Role.APPLICANT, Role.SUPERVISOR))]
PARTIES = [Depends(require_roles(Role.APPLICANT, Role.SUPERVISOR))]
After = Annotated[str | None, Query(description="cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]
REFUSED_INPUT = (ValidationFailed, InvalidInput)
# One batched read of a page of status views: the gateway asks for at most a page's peers.
MAX_PEERS = 100


@internal.get("/active")
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
    """Whether a peer has an agreement signed by both sides, in force on a day, with a
    supervisor qualified that day (verified, unexpired license of an accepted type)."""
    return await active.find_active_agreement(ctx, applicant_id=applicant_id, on=on)


async def _detail(ctx: Context, agreement_id: uuid.UUID) -> AgreementDetail:
    return await service.detail(ctx, await service.readable(ctx, agreement_id))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_roles(Role.APPLICANT))],
    responses=error_responses(
        NotFound,
        SupervisorNotQualified,
        AttestationMissing,
        PeerDisciplined,
        UpstreamUnavailable,
        *REFUSED_INPUT,
    ),
)
async def draft_agreement(
    body: AgreementCreate, ctx: Context, applications: ApplicationsDep
) -> AgreementDetail:
    """A peer drafts an agreement with a qualified supervisor; both sign it next. A peer whom
    discipline bars today is refused (asked of applications before anything is written)."""
    await applications.refuse_if_disciplined(ctx.principal.subject)
    return await service.detail(ctx, await service.create(ctx, body))


@router.get("", dependencies=READERS, responses=error_responses(*REFUSED_INPUT))
async def list_agreements(ctx: Context, after: After = None, limit: Limit = 50) -> AgreementPage:
    """Agreements, oldest first: staff all, a peer or a supervisor their own."""
    return await service.list_agreements(ctx, after=after, limit=limit)


@peers.get("", dependencies=READERS, responses=error_responses(*REFUSED_INPUT))
async def agreements_of_peers(
    ctx: Context,
    peer_applicant_id: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=200)]],
        Query(min_length=1, max_length=MAX_PEERS, description="repeat it"),
    ],
) -> AgreementList:
    """Every agreement of up to 100 peers, oldest first, for lists that show each peer's:
    only those the caller may read (staff all, a peer or a supervisor their own)."""
    return await service.agreements_of_peers(ctx, list(dict.fromkeys(peer_applicant_id)))


@router.get("/{agreement_id}", dependencies=READERS, responses=error_responses(NotFound))
async def read_agreement(agreement_id: uuid.UUID, ctx: Context) -> AgreementDetail:
    """An agreement with every amendment: staff any, a peer or a supervisor their own."""
    return await _detail(ctx, agreement_id)


@router.patch(
    "/{agreement_id}",
    dependencies=PARTIES,
    responses=error_responses(NotFound, VersionConflict, AgreementClosed, *REFUSED_INPUT),
)
async def amend_agreement(
    agreement_id: uuid.UUID, body: AgreementAmend, ctx: Context
) -> AgreementDetail:
    """A party changes the terms: the earlier ones are kept, both signatures are cleared."""
    return await service.detail(ctx, await service.amend(ctx, agreement_id, body))


@router.post(
    "/{agreement_id}/signatures",
    dependencies=PARTIES,
    responses=error_responses(
        NotFound,
        VersionConflict,
        AgreementClosed,
        AlreadySigned,
        AgreementActiveElsewhere,
        SupervisorNotQualified,
        PeerDisciplined,
        UpstreamUnavailable,
    ),
)
async def sign_agreement(
    agreement_id: uuid.UUID, body: Signature, ctx: Context, applications: ApplicationsDep
) -> AgreementDetail:
    """Sign for your own side (peer or supervisor); with both, the agreement is active. A peer
    whom discipline bars today cannot sign."""
    if ctx.principal.has(Role.APPLICANT):
        await applications.refuse_if_disciplined(ctx.principal.subject)
    return await service.detail(ctx, await service.sign(ctx, agreement_id, body))


@router.post(
    "/{agreement_id}/termination",
    dependencies=READERS,
    responses=error_responses(NotFound, VersionConflict, AgreementClosed, *REFUSED_INPUT),
)
async def terminate_agreement(
    agreement_id: uuid.UUID, body: Termination, ctx: Context
) -> AgreementDetail:
    """End the agreement on a day, saying why: a party or staff."""
    return await service.detail(ctx, await service.terminate(ctx, agreement_id, body))


@router.delete(
    "/{agreement_id}",
    dependencies=READERS,
    responses=error_responses(NotFound, AgreementRetained),
)
async def delete_agreement(agreement_id: uuid.UUID, ctx: Context) -> None:
    """Always refused: supervision records are kept, corrected by amendment, never deleted."""
    await service.refuse_deletion(ctx, agreement_id)
