"""Closing applications whose deadline has passed (a void or an expiry), many at once.

The sweep closes chunks of thousands; a revision request after the 90-day hold closes one.
Either way the status change is one statement, and each kind of row that follows it (audit,
forfeited fees, event, notice) is one ``INSERT ... SELECT`` (or ``UPDATE``) from the closed
applications handed over as one parameter, so neither round trips nor Python grow with the
rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import String, cast, func, update
from sqlalchemy.orm import Mapped
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from applications.application.lifecycle import ApplicationStatus
from applications.application.models import Application
from applications.notification import templates
from applications.notification.models import NotificationReason
from applications.notification.repository import NoticeRow
from applications.notification.service import Notice, dedupe_key, send_notice_rows
from applications.payment.repository import PaymentRepository
from certboard_core.audit import AuditColumns, record_audit_rows
from certboard_core.ids import new_ids
from certboard_core.outbox import EventColumns, Outbox
from certboard_core.rowset import RowSet, constant, json_object

S = ApplicationStatus


@dataclass(frozen=True)
class Closing:
    """A deadline that closes an application: the status it closes, the status it leaves,
    the column holding the last day, and the notice the applicant gets."""

    source: ApplicationStatus
    target: ApplicationStatus
    deadline: Mapped[date | None]  # an approval's valid_through is set when approved
    reason: NotificationReason
    words: Callable[[date], tuple[str, str]]


VOID = Closing(
    S.INCOMPLETE,
    S.VOID,
    col(Application.last_day_to_complete),
    NotificationReason.VOIDED,
    templates.voided,
)
EXPIRY = Closing(
    S.APPROVED,
    S.EXPIRED,
    col(Application.valid_through),
    NotificationReason.EXPIRED,
    templates.expired,
)
_BY_TARGET = {closing.target: closing for closing in (VOID, EXPIRY)}


class Closed(NamedTuple):
    """One application the deadline closed, as the UPDATE returned it."""

    id: str  # 32 hex digits
    applicant_id: str
    email: str
    version: int
    deadline: date  # the last day to complete, or the last day of the approval


class ClosureRow(NamedTuple):
    """A closed application (ids as 32 hex digits) and the id of the event announcing it."""

    application_id: str
    applicant_id: str
    version: int
    event_id: str


class ClosingRepository:
    """The status change that closes applications, a chunk at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def close(
        self,
        due: SelectOfScalar[uuid.UUID],
        closing: Closing,
        *,
        now: datetime,
        today: date,
    ) -> list[Closed]:
        """Close the applications ``due`` selects that are still in the closing's source."""
        t = Application
        connection = await self.session.connection()
        result = await connection.execute(
            update(t)
            .where(col(t.id).in_(due.scalar_subquery()))
            .where(col(t.status) == closing.source)
            .values(
                status=closing.target,
                closed_at=now,
                version=col(t.version) + 1,
                # The closing notice counts toward the first-notification window (domain.md
                # §Application 3); written with the status, it costs no second statement.
                first_notified_on=func.coalesce(col(t.first_notified_on), today),
            )
            # As text: the rows go straight back to the database, so converting them is waste.
            .returning(
                cast(col(t.id), String).label("id"),
                col(t.applicant_id),
                col(t.email),
                col(t.version),
                cast(closing.deadline, String).label("deadline"),
            )
        )
        found = result.all()
        days = {d: date.fromisoformat(d) for d in {row[4] for row in found}}
        return [Closed(i.replace("-", ""), a, e, v, days[d]) for i, a, e, v, d in found]


async def close_applications(
    session: AsyncSession,
    due: SelectOfScalar[uuid.UUID],
    closing: Closing,
    *,
    actor: str,
    now: datetime,
    today: date,
    outbox: Outbox,
) -> int:
    """Close the applications ``due`` selects, with everything that follows; return how many."""
    closed = await ClosingRepository(session).close(due, closing, now=now, today=today)
    await record_closures(
        session,
        closed,
        source=closing.source,
        target=closing.target,
        actor=actor,
        now=now,
        today=today,
        outbox=outbox,
    )
    return len(closed)


