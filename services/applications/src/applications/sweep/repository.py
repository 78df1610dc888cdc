"""The sweep's selections: the applications a deadline has closed, and those nearing one."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import NamedTuple

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.application.closing import Closing
from applications.application.models import Application


class Approaching(NamedTuple):
    """An application whose deadline is near, and its last day."""

    application_id: uuid.UUID
    email: str
    deadline: date


class SweepRepository:
    """What the sweep finds to do, as of a day."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def due(self, closing: Closing, *, today: date, limit: int) -> SelectOfScalar[uuid.UUID]:
        """The ids of up to ``limit`` applications whose ``closing`` deadline has passed, as a
        query for the closing statement to read."""
        # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): workers closing chunks at
        # once each take rows no other has taken.
        return (
            select(Application.id)
            .where(col(Application.status) == closing.source)
            .where(closing.deadline < today)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )

    async def approaching(self, closing: Closing, *, today: date, days: int) -> list[Approaching]:
        """Applications ``closing`` will close, whose last day is today or within ``days``."""
        rows = await self.session.exec(
            select(Application.id, Application.email, closing.deadline)
            .where(col(Application.status) == closing.source)
            .where(closing.deadline >= today)
            .where(closing.deadline <= today + timedelta(days=days))
        )
        # Never None (the WHERE compares it); the test tells the type checker so.
        return [Approaching(i, e, d) for i, e, d in rows.all() if d is not None]
