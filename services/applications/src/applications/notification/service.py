"""Sending notices: recorded once per reason and day, counted toward the first-notification
window, and handed to the mail sender through the outbox."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.notification.models import Notification, NotificationReason
from certboard_core.errors import Conflict
from certboard_core.ids import new_id
from certboard_core.outbox import NewEvent, Outbox

NOTIFICATION_EVENT = "notification.requested"
CHUNK = 2000


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


def _insert_ignoring_duplicates(dialect: str) -> Any:
    table = Notification.__table__  # type: ignore[attr-defined]
    module = postgresql if dialect == "postgresql" else sqlite
    return (
        module.insert(table)
        .on_conflict_do_nothing(index_elements=["application_id", "dedupe_key"])
        .returning(table.c.id, table.c.application_id, table.c.reason, table.c.subject)
    )


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
    connection = await session.connection()
    statement = _insert_ignoring_duplicates(connection.dialect.name)
    created: list[tuple[uuid.UUID, uuid.UUID, str, str]] = []
    by_id: dict[uuid.UUID, tuple[Addressee, Notice]] = {}
    for start in range(0, len(notices), CHUNK):
        rows = []
        for addressee, notice in notices[start : start + CHUNK]:
            notification_id = new_id()
            by_id[notification_id] = (addressee, notice)
            rows.append(
                {
                    "id": notification_id,
                    "application_id": addressee.application_id,
                    "reason": notice.reason,
                    "dedupe_key": dedupe_key(notice, today),
                    "recipient": addressee.email,
                    "subject": notice.subject,
                    "body": notice.body,
                    "created_at": at,
                    "created_on": today,
                    "created_by": actor,
                }
            )
        result = await connection.execute(statement, rows)
        created += [tuple(r) for r in result.all()]
    if not created:
        return []
    notified = list({r[1] for r in created})
    # Any notice counts toward the first-notification window (domain.md §Application 3).
    for start in range(0, len(notified), CHUNK):
        await connection.execute(
            update(Application)
            .where(col(Application.id).in_(notified[start : start + CHUNK]))
            .where(col(Application.first_notified_on).is_(None))
            .values(first_notified_on=today)
        )
    # The notification row is itself the record of who sent what, when: no audit copy of it.
    await outbox.publish_many(
        session,
        [
            NewEvent(
                NOTIFICATION_EVENT,
                "notification",
                str(nid),
                {
                    "notification_id": str(nid),
                    "to": by_id[nid][0].email,
                    "subject": by_id[nid][1].subject,
                    "body": by_id[nid][1].body,
                },
            )
            for nid, *_ in created
        ],
        at=at,
    )
    return [r[0] for r in created]


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
