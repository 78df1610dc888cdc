"""The sweep: write the states deadlines have already decided, set-wise, and send reminders.

Reads never wait for it (statuses are computed when read); it makes the stored state, the
events other services hear and the notices applicants get catch up. It selects what is due
a chunk at a time and has the application aggregate close it (``application/closing.py``:
one statement per kind of row per chunk, so neither round trips nor Python grow with the
rows); chunks commit one by one, so a large backlog never holds the database for long; and
running it again finds nothing more to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.application.closing import EXPIRY, VOID, Closing, close_applications
from applications.certification.aging import move_statuses
from applications.certification.renewal_reminders import send_renewal_reminders

# Until the merge points transitions.py at application.closing, it imports these from here.
from applications.notification import templates
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, send_notices
from applications.policy import ApplicationPolicy
from applications.renewal.timeline import ReminderSpan
from applications.sweep.repository import SweepRepository
from certboard_core.idempotency import forget_expired
from certboard_core.outbox import Outbox

SWEEP_ACTOR = "system:sweep"


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    voided: int
    expired: int
    void_reminders: int
    expiry_reminders: int
    # Certifications whose stored status time moved, and renewal reminders sent.
    certification_statuses: int = 0
    renewal_reminders: int = 0
    # Coming-expiry alerts recorded for employers (90/60/30 days before by default).
    employer_alerts: int = 0


@dataclass(frozen=True)
class Reminder:
    """A reminder of a closing deadline: its reason and its words for a last day and the
    days left."""

    closing: Closing
    reason: NotificationReason
    words: Callable[[date, int], tuple[str, str]]


VOID_REMINDER = Reminder(VOID, NotificationReason.VOID_REMINDER, templates.void_reminder)
EXPIRY_REMINDER = Reminder(EXPIRY, NotificationReason.EXPIRY_REMINDER, templates.expiry_reminder)


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
    repository = SweepRepository(session)
    counts = []
    for closing in (VOID, EXPIRY):
        due = repository.due(closing, today=today, limit=limit)
        closed = await close_applications(
            session, due, closing, actor=SWEEP_ACTOR, now=now, today=today, outbox=outbox
        )
        counts.append(closed)
    return counts[0], counts[1]


async def age_certifications(
    session: AsyncSession,
    *,
    now: datetime,
    policy: ApplicationPolicy,
    outbox: Outbox,
    limit: int,
) -> int:
    """Write the status time gives to up to ``limit`` certifications as of ``now``; how many."""
    return await move_statuses(
        session,
        today=policy.local_date(now),
        now=now,
        policy=policy,
        outbox=outbox,
        actor=SWEEP_ACTOR,
        limit=limit,
    )


async def remind_renewals(
    session: AsyncSession,
    span: ReminderSpan,
    *,
    now: datetime,
    policy: ApplicationPolicy,
    outbox: Outbox,
    limit: int,
) -> int:
    """Send up to ``limit`` of ``span``'s renewal reminders due as of ``now`` (once each);
    how many."""
    return await send_renewal_reminders(
        session,
        span,
        today=policy.local_date(now),
        now=now,
        policy=policy,
        outbox=outbox,
        actor=SWEEP_ACTOR,
        limit=limit,
    )


async def remind_due(
    session: AsyncSession, *, now: datetime, policy: ApplicationPolicy, outbox: Outbox
) -> tuple[int, int]:
    """Send the reminders due as of ``now`` (once each), and forget lapsed idempotency keys."""
    today = policy.local_date(now)
    sent = [
        await _remind(
            session, reminder, days_before=days_before, today=today, now=now, outbox=outbox
        )
        for reminder, days_before in (
            (VOID_REMINDER, policy.void_reminder_days_before),
            (EXPIRY_REMINDER, policy.expiry_reminder_days_before),
        )
    ]
    await forget_expired(session, now=now)
    return sent[0], sent[1]


async def _remind(
    session: AsyncSession,
    reminder: Reminder,
    *,
    days_before: tuple[int, ...],
    today: date,
    now: datetime,
    outbox: Outbox,
) -> int:
    """Reminders due today (or missed by a late sweep) for every threshold; once each."""
    if not days_before:
        return 0
    approaching = await SweepRepository(session).approaching(
        reminder.closing, today=today, days=max(days_before)
    )
    notices = [
        (
            Addressee(a.application_id, a.email),
            Notice(
                reminder.reason,
                *reminder.words(a.deadline, days),
                once_per=f"{a.deadline.isoformat()}:{days}d",
            ),
        )
        for a in approaching
        for days in rules.reminders_due(a.deadline, today, days_before)
    ]
    sent = await send_notices(
        session, notices, actor=SWEEP_ACTOR, at=now, today=today, outbox=outbox
    )
    return len(sent)
