"""Employers' alerts to their webhooks, signed as the providers' are (``provider.webhooks``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from applications.employer.alerts import EMPLOYER_ALERT
from applications.employer.repository import EmployerRepository
from applications.provider.webhooks import post_signed
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
        await post_signed(
            app_state.http,
            employer.webhook_url,
            employer.webhook_secret,
            event,
            allow_loopback=allow_loopback,
        )

    return LocalSubscriber(event_types=frozenset({EMPLOYER_ALERT}), handler=deliver)
