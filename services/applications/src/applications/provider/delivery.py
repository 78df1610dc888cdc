"""Webhook calls to providers when their certificates are decided, through the outbox."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from applications.provider.repository import ProviderRepository
from applications.provider.webhooks import resolve_for_delivery, sign
from certboard_core.outbox import EventEnvelope, LocalSubscriber

WEBHOOK_EVENTS = frozenset({"certificate.accepted", "certificate.rejected"})
SIGNATURE_HEADER = "X-Certboard-Signature"


def webhook_subscriber(state: Callable[[], Any], *, allow_loopback: bool) -> LocalSubscriber:
    """POST each decision to the provider's webhook URL, signed with its secret.

    ``state`` returns the app's state at delivery time (its sessions and HTTP client exist
    only once the app has started). A failure raises, so the outbox retries with backoff.
    """

    async def deliver(event: EventEnvelope) -> None:
        app_state = state()
        async with app_state.sessions() as session:
            provider = await ProviderRepository(session).for_delivery(
                uuid.UUID(event.payload["provider_id"])
            )
        if provider is None or provider.webhook_url is None:
            return  # nothing to call: the provider reads its uploads' statuses instead
        await resolve_for_delivery(provider.webhook_url, allow_loopback=allow_loopback)
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
            provider.webhook_url,
            content=body,
            headers={
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(provider.webhook_secret, body, int(time.time())),
                "X-Certboard-Event-Id": str(event.id),
            },
            follow_redirects=False,
        )
        response.raise_for_status()

    return LocalSubscriber(event_types=WEBHOOK_EVENTS, handler=deliver)
