"""Alerts for employers: each change of a certification they enrolled, and each coming expiry.

A change arrives as one of the certification's own events (``certification.status_changed``
from the sweep, ``certification.renewed``, ``certification.disciplined``); the outbox hands it
to ``fan_out_subscriber`` at least once, and one transaction records one alert per enrolment of
that certification under the key ``event:<event id>`` (unique per enrolment, so a redelivered
or raced event records nothing more) and publishes, per new alert, an ``employer.alert`` event
for the webhook (``delivery.py``) and a ``notification.requested`` one for the mailer: each
subscriber gets each alert once, with the outbox's retries. A coming expiry is found by the
sweep (``alert_expiring``): once per enrolment, valid-through day and threshold (90, 60, 30
days by default), only the latest threshold due when days were missed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from applications.certification.aging import STATUS_CHANGED
from applications.discipline.service import DISCIPLINED_EVENT
from applications.employer import rules
from applications.employer.models import EmployerAlert
from applications.employer.repository import EmployerRepository
from applications.employer.rules import AlertKind, ExpirySpan
from applications.notification.service import NOTIFICATION_EVENT
from applications.renewal.service import RENEWED_EVENT
from certboard_core.outbox import EventEnvelope, LocalSubscriber, NewEvent, Outbox

EMPLOYER_ALERT = "employer.alert"
KINDS = {
    STATUS_CHANGED: AlertKind.STATUS_CHANGED,
    RENEWED_EVENT: AlertKind.RENEWED,
    DISCIPLINED_EVENT: AlertKind.DISCIPLINED,
}


def alert_payload(alert: EmployerAlert) -> dict[str, Any]:
    """What an employer's webhook receives as ``data``: the change, never the holder's
    private data."""
    return {
        "alert_id": str(alert.id),
        "employer_id": str(alert.employer_id),
        "enrolment_id": str(alert.enrolment_id),
        "certification_id": str(alert.certification_id),
        "certificate_number": alert.number,
        "kind": alert.kind.value,
        "summary": alert.summary,
        "detail": alert.detail,
    }


async def record_alerts(
    session: AsyncSession,
    alerts: Sequence[tuple[EmployerAlert, str]],
    *,
    outbox: Outbox,
    at: datetime,
) -> int:
    """Store ``alerts`` (each with its employer's email) and publish each for the webhook and
    the mailer, in the caller's transaction. The alert row is itself the record of what was
    sent to whom and when, as a notification's is: no audit copy of it."""
    if not alerts:
        return 0
    EmployerRepository(session).add_alerts([alert for alert, _ in alerts])
    # A raced duplicate fails here on the unique key; the delivery is retried and finds it sent.
    await session.flush()
    events: list[NewEvent] = []
    for alert, email in alerts:
        ident = str(alert.id)
        events.append(NewEvent(EMPLOYER_ALERT, "employer_alert", ident, alert_payload(alert)))
        mail = {"notification_id": ident, "to": email}
        mail |= {"subject": f"Certificate {alert.number}", "body": alert.summary}
        events.append(NewEvent(NOTIFICATION_EVENT, "employer_alert", ident, mail))
    await outbox.publish_many(session, events, at=at)
    return len(alerts)


async def fan_out(
    session: AsyncSession, event: EventEnvelope, *, outbox: Outbox, now: datetime
) -> int:
    """One alert per enrolment of the event's certification not alerted of it yet; how many."""
    kind = KINDS[event.type]
    certification_id = uuid.UUID(str(event.payload["certification_id"]))
    number = str(event.payload["number"])
    key = rules.event_key(event.id)
    detail = rules.detail_of(kind, event.payload)
    said = rules.summary(kind, number, detail)
    targets = await EmployerRepository(session).targets(certification_id, key, event.occurred_at)
    alerts = [
        (
            EmployerAlert(
                employer_id=t.employer_id,
                enrolment_id=t.enrolment_id,
                certification_id=certification_id,
                number=number,
                kind=kind,
                dedupe_key=key,
                summary=said,
                detail=detail,
                created_at=now,
            ),
            t.alert_email,
        )
        for t in targets
    ]
    return await record_alerts(session, alerts, outbox=outbox, at=now)


def fan_out_subscriber(state: Callable[[], Any]) -> LocalSubscriber:
    """The outbox subscriber that turns the certification's events into employers' alerts.

    Not private: the same events still go to the other services (``Outbox.recipients``).
    """

    async def deliver(event: EventEnvelope) -> None:
        app_state = state()
        async with app_state.sessions() as session, session.begin():
            await fan_out(session, event, outbox=app_state.outbox, now=app_state.clock.now())

    return LocalSubscriber(event_types=frozenset(KINDS), handler=deliver, private=False)


async def alert_expiring(
    session: AsyncSession,
    span: ExpirySpan,
    *,
    today: date,
    now: datetime,
    outbox: Outbox,
    limit: int,
) -> int:
    """Record up to ``limit`` of ``span``'s coming-expiry alerts not yet sent; how many."""
    due = await EmployerRepository(session).expiring(span, limit)
    alerts = []
    for row in due:
        detail = {
            "valid_through": row.valid_through.isoformat(),
            "days_left": (row.valid_through - today).days,
            "days_before": span.days_before,
        }
        alert = EmployerAlert(
            employer_id=row.employer_id,
            enrolment_id=row.enrolment_id,
            certification_id=row.certification_id,
            number=row.number,
            kind=AlertKind.EXPIRING,
            dedupe_key=rules.expiry_key(row.valid_through, span.days_before),
            summary=rules.summary(AlertKind.EXPIRING, row.number, detail),
            detail=detail,
            created_at=now,
        )
        alerts.append((alert, row.alert_email))
    return await record_alerts(session, alerts, outbox=outbox, at=now)
