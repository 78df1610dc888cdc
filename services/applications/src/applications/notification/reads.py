"""Batched reads of notices, for the status views of many applications at once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.notification.models import Notification


async def notifications_for_applications(
    session: AsyncSession, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Notification]]:
    """Every notice sent for each application, oldest first, in one query."""
    found: dict[uuid.UUID, list[Notification]] = {i: [] for i in application_ids}
    rows = await session.exec(
        select(Notification)
        .where(col(Notification.application_id).in_(application_ids))
        .order_by(col(Notification.created_at), col(Notification.id))
    )
    for notification in rows.all():
        found[notification.application_id].append(notification)
    return found
