"""What session logs and hours reports share: records under an agreement, listed by the same
filters to the same readers (staff all, a supervisor their agreements', a peer their own)."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.common import Ctx

Since = Annotated[datetime.date | None, strawberry.argument(description="On or after this day.")]
Until = Annotated[datetime.date | None, strawberry.argument(description="On or before this day.")]
PageFetch = Callable[..., Awaitable[dict[str, Any]]]


async def record_page(
    info: Ctx,
    fetch: PageFetch,
    *,
    since: datetime.date | None,
    until: datetime.date | None,
    **filters: Any,
) -> dict[str, Any]:
    """A page of records from ``fetch`` (the service scopes them to the caller), the days
    bounded by ``since`` and ``until``, both inclusive."""
    info.context.require(Role.STAFF, Role.APPLICANT, Role.SUPERVISOR)
    return await fetch(**filters, **{"from": since, "to": until})
