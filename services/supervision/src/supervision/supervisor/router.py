"""HTTP endpoints of supervisors: self-registration, corrections, staff verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from certboard_core.auth import Role, require_roles
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    ValidationFailed,
    error_responses,
)
from certboard_core.versioned import VersionConflict
from supervision.deps import Context
from supervision.errors import SupervisorExists
from supervision.supervisor import service
from supervision.supervisor.models import Verification
from supervision.supervisor.schemas import (
    SupervisorChange,
    SupervisorPage,
    SupervisorPublic,
    SupervisorRegistration,
    VerificationDecision,
)

router = APIRouter(
    prefix="/v1/supervisors", tags=["supervisors"], responses=error_responses(*AUTHENTICATED)
)
SupervisorId = Annotated[str, Path(min_length=1, max_length=200)]
After = Annotated[str | None, Query(description="cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]
REFUSED_INPUT = (ValidationFailed, InvalidInput)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(require_roles(Role.SUPERVISOR))],
    responses=error_responses(SupervisorExists, *REFUSED_INPUT),
)
async def register(body: SupervisorRegistration, ctx: Context) -> SupervisorPublic:
    """Record your own license and supervision training; staff verify it before you qualify."""
    return service.to_public(await service.register(ctx, body), ctx)


@router.get(
    "",
    dependencies=[Depends(require_roles(Role.STAFF))],
    responses=error_responses(*REFUSED_INPUT),
)
async def list_supervisors(
    ctx: Context,
    verification: Verification | None = None,
    after: After = None,
    limit: Limit = 50,
) -> SupervisorPage:
    """Staff: supervisors, oldest record first (``verification=pending``: the work queue)."""
    page = await service.list_supervisors(ctx, verification=verification, after=after, limit=limit)
    return service.to_page(page, ctx)


@router.get(
    "/{supervisor_id}",
    dependencies=[Depends(require_roles(Role.STAFF, Role.SUPERVISOR))],
    responses=error_responses(NotFound),
)
async def read_supervisor(supervisor_id: SupervisorId, ctx: Context) -> SupervisorPublic:
    """A supervisor and whether they qualify today: staff any, a supervisor their own."""
    return service.to_public(await service.readable(ctx, supervisor_id), ctx)


@router.patch(
    "/{supervisor_id}",
    dependencies=[Depends(require_roles(Role.SUPERVISOR))],
    responses=error_responses(NotFound, VersionConflict, *REFUSED_INPUT),
)
async def correct_supervisor(
    supervisor_id: SupervisorId, body: SupervisorChange, ctx: Context
) -> SupervisorPublic:
    """Correct your own record; a changed license or CE total waits for staff again."""
    return service.to_public(await service.correct(ctx, supervisor_id, body), ctx)


@router.post(
    "/{supervisor_id}/verification",
    dependencies=[Depends(require_roles(Role.STAFF))],
    responses=error_responses(NotFound, VersionConflict, *REFUSED_INPUT),
)
async def verify_supervisor(
    supervisor_id: SupervisorId, body: VerificationDecision, ctx: Context
) -> SupervisorPublic:
    """Staff: the license checked out with the licensing state (verified) or not (rejected)."""
    return service.to_public(await service.verify(ctx, supervisor_id, body), ctx)
