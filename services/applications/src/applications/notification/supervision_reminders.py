"""Short-week reminders from the supervision service, mailed as the applications' notices.

Supervision publishes ``supervision.week_short`` once per peer and week; the inbox runs this
handler exactly once per event. The peer's notice is recorded on their latest application
(where the board has their address) and mailed through the outbox like every other notice;
recording it once per week (the dedupe key) keeps a re-sent event from mailing twice. The
supervisor's copy needs an address neither service holds yet: it is logged, not mailed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import structlog
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.application.models import Application
from applications.notification.models import NotificationReason
from applications.notification.repository import NoticeRow
from applications.notification.service import Notice, dedupe_key, send_notice_rows
from certboard_core.ids import new_ids
from certboard_core.outbox import EventEnvelope, EventHandler
from certboard_core.rowset import RowSet

log = structlog.get_logger(__name__)

WEEK_SHORT = "supervision.week_short"


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def reminder(payload: dict[str, Any]) -> Notice:
    """The notice for one short week: what fell short, and by how much."""
    week = date.fromisoformat(payload["week_starts_on"])
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
    body = (
        f"Your clinical supervision for the week of {_day(week)} does not meet the board's "
        "requirement:\n" + "\n".join(reasons) + "\n\nPlease arrange supervision with your "
        "supervisor and make sure each session is logged and signed off."
    )
    return Notice(
        reason=NotificationReason.SUPERVISION_REMINDER,
        subject=f"Supervision short for the week of {_day(week)}",
        body=body,
        once_per=f"week:{week.isoformat()}",
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
        supervisors = payload.get("supervisor_ids", [])
        if application is None:
            log.warning("supervision reminder for a peer without an application", peer=peer)
            return
        app_state = state()
        now = app_state.clock.now()
        today = app_state.policy.local_date(now)
        notice = reminder(payload)
        notice_id, event_id = new_ids(2)
        rows = RowSet.of(
            (await session.connection()).dialect.name,
            NoticeRow,
            [
                NoticeRow(
                    id=notice_id,
                    application_id=application.id.hex,
                    reason=notice.reason.value,
                    dedupe_key=dedupe_key(notice, today),
                    recipient=application.email,
                    subject=notice.subject,
                    body=notice.body,
                    event_id=event_id,
                )
            ],
        )
        # Not send_notices: a supervision reminder is no notice about the application, so it
        # must not count toward the application's first-notification window.
        await send_notice_rows(
            session,
            rows,
            actor="service:supervision",
            at=now,
            today=today,
            outbox=app_state.outbox,
        )
        # No address for supervisors in either service yet: their copy waits for one.
        log.info("supervision reminder sent", peer=peer, supervisors_unmailed=supervisors)

    return handle