async def record_closures(
    session: AsyncSession,
    closed: Sequence[Closed],
    *,
    source: ApplicationStatus,
    target: ApplicationStatus,
    actor: str,
    now: datetime,
    today: date,
    outbox: Outbox,
    audit: bool = True,
) -> None:
    """Everything that follows a void or an expiry of applications already closed (status,
    closing time and first-notification day written): audit, forfeited fees, event, notice."""
    if not closed:
        return
    dialect = (await session.connection()).dialect.name
    rows = RowSet.of(
        dialect,
        ClosureRow,
        (
            # Records in field order, not by keyword (here and for the notices): a keyword
            # call costs about half a microsecond more, and a sweep makes 100,000 of each.
            ClosureRow(c.id, c.applicant_id, c.version, event_id)
            for c, event_id in zip(closed, new_ids(len(closed)), strict=True)
        ),
    )
    if audit:
        await _audit_closures(session, rows, source=source, target=target, actor=actor, at=now)
    if target is S.VOID:
        closed_ids = sa.select(rows.uuid("application_id")).select_from(rows.table)
        await PaymentRepository(session).forfeit(closed_ids, now)
    await _announce_closures(session, rows, target=target, today=today, at=now, outbox=outbox)
    notices = _closing_notices(dialect, closed, _BY_TARGET[target], today)
    await send_notice_rows(session, notices, actor=actor, at=now, today=today, outbox=outbox)


async def _audit_closures(
    session: AsyncSession,
    rows: RowSet,
    *,
    source: ApplicationStatus,
    target: ApplicationStatus,
    actor: str,
    at: datetime,
) -> None:
    """One audit record per closed application: its status and version, before and after."""
    version = rows.integer("version")
    await record_audit_rows(
        session,
        AuditColumns(
            constant(actor),
            constant(f"application.{target.value}"),
            constant("application"),
            rows.uuid_text("application_id"),
            json_object(
                *(constant("status"), constant(source.value)),
                *(constant("version"), version - 1),
            ),
            json_object(constant("status"), constant(target.value), constant("version"), version),
        ),
        source=rows.table,
        at=at,
    )


async def _announce_closures(
    session: AsyncSession,
    rows: RowSet,
    *,
    target: ApplicationStatus,
    today: date,
    at: datetime,
    outbox: Outbox,
) -> None:
    """One ``application.void`` (or ``.expired``) event per closed application."""
    application_id = rows.uuid_text("application_id")
    await outbox.publish_rows(
        session,
        f"application.{target.value}",
        EventColumns(
            rows.uuid("event_id"),
            constant("application"),
            application_id,
            json_object(
                *(constant("application_id"), application_id),
                *(constant("applicant_id"), rows.text("applicant_id")),
                *(constant("on"), constant(today.isoformat())),
            ),
        ),
        source=rows.table,
        at=at,
    )


def _closing_notices(
    dialect: str, closed: Sequence[Closed], closing: Closing, today: date
) -> RowSet:
    """The notice each closed application's applicant gets, as rows to send. Apart from the
    other rows because only the notice's own statement reads the words: every statement
    reads its row set whole."""
    # The words depend only on the deadline: made once per day, not once per application.
    words: dict[date, tuple[str, str, str]] = {}
    for day in {c.deadline for c in closed}:
        notice = Notice(closing.reason, *closing.words(day))
        words[day] = (dedupe_key(notice, today), notice.subject, notice.body)
    reason, count = closing.reason.value, len(closed)
    return RowSet.of(
        dialect,
        NoticeRow,
        (
            NoticeRow(notice_id, c.id, reason, key, c.email, subject, body, event_id)
            for c, notice_id, event_id in zip(closed, new_ids(count), new_ids(count), strict=True)
            for key, subject, body in (words[c.deadline],)
        ),
    )
