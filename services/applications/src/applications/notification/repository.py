"""The notices' SQL: recorded set-wise (once per application and key), counted toward the
first-notification window, read back per application."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Date, String, literal, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import ColumnElement
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.notification.models import Notification
from certboard_core.db import UTCDateTime
from certboard_core.rowset import RowSet


class NoticeRow(NamedTuple):
    """One notice to record (ids as 32 hex digits), and the id of the event that mails it."""

    id: str
    application_id: str
    reason: str
    dedupe_key: str
    recipient: str
    subject: str
    body: str
    event_id: str


class NotificationRepository:
    """Notification rows, written many at once from a ``RowSet`` of ``NoticeRow``."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self, rows: RowSet, *, actor: str, at: datetime, today: date
    ) -> list[uuid.UUID]:
        """Insert the notices of ``rows`` not already recorded under their key; their ids."""
        connection = await self.session.connection()
        table = Notification.__table__  # type: ignore[attr-defined]
        values: dict[str, ColumnElement[Any]] = {
            "id": rows.uuid("id"),
            "application_id": rows.uuid("application_id"),
            **{c: rows.text(c) for c in ("reason", "dedupe_key", "recipient", "subject", "body")},
            "created_at": literal(at, UTCDateTime),
            "created_on": literal(today, Date),
            "created_by": literal(actor, String),
        }
        # SQLite would read "FROM x ON CONFLICT" as a join; a WHERE in between ends the FROM.
        recorded = sa.select(*values.values()).select_from(rows.table).where(true())
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        result = await connection.execute(
            insert(table)
            .from_select(list(values), recorded)
            .on_conflict_do_nothing(index_elements=["application_id", "dedupe_key"])
            .returning(table.c.id)
        )
        return list(result.scalars())

    async def count_as_first_notice(self, rows: RowSet, today: date) -> None:
        """Make ``today`` the first-notification day of the applications of ``rows`` that
        have none yet."""
        connection = await self.session.connection()  # Core: no ORM session to keep in step
        await connection.execute(
            update(Application)
            .where(
                col(Application.id).in_(
                    sa.select(rows.uuid("application_id")).select_from(rows.table)
                )
            )
            .where(col(Application.first_notified_on).is_(None))
            .values(first_notified_on=today)
        )
