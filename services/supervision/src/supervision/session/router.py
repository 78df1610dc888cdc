"""HTTP endpoints of the supervision session aggregate."""

from __future__ import annotations

import uuid
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, status

from certboard_core.auth import Role, require_roles
from certboard_core.errors import AUTHENTICATED, NotFound, ValidationFailed, error_responses
from certboard_core.fields import IsoDate
from certboard_core.versioned import VersionConflict
from supervision import errors
from supervision.deps import Context
from supervision.session import service
from supervision.session.models import SupervisionSession
from supervision.session.schemas import (
    SessionAmendment,
    SessionList,
    SessionLog,
    SessionPage,
    SessionPublic,
    SignOff,
)

router = APIRouter(
    prefix="/v1/supervision/sessions",
    tags=["supervision sessions"],
    responses=error_responses(*AUTHENTICATED),
)
TIME_RULES = (
    errors.StopNotAfterStart,
    errors.LengthNotIncrement,
    errors.InFuture,
    errors.AgreementNotActive,
    errors.OutsideAgreement,
    errors.SessionOverlap,
)
# Its own path: under /v1/supervision/sessions it would share a segment with a session's id.
by_agreement = APIRouter(
    prefix="/v1/supervision/agreement-sessions",
    tags=["supervision sessions"],
    responses=error_responses(*AUTHENTICATED),
)
# One batched read of a page of agreements: the gateway asks for at most a page's.
MAX_AGREEMENTS = 100
After = Annotated[str | None, Query(description="cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]


def _public(ctx: Context, row: SupervisionSession) -> SessionPublic:
    return service.to_public(row, ZoneInfo(ctx.policy.time_zone))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_roles(Role.APPLICANT))],
    responses=error_responses(NotFound, *TIME_RULES),
)
async def log_session(body: SessionLog, ctx: Context) -> SessionPublic:
    """The peer logs a session held under their active agreement, for the supervisor's sign-off."""
    return _public(ctx, await service.log_session(ctx, body))


@router.post(
    "/{session_id}/sign-off",
    dependencies=[Depends(require_roles(Role.SUPERVISOR))],
    responses=error_responses(NotFound, errors.SessionLocked, errors.Superseded, VersionConflict),
)
async def sign_off_session(session_id: uuid.UUID, body: SignOff, ctx: Context) -> SessionPublic:
    """The supervisor signs a session off; it is locked from then on."""
    return _public(ctx, await service.sign_off(ctx, session_id, body))


@router.post(
    "/{session_id}/amendments",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_roles(Role.SUPERVISOR))],
    responses=error_responses(NotFound, errors.Superseded, VersionConflict, *TIME_RULES),
)
async def amend_session(
    session_id: uuid.UUID, body: SessionAmendment, ctx: Context
) -> SessionPublic:
    """The supervisor corrects a session: a new signed-off entry supersedes it, which stays."""
    return _public(ctx, await service.amend(ctx, session_id, body))


@router.get(
    "",
    dependencies=[Depends(require_roles(Role.STAFF, Role.APPLICANT, Role.SUPERVISOR))],
)
async def list_sessions(
    ctx: Context,
    agreement_id: uuid.UUID | None = None,
    peer_applicant_id: Annotated[str | None, Query(max_length=200)] = None,
    held_from: Annotated[IsoDate | None, Query(alias="from")] = None,
    held_to: Annotated[IsoDate | None, Query(alias="to")] = None,
    include_superseded: bool = False,
    awaiting_sign_off: Annotated[
        bool, Query(description="only sessions the supervisor has not signed off yet")
    ] = False,
    after: After = None,
    limit: Limit = 50,
) -> SessionPage:
    """Sessions the caller may see: staff all, a supervisor their agreements', a peer their own."""
    page = await service.list_sessions(
        ctx,
        agreement_id=agreement_id,
        peer_applicant_id=peer_applicant_id,
        held_from=held_from,
        held_to=held_to,
        include_superseded=include_superseded,
        awaiting_sign_off=awaiting_sign_off,
        after=after,
        limit=limit,
    )
    return SessionPage(
        items=[_public(ctx, row) for row in page.items], next_cursor=page.next_cursor
    )


@by_agreement.get(
    "",
    dependencies=[Depends(require_roles(Role.STAFF, Role.APPLICANT, Role.SUPERVISOR))],
    responses=error_responses(ValidationFailed),
)
async def sessions_of_agreements(
    ctx: Context,
    agreement_id: Annotated[
        list[uuid.UUID], Query(min_length=1, max_length=MAX_AGREEMENTS, description="repeat it")
    ],
) -> SessionList:
    """The current sessions of up to 100 agreements, by start time, for lists that show each
    agreement's: only those the caller may see (staff all, a supervisor their agreements', a
    peer their own)."""
    rows = await service.sessions_of_agreements(ctx, list(dict.fromkeys(agreement_id)))
    return SessionList(items=[_public(ctx, row) for row in rows])
