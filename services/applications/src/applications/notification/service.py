"""Sending notices: recorded once per reason and day, counted toward the first-notification
window, and handed to the mail sender through the outbox."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.notification.models import Notification, NotificationReason
from applications.notification.repository import NoticeRow, NotificationRepository
from certboard_core.errors import Conflict
from certboard_core.ids import new_ids
from certboard_core.outbox import EventColumns, Outbox
from certboard_core.rowset import RowSet, constant, json_object

NOTIFICATION_EVENT = "notification.requested"


class DuplicateNotification(Conflict):
    """The same notice was already sent to this application today."""

    code = "DUPLICATE_NOTIFICATION"


@dataclass(frozen=True)
class Notice:
    """What to tell an applicant, and why."""

    reason: NotificationReason
    subject: str
    body: str
    # A notice is sent once per reason and day; a reminder instead once per threshold of
    # its deadline, whichever day the sweep finds it due.
    once_per: str | None = None


@dataclass(frozen=True)
class Addressee:
    """Whom a notice goes to: the application it is about and an email address (the
    applicant's, or another party's such as the peer's supervisor)."""

    application_id: uuid.UUID
    email: str


def dedupe_key(notice: Notice, day: date) -> str:
    """The key under which ``notice`` is recorded once per application, sent on ``day``."""
    if notice.once_per is not None:
        return f"{notice.reason.value}:{notice.once_per}"
    # Different words on one day are different notices (a second revision request asking for
    # more); the same notice again that day is a retry, and is not sent twice.
    content = hashlib.sha256(f"{notice.subject}\n{notice.body}".encode()).hexdigest()[:16]
    return f"{notice.reason.value}:{day.isoformat()}:{content}"


async def notice_rows(
    session: AsyncSession, notices: Sequence[tuple[Addressee, Notice]], today: date
) -> RowSet:
    """``notices`` as a ``RowSet`` of ``NoticeRow`` for ``send_notice_rows``, sent on ``today``."""
    dialect = (await session.connection()).dialect.name
    return RowSet.of(
        dialect,
        NoticeRow,
        (
            NoticeRow(
                id=notice_id,
                application_id=a.application_id.hex,
                reason=n.reason.value,
                dedupe_key=dedupe_key(n, today),
                recipient=a.email,
                subject=n.subject,
                body=n.body,
                event_id=event_id,
            )
            for notice_id, event_id, (a, n) in zip(
                new_ids(len(notices)), new_ids(len(notices)), notices, strict=True
            )
        ),
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
    if not notices:
        return []
    rows = await notice_rows(session, notices, today)
    created = await send_notice_rows(session, rows, actor=actor, at=at, today=today, outbox=outbox)
    if created:
        # Any notice counts toward the first-notification window (domain.md §Application 3).
        # One skipped as already sent was sent before, so its application counts already.
        await NotificationRepository(session).count_as_first_notice(rows, today)
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
    """Send the notices of ``rows`` (a ``RowSet`` of ``NoticeRow``) set-wise: a sweep sends
    thousands at once. Returns the ids of those recorded, which are those not already sent
    for their key. The caller sets the applications' first-notification day (a sweep does it
    with the status)."""
    created = await NotificationRepository(session).record(rows, actor=actor, at=at, today=today)
    if not created:
        return []
    # The notification row is itself the record of who sent what, when: no audit copy of it.
    # Joined to the rows, so only the notices recorded now are mailed.
    notice_id = rows.uuid_text("id")
    table = Notification.__table__  # type: ignore[attr-defined]
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
