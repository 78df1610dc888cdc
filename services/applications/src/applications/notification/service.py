"""Sending notices: recorded once per reason and day, counted toward the first-notification
window, and handed to the mail sender through the outbox."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Date, String, literal, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.notification.models import Notification, NotificationReason
from certboard_core.db import UTCDateTime
from certboard_core.errors import Conflict
from certboard_core.ids import new_ids
from certboard_core.outbox import EventColumns, Outbox
from certboard_core.rowset import RowSet, constant, json_object

NOTIFICATION_EVENT = "notification.requested"
# A notice's row, then the id of the event that mails it.
NOTICE_COLUMNS = (
    *("id", "application_id", "reason", "dedupe_key", "recipient", "subject", "body"),
    "event_id",
)


class DuplicateNotification(Conflict):
    code = "DUPLICATE_NOTIFICATION"


@dataclass(frozen=True)
class Notice:
    reason: NotificationReason
    subject: str
    body: str
    # A notice is sent once per reason and day; a reminder instead once per threshold of
    # its deadline, whichever day the sweep finds it due.
    once_per: str | None = None


@dataclass(frozen=True)
class Addressee:
    application_id: uuid.UUID
    email: str


def dedupe_key(notice: Notice, day: date) -> str:
    if notice.once_per is not None:
        return f"{notice.reason.value}:{notice.once_per}"
    # Different words on one day are different notices (a second revision request asking for
    # more); the same notice again that day is a retry, and is not sent twice.
    content = hashlib.sha256(f"{notice.subject}\n{notice.body}".encode()).hexdigest()[:16]
    return f"{notice.reason.value}:{day.isoformat()}:{content}"


async def send_notices(
    session: AsyncSession,
    notices: Sequence[tuple[Addressee, Notice]],
    *,
    actor: str,
    at: datetime,
    today: date,
    outbox: Outbox,
) -> list[uuid.UUID]:
    """Record every notice not already sent today for its reason; return the new ones' ids."""
    if not notices:
        return []
    connection = await session.connection()
    rows = RowSet(
        connection.dialect.name,
        NOTICE_COLUMNS,
        (
            (i, a.application_id, n.reason.value, key, a.email, n.subject, n.body, event_id)
            for i, event_id, (a, n), key in zip(
                new_ids(len(notices)),
                new_ids(len(notices)),
                notices,
                (dedupe_key(n, today) for _, n in notices),
                strict=True,
            )
        ),
    )
    created = await send_notice_rows(session, rows, actor=actor, at=at, today=today, outbox=outbox)
    if created:
        # Any notice counts toward the first-notification window (domain.md §Application 3).
        # One skipped as already sent was sent before, so its application counts already.
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
    return created


async def send_notice_rows(
    session: AsyncSession,
    rows: RowSet,
    *,
    actor: str,
    at: datetime,
    today: date,
    outbox: Outbox,
) -> list[uuid.UUID]:
    """Send the notices in ``rows`` (their columns named as in ``NOTICE_COLUMNS``; others are
    ignored) set-wise: a sweep sends thousands at once. Returns the ids of those recorded,
    which are those not already sent today for their reason. The caller sets the
    applications' first-notification day (a sweep does it with the status)."""
    connection = await session.connection()
    table = Notification.__table__  # type: ignore[attr-defined]
    recorded = sa.select(
        rows.uuid("id"),
        rows.uuid("application_id"),
        *(rows.text(c) for c in ("reason", "dedupe_key", "recipient", "subject", "body")),
        literal(at, UTCDateTime),
        literal(today, Date),
        literal(actor, String),
    ).select_from(rows.table)
    # SQLite would read "FROM x ON CONFLICT" as a join; a WHERE in between ends the FROM.
    recorded = recorded.where(true())
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    result = await connection.execute(
        insert(table)
        .from_select([*NOTICE_COLUMNS[:-1], "created_at", "created_on", "created_by"], recorded)
        .on_conflict_do_nothing(index_elements=["application_id", "dedupe_key"])
        .returning(table.c.id)
    )
    created = list(result.scalars())
    if not created:
        return []
    # The notification row is itself the record of who sent what, when: no audit copy of it.
    # Joined to the rows, so only the notices recorded now are mailed.
    notice_id = rows.uuid_text("id")
    await outbox.publish_rows(
        session,
        NOTIFICATION_EVENT,
        EventColumns(
            rows.uuid("event_id"),
            constant("notification"),
            notice_id,
            json_object(
                *(constant("notification_id"), notice_id, constant("to"), table.c.recipient),
                *(constant("subject"), table.c.subject, constant("body"), table.c.body),
            ),
        ),
        source=rows.table.join(table, table.c.id == rows.uuid("id")),
        at=at,
    )
    return created


async def send_notice(
    session: AsyncSession,
    *,
    application: Application,
    notice: Notice,
    actor: str,
    at: datetime,
    today: date,
    outbox: Outbox,
) -> uuid.UUID:
    """Send one notice; the same notice twice on one day is refused."""
    created = await send_notices(
        session,
        [(Addressee(application.id, application.email), notice)],
        actor=actor,
        at=at,
        today=today,
        outbox=outbox,
    )
    if not created:
        raise DuplicateNotification(
            f"this {notice.reason.value.replace('_', ' ')} notice was already sent today",
            field="reason",
        )
    await session.refresh(application)
    return created[0]


async def notifications_for(session: AsyncSession, application_id: uuid.UUID) -> list[Notification]:
    rows = await session.exec(
        select(Notification)
        .where(Notification.application_id == application_id)
        .order_by(col(Notification.created_at), col(Notification.id))
    )
    return list(rows.all())
