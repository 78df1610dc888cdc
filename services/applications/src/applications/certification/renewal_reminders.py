"""Renewal reminders, sent by the sweep: before the valid-through day (the policy's days: CA
90; MT 90, 60 and 30), on the first lapsed day (MT) and on the first expired day.

Each goes to the email of the certification's application, once per reason and period: the
dedupe key names the reason, the valid-through day and (before it) the threshold, so a second
sweep, or one the same day, sends nothing more. A sweep that missed days sends only the
latest reminder due, not every one it missed (two reminders the same day would say the same
thing twice, the earlier one with the wrong number of days), and none to a terminated
certification or one under discipline. Selected by ranges of valid-through days
(``renewal.timeline.reminder_spans``) leaving out those already sent, and recorded set-wise
like every notice (``notification.service.send_notice_rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, exists, literal, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.certification.models import Certification
from applications.certification.rules import DISCIPLINE
from applications.notification import templates
from applications.notification.models import Notification, NotificationReason
from applications.notification.repository import NoticeRow
from applications.notification.service import send_notice_rows
from applications.renewal.policy import RenewalPolicy
from applications.renewal.rules import Reminder, expired_from, terminated_from
from applications.renewal.timeline import ReminderSpan
from certboard_core.ids import new_ids
from certboard_core.outbox import Outbox
from certboard_core.rowset import RowSet

DAY = timedelta(days=1)
Words = Callable[[date], tuple[str, str]]

REASONS = {
    Reminder.BEFORE_EXPIRY: NotificationReason.RENEWAL_REMINDER,
    Reminder.AT_LAPSE: NotificationReason.CERTIFICATION_LAPSED,
    Reminder.AT_EXPIRY: NotificationReason.CERTIFICATION_EXPIRED,
}


def once_per(span: ReminderSpan, valid_through: str) -> str:
    """What a reminder is sent once for: its period's valid-through day and, before it, the
    threshold (``Notice.once_per``; the dedupe key is the reason, a colon and this)."""
    if span.reason is Reminder.BEFORE_EXPIRY:
        return f"{valid_through}:{span.days_before}d"
    return valid_through


def words(span: ReminderSpan, today: date, policy: RenewalPolicy) -> Words:
    """The subject and body of the span's reminder for a valid-through day."""
    if span.reason is Reminder.BEFORE_EXPIRY:
        # The days actually left: a certification issued inside the window gets its first
        # reminder late, and is told the truth.
        return lambda day: templates.renewal_reminder(day, (day - today).days)
    if span.reason is Reminder.AT_LAPSE:
        return lambda day: templates.certification_lapsed(day, expired_from(day, policy) - DAY)

    def expired(day: date) -> tuple[str, str]:
        terminated = terminated_from(day, policy)
        return templates.certification_expired(day, terminated - DAY if terminated else None)

    return expired


async def _due(session: AsyncSession, span: ReminderSpan, limit: int) -> Sequence[tuple[str, ...]]:
    """Up to ``limit`` certifications whose latest reminder due is ``span``'s and not yet
    sent: their application id (text), its email and the valid-through day (ISO)."""
    c = Certification.__table__  # type: ignore[attr-defined]
    a = Application.__table__  # type: ignore[attr-defined]
    n = Notification.__table__  # type: ignore[attr-defined]
    day = cast(c.c.valid_through, String)
    key = literal(f"{REASONS[span.reason].value}:", String).concat(day)
    if span.reason is Reminder.BEFORE_EXPIRY:
        key = key.concat(literal(f":{span.days_before}d", String))
    query = (
        select(cast(c.c.application_id, String), a.c.email, day)
        .select_from(c.join(a, a.c.id == c.c.application_id))
        .where(c.c.status.not_in([s.value for s in DISCIPLINE]))
        .where(c.c.valid_through <= span.latest)
        # The notification's unique key is (application, dedupe key): an index probe each.
        .where(~exists().where(n.c.application_id == c.c.application_id, n.c.dedupe_key == key))
        .limit(limit)
    )
    if span.earliest is not None:
        query = query.where(c.c.valid_through >= span.earliest)
    connection = await session.connection()
    return (await connection.execute(query)).all()


def _notices(
    dialect: str, due: Sequence[tuple[str, ...]], span: ReminderSpan, make: Words
) -> RowSet:
    """The reminders of ``due`` as notice rows; the words made once per valid-through day."""
    reason = REASONS[span.reason].value
    said = {
        day: (f"{reason}:{once_per(span, day)}", *make(date.fromisoformat(day)))
        for day in {row[2] for row in due}
    }
    count = len(due)
    return RowSet.of(
        dialect,
        NoticeRow,
        (
            NoticeRow(notice_id, a.replace("-", ""), reason, key, e, subject, body, event_id)
            for (a, e, d), notice_id, event_id in zip(
                due, new_ids(count), new_ids(count), strict=True
            )
            for key, subject, body in (said[d],)
        ),
    )


async def send_renewal_reminders(
    session: AsyncSession,
    span: ReminderSpan,
    *,
    today: date,
    now: datetime,
    policy: RenewalPolicy,
    outbox: Outbox,
    actor: str,
    limit: int,
) -> int:
    """Send up to ``limit`` of ``span``'s reminders due on ``today`` and not yet sent; how
    many. A span at a time: one done is never read again in the same sweep."""
    due = await _due(session, span, limit)
    if not due:
        return 0
    dialect = (await session.connection()).dialect.name
    rows = _notices(dialect, due, span, words(span, today, policy))
    created = await send_notice_rows(session, rows, actor=actor, at=now, today=today, outbox=outbox)
    return len(created)
