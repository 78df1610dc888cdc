"""The sweep: write the states deadlines have already decided, set-wise, and send reminders.

Reads never wait for it (statuses are computed when read); it makes the stored state, the
events other services hear and the notices applicants get catch up. Each kind of transition
is one UPDATE ... RETURNING per chunk of rows, then one INSERT ... SELECT per kind of row that
follows (audit, event, notice...) from the chunk's ids, so neither round trips nor Python grow
with the rows; chunks commit one by one, so a large backlog never holds the database for
long; and running it again finds nothing more to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import String, cast, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.application.lifecycle import ApplicationStatus
from applications.application.models import Application
from applications.notification import templates
from applications.notification.models import NotificationReason
from applications.notification.service import (
    NOTICE_COLUMNS,
    Addressee,
    Notice,
    dedupe_key,
    send_notice_rows,
    send_notices,
)
from applications.payment.repository import PaymentRepository
from applications.policy import ApplicationPolicy
from certboard_core.audit import AuditColumns, record_audit_rows
from certboard_core.idempotency import forget_expired
from certboard_core.ids import new_ids
from certboard_core.outbox import EventColumns, Outbox
from certboard_core.rowset import RowSet, constant, json_object

S = ApplicationStatus
SWEEP_ACTOR = "system:sweep"


@dataclass(frozen=True)
class Closed:
    """One application the deadline closed, as the UPDATE returned it."""

    id: str  # 32 hex digits
    applicant_id: str
    email: str
    version: int
    deadline: date  # the last day to complete, or the last day of the approval


@dataclass(frozen=True)
class SweepResult:
    voided: int
    expired: int
    void_reminders: int
    expiry_reminders: int


async def _close(
    session: AsyncSession,
    *,
    source: ApplicationStatus,
    target: ApplicationStatus,
    deadline: Any,
    today: date,
    now: datetime,
    limit: int,
) -> list[Closed]:
    """Close up to ``limit`` applications in ``source`` whose ``deadline`` has passed."""
    t = Application
    column = col(deadline)
    # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): workers closing chunks at once
    # each take rows no other has taken.
    due = (
        select(t.id)
        .where(col(t.status) == source)
        .where(column < today)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    connection = await session.connection()
    result = await connection.execute(
        update(t)
        .where(col(t.id).in_(due.scalar_subquery()))
        .where(col(t.status) == source)
        .values(
            status=target,
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
            cast(column, String).label("deadline"),
        )
    )
    found = result.all()
    days = {d: date.fromisoformat(d) for d in {row[4] for row in found}}
    return [Closed(i.replace("-", ""), a, e, v, days[d]) for i, a, e, v, d in found]


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
    """Everything that follows a void or an expiry of applications already closed (their
    status, closing time and first-notification day written), for many at once: each kind
    of row is one ``INSERT ... SELECT`` from the closed applications, handed over as one
    parameter, so Python does next to nothing per application."""
    if not closed:
        return
    words: Callable[[date], tuple[str, str]]
    if target is S.VOID:
        reason, words = NotificationReason.VOIDED, templates.voided
    else:
        reason, words = NotificationReason.EXPIRED, templates.expired
    # The words depend only on the deadline: made once per day, not once per application.
    notices: dict[date, tuple[str, str, str]] = {}
    for day in {c.deadline for c in closed}:
        notice = Notice(reason, *words(day))
        notices[day] = (dedupe_key(notice, today), notice.subject, notice.body)

    count, dialect = len(closed), (await session.connection()).dialect.name
    rows = RowSet(
        dialect,
        ("application_id", "applicant_id", "version", "event_id"),
        (
            (c.id, c.applicant_id, c.version, event_id)
            for c, event_id in zip(closed, new_ids(count), strict=True)
        ),
    )
    # Apart, because only the notice's own statement reads the words: every statement reads
    # its row set whole.
    notice_rows = RowSet(
        dialect,
        NOTICE_COLUMNS,
        (
            (notice_id, c.id, reason.value, key, c.email, subject, body, event_id)
            for c, notice_id, event_id in zip(closed, new_ids(count), new_ids(count), strict=True)
            for key, subject, body in (notices[c.deadline],)
        ),
    )
    application_id, version = rows.uuid_text("application_id"), rows.integer("version")
    action = f"application.{target.value}"
    if audit:
        await record_audit_rows(
            session,
            AuditColumns(
                constant(actor),
                constant(action),
                constant("application"),
                application_id,
                json_object(
                    *(constant("status"), constant(source.value)),
                    *(constant("version"), version - 1),
                ),
                json_object(
                    constant("status"), constant(target.value), constant("version"), version
                ),
            ),
            source=rows.table,
            at=now,
        )
    if target is S.VOID:
        closed_ids = sa.select(rows.uuid("application_id")).select_from(rows.table)
        await PaymentRepository(session).forfeit(closed_ids, now)
    await outbox.publish_rows(
        session,
        action,
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
        at=now,
    )
    await send_notice_rows(
        session,
        notice_rows,
        actor=actor,
        at=now,
        today=today,
        outbox=outbox,
    )


async def _reminders(
    session: AsyncSession,
    *,
    status: ApplicationStatus,
    deadline: Any,
    days_before: tuple[int, ...],
    reason: NotificationReason,
    today: date,
    now: datetime,
    outbox: Outbox,
) -> int:
    """Reminders due today (or missed by a late sweep) for every threshold; once each."""
    if not days_before:
        return 0
    column = col(deadline)
    rows = await session.exec(
        select(Application.id, Application.email, column)
        .where(col(Application.status) == status)
        .where(column >= today)
        .where(column <= today + timedelta(days=max(days_before)))
    )
    notices = []
    for application_id, email, last_day in rows.all():
        assert isinstance(last_day, date)
        for days in rules.reminders_due(last_day, today, days_before):
            words = (
                templates.void_reminder(last_day, days)
                if reason is NotificationReason.VOID_REMINDER
                else templates.expiry_reminder(last_day, days)
            )
            notice = Notice(reason, *words, once_per=f"{last_day.isoformat()}:{days}d")
            notices.append((Addressee(application_id, email), notice))
    sent = await send_notices(
        session, notices, actor=SWEEP_ACTOR, at=now, today=today, outbox=outbox
    )
    return len(sent)


async def close_due(
    session: AsyncSession,
    *,
    now: datetime,
    policy: ApplicationPolicy,
    outbox: Outbox,
    limit: int,
) -> tuple[int, int]:
    """Void and expire up to ``limit`` applications each, as of ``now``; return how many."""
    today = policy.local_date(now)
    counts = []
    for source, target, deadline in (
        (S.INCOMPLETE, S.VOID, Application.last_day_to_complete),
        (S.APPROVED, S.EXPIRED, Application.valid_through),
    ):
        closed = await _close(
            session,
            source=source,
            target=target,
            deadline=deadline,
            today=today,
            now=now,
            limit=limit,
        )
        await record_closures(
            session,
            closed,
            source=source,
            target=target,
            actor=SWEEP_ACTOR,
            now=now,
            today=today,
            outbox=outbox,
        )
        counts.append(len(closed))
    return counts[0], counts[1]


async def remind_due(
    session: AsyncSession, *, now: datetime, policy: ApplicationPolicy, outbox: Outbox
) -> tuple[int, int]:
    """Send the reminders due as of ``now`` (once each), and forget lapsed idempotency keys."""
    today = policy.local_date(now)
    void_reminders = await _reminders(
        session,
        status=S.INCOMPLETE,
        deadline=Application.last_day_to_complete,
        days_before=policy.void_reminder_days_before,
        reason=NotificationReason.VOID_REMINDER,
        today=today,
        now=now,
        outbox=outbox,
    )
    expiry_reminders = await _reminders(
        session,
        status=S.APPROVED,
        deadline=Application.valid_through,
        days_before=policy.expiry_reminder_days_before,
        reason=NotificationReason.EXPIRY_REMINDER,
        today=today,
        now=now,
        outbox=outbox,
    )
    await forget_expired(session, now=now)
    return void_reminders, expiry_reminders
