"""Short-week reminders from the supervision service, mailed as the applications' notices.

Supervision publishes ``supervision.week_short`` once per peer and week, naming the peer's
supervisors and their contact emails; the inbox runs this handler exactly once per event. The
peer's notice and each supervisor's copy are recorded on the peer's latest application (where
the board has the peer's address and name) and mailed through the outbox like every other
notice; recording each once per week and recipient (the dedupe key) keeps a re-sent event
from mailing twice. A supervisor registered before contact emails were asked for has none:
their copy is logged as not mailed until they add one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

import structlog
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, notice_rows, send_notice_rows
from certboard_core.outbox import EventEnvelope, EventHandler

log = structlog.get_logger(__name__)

WEEK_SHORT = "supervision.week_short"


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _shortfalls(payload: dict[str, Any]) -> str:
    """What fell short in the week, one line each."""
    reasons = []
    if payload["shortfall_minutes"]:
        reasons.append(
            f"- {payload['supervised_minutes']} minutes of signed-off supervision for "
            f"{payload['hours_worked']} hours worked; {payload['required_minutes']} were due, "
            f"{payload['shortfall_minutes']} short"
        )
    if payload["missing_session"]:
        reasons.append(f"- hours worked ({payload['hours_worked']}) but no signed-off session")
    if payload["cap_exceeded_on"]:
        cap_day = date.fromisoformat(payload["cap_exceeded_on"])
        reasons.append(f"- more hours worked without supervision than allowed on {_day(cap_day)}")
    return "\n".join(reasons)


def reminder(payload: dict[str, Any]) -> Notice:
    """The peer's notice for one short week: what fell short, and by how much."""
    week = date.fromisoformat(payload["week_starts_on"])
    body = (
        f"Your clinical supervision for the week of {_day(week)} does not meet the board's "
        f"requirement:\n{_shortfalls(payload)}\n\nPlease arrange supervision with your "
        "supervisor and make sure each session is logged and signed off."
    )
    return Notice(
        reason=NotificationReason.SUPERVISION_REMINDER,
        subject=f"Supervision short for the week of {_day(week)}",
        body=body,
        once_per=f"week:{week.isoformat()}",
    )


def supervisor_reminder(payload: dict[str, Any], peer_name: str, supervisor_id: str) -> Notice:
    """A supervisor's copy for one short week of a peer they supervise."""
    week = date.fromisoformat(payload["week_starts_on"])
    body = (
        f"The clinical supervision of {peer_name}, whom you supervise, for the week of "
        f"{_day(week)} does not meet the board's requirement:\n{_shortfalls(payload)}\n\n"
        "Please arrange supervision with them and sign off each session once it is logged."
    )
    # Supervisor ids are up to 200 characters; the key column holds 120.
    who = hashlib.sha256(supervisor_id.encode()).hexdigest()[:16]
    return Notice(
        reason=NotificationReason.SUPERVISION_REMINDER,
        subject=f"Supervision short for {peer_name}, week of {_day(week)}",
        body=body,
        once_per=f"week:{week.isoformat()}:supervisor:{who}",
    )


def week_short_handler(state: Callable[[], Any]) -> EventHandler:
    """The inbox handler for ``supervision.week_short``; ``state`` is the app's state."""

    async def handle(session: AsyncSession, envelope: EventEnvelope) -> None:
        payload = envelope.payload
        peer = str(payload["peer_applicant_id"])
        latest = (
            select(Application)
            .where(Application.applicant_id == peer)
            .order_by(col(Application.submitted_at).desc(), col(Application.id).desc())
            .limit(1)
        )
        application = (await session.exec(latest)).first()
        if application is None:
            log.warning("supervision reminder for a peer without an application", peer=peer)
            return
        app_state = state()
        now = app_state.clock.now()
        today = app_state.policy.local_date(now)
        peer_name = f"{application.first_name} {application.last_name}"
        notices = [(Addressee(application.id, application.email), reminder(payload))]
        for supervisor in payload.get("supervisors", []):
            if supervisor["email"] is None:
                log.warning(
                    "supervisor has no contact email: their copy of the short-week reminder "
                    "is not mailed (they add one to their supervisor record)",
                    supervisor_id=supervisor["supervisor_id"],
                    peer=peer,
                    week_starts_on=payload["week_starts_on"],
                )
                continue
            copy = supervisor_reminder(payload, peer_name, supervisor["supervisor_id"])
            notices.append((Addressee(application.id, supervisor["email"]), copy))
        # Not send_notices: a supervision reminder is no notice about the application, so it
        # must not count toward the application's first-notification window.
        await send_notice_rows(
            session,
            await notice_rows(session, notices, today),
            actor="service:supervision",
            at=now,
            today=today,
            outbox=app_state.outbox,
        )

    return handle
