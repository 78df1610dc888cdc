"""Webhook calls to providers when their certificates are decided, through the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from applications.provider.repository import ProviderRepository
from applications.provider.webhooks import post_signed
from certboard_core.outbox import EventEnvelope, LocalSubscriber

WEBHOOK_EVENTS = frozenset({"certificate.accepted", "certificate.rejected"})


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
        await post_signed(
            app_state.http,
            provider.webhook_url,
            provider.webhook_secret,
            event,
            allow_loopback=allow_loopback,
        )

    return LocalSubscriber(event_types=WEBHOOK_EVENTS, handler=deliver)
