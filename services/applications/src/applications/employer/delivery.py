"""Employers' alerts to their webhooks, signed as the providers' are (``provider.webhooks``)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from applications.employer.alerts import EMPLOYER_ALERT
from applications.employer.repository import EmployerRepository
from applications.provider.delivery import SIGNATURE_HEADER
from applications.provider.webhooks import resolve_for_delivery, sign
from certboard_core.outbox import EventEnvelope, LocalSubscriber


def alert_webhook_subscriber(state: Callable[[], Any], *, allow_loopback: bool) -> LocalSubscriber:
    """POST each alert to its employer's webhook URL, signed with the employer's secret; an
    employer without a URL reads its alerts (and gets the email) instead.

    The URL is read and its name resolved again at delivery, never trusted from when it was
    saved (DNS rebinding). A failure raises, so the outbox retries with backoff; the body's
    ``id`` is the same on every retry, so the employer can drop a repeat.
    """

    async def deliver(event: EventEnvelope) -> None:
        app_state = state()
        async with app_state.sessions() as session:
            employer = await EmployerRepository(session).get(
                uuid.UUID(event.payload["employer_id"])
            )
        if employer is None or employer.webhook_url is None:
            return
        await resolve_for_delivery(employer.webhook_url, allow_loopback=allow_loopback)
        body = json.dumps(
            {
                "id": str(event.id),
                "type": event.type,
                "created": event.occurred_at.isoformat(),
                "data": event.payload,
            },
            separators=(",", ":"),
        ).encode()
        client: httpx.AsyncClient = app_state.http
        response = await client.post(
            employer.webhook_url,
            content=body,
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(employer.webhook_secret, body, int(time.time())),
                "X-Certboard-Event-Id": str(event.id),
            },
            follow_redirects=False,
        )
        response.raise_for_status()

    return LocalSubscriber(event_types=frozenset({EMPLOYER_ALERT}), handler=deliver)
