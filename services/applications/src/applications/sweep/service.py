"""The sweep: write the states deadlines have already decided, set-wise, and send reminders.

Reads never wait for it (statuses are computed when read); it makes the stored state, the
events other services hear and the notices applicants get catch up. Each kind of transition
is one UPDATE ... RETURNING per chunk of rows, with bulk inserts after it, so its cost does
not grow with round trips; chunks commit one by one, so a large backlog never holds the
database for long; and running it again finds nothing more to do.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.application.lifecycle import ApplicationStatus
from applications.application.models import Application
from applications.notification import templates
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, send_notices
from applications.payment.service import forfeit
from applications.policy import ApplicationPolicy
from certboard_core.audit import AuditEntry, record_audits
from certboard_core.idempotency import forget_expired
from certboard_core.outbox import NewEvent, Outbox

S = ApplicationStatus
SWEEP_ACTOR = "system:sweep"


@dataclass(frozen=True)
class Closed:
    """One application the deadline closed, as the UPDATE returned it."""

    id: uuid.UUID
    applicant_id: str
    email: str
    version: int
    last_day_to_complete: date
    valid_through: date | None


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
    condition: ColumnElement[bool],
    now: datetime,
    limit: int,
) -> list[Closed]:
    t = Application
    due = select(t.id).where(col(t.status) == source).where(condition).limit(limit)
    result = await session.exec(
        update(t)
        .where(col(t.id).in_(due.scalar_subquery()))
        .where(col(t.status) == source)
        .values(status=target, closed_at=now, version=col(t.version) + 1)
        .returning(
            col(t.id),
            col(t.applicant_id),
            col(t.email),
            col(t.version),
            col(t.last_day_to_complete),
            col(t.valid_through),
        )
    )
    return [Closed(*row) for row in result.all()]


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
    """Everything that follows a void or an expiry, for many applications at once."""
    if not closed:
        return
    if audit:
        await record_audits(
            session,
            [
                AuditEntry(
                    actor,
                    f"application.{target.value}",
                    "application",
                    str(c.id),
                    {"status": source.value, "version": c.version - 1},
                    {"status": target.value, "version": c.version},
                )
                for c in closed
            ],
            at=now,
        )
    if target is S.VOID:
        await forfeit(session, [c.id for c in closed], now)
    await outbox.publish_many(
        session,
        [
            NewEvent(
                f"application.{target.value}",
                "application",
                str(c.id),
                {
                    "application_id": str(c.id),
                    "applicant_id": c.applicant_id,
                    "on": today.isoformat(),
                },
            )
            for c in closed
        ],
        at=now,
    )
    notices = []
    for c in closed:
        if target is S.VOID:
            subject, body = templates.voided(c.last_day_to_complete)
            reason = NotificationReason.VOIDED
        else:
            assert c.valid_through is not None
            subject, body = templates.expired(c.valid_through)
            reason = NotificationReason.EXPIRED
        notices.append((Addressee(c.id, c.email), Notice(reason, subject, body)))
    await send_notices(session, notices, actor=actor, at=now, today=today, outbox=outbox)


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
    today = rules.local_date(now, policy)
    counts = []
    for source, target, condition in (
        (S.INCOMPLETE, S.VOID, col(Application.last_day_to_complete) < today),
        (
            S.APPROVED,
            S.EXPIRED,
            and_(
                col(Application.valid_through).is_not(None), col(Application.valid_through) < today
            ),
        ),
    ):
        closed = await _close(
            session, source=source, target=target, condition=condition, now=now, limit=limit
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
    today = rules.local_date(now, policy)
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
