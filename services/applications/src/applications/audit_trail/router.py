"""Staff read applications' audit trails, many at once (a page of applications, one call)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from applications.audit_trail.repository import AuditTrailRepository
from applications.audit_trail.schemas import AuditEventPublic, AuditTrails
from applications.deps import STAFF_ONLY, Context
from certboard_core.errors import AUTHENTICATED, InvalidInput, error_responses

router = APIRouter(
    prefix="/v1/audit", tags=["audit trail"], responses=error_responses(*AUTHENTICATED)
)
# An application's life is a few dozen changes; this bounds one answer all the same.
MAX_EVENTS = 5000


@router.get("/applications", dependencies=STAFF_ONLY, responses=error_responses(InvalidInput))
async def application_trails(
    ctx: Context,
    ids: Annotated[list[uuid.UUID], Query(alias="id", min_length=1, max_length=200)],
) -> AuditTrails:
    """Every recorded change of these applications, oldest first: who, what, when, which fields."""
    records = await AuditTrailRepository(ctx.session).of_entities(
        "application", [str(i) for i in dict.fromkeys(ids)], MAX_EVENTS
    )
    return AuditTrails(items=[AuditEventPublic.of(r) for r in records])
