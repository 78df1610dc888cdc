"""Delivering the outbox: at least once, with backoff, safe in every replica at once.

The dispatcher claims due deliveries (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas
never send the same row at once), hands each to its subscriber (another service's
``/internal/events``, with this service's identity, or an in-process subscriber such as the
mail sender), and reschedules failures with exponential backoff. Nothing is ever dropped: a
delivery keeps being retried, at the capped interval, until it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.clock import Clock, SystemClock
from certboard_core.outbox import (
    DELIVERED,
    PENDING,
    EventEnvelope,
    LocalSubscriber,
    OutboxDelivery,
    OutboxEvent,
)

log = structlog.get_logger(__name__)


def retry_delay(
    attempts: int,
    *,
    base: timedelta = timedelta(seconds=2),
    cap: timedelta = timedelta(minutes=10),
    jitter: float = 0.0,
) -> timedelta:
    """Delay before the next try after ``attempts`` failures: doubling from ``base`` up to ``cap``.

    ``jitter`` in [0, 1) stretches the delay by up to 10% so replicas retrying the same
    subscriber spread out.
    """
    if attempts < 1:
        raise ValueError("attempts counts failures so far and starts at 1")
    exponent = min(attempts - 1, 30)
    delay: timedelta = min(cap, base * (2**exponent))
    return delay * (1 + 0.1 * jitter)


TokenSource = Callable[[], str]


class OutboxDispatcher:
    """Delivers due outbox rows; safe to run in every replica at once."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        client: httpx.AsyncClient,
        subscribers: Mapping[str, str],
        source: str,
        token: TokenSource,
        local: Mapping[str, LocalSubscriber] | None = None,
        clock: Clock | None = None,
        batch_size: int = 50,
        lease: timedelta = timedelta(seconds=60),
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._sessions = sessions
        self._client = client
        self._subscribers = dict(subscribers)
        self._local = dict(local or {})
        self._source = source
        self._token = token
        # Delivery runs on real time: a frozen test clock must not stall retries.
        self._clock = clock or SystemClock()
        self._batch_size = batch_size
        self._lease = lease
        self._jitter = jitter
        self.wake = asyncio.Event()

    async def _claim(self) -> list[tuple[OutboxDelivery, OutboxEvent]]:
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            due = (
                select(OutboxDelivery.id)
                .where(OutboxDelivery.status == PENDING)
                .where(OutboxDelivery.next_attempt_at <= now)
                .where(
                    (OutboxDelivery.leased_until.is_(None))  # type: ignore[union-attr]
                    | (OutboxDelivery.leased_until < now)  # type: ignore[operator]
                )
                .order_by(OutboxDelivery.next_attempt_at)  # type: ignore[arg-type]
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )
            ids = list((await session.exec(due)).all())
            if not ids:
                return []
            await session.exec(
                update(OutboxDelivery)
                .where(OutboxDelivery.id.in_(ids))  # type: ignore[union-attr]
                .values(leased_until=now + self._lease)
            )
            rows = await session.exec(
                select(OutboxDelivery, OutboxEvent)
                .join(OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id)  # type: ignore[arg-type]
                .where(OutboxDelivery.id.in_(ids))  # type: ignore[union-attr]
            )
            return [(d, e) for d, e in rows.all()]

    async def _send(self, delivery: OutboxDelivery, event: OutboxEvent) -> str | None:
        """Hand one event to its subscriber; return None on success or the reason it failed."""
        envelope = EventEnvelope(
            id=event.id,
            type=event.type,
            source=self._source,
            aggregate_type=event.aggregate_type,
            aggregate_id=event.aggregate_id,
            occurred_at=event.occurred_at,
            payload=event.payload,
            request_id=event.request_id,
        )
        local = self._local.get(delivery.subscriber)
        if local is not None:
            try:
                await local.handler(envelope)
            except Exception as exc:
                return f"{type(exc).__name__}: {exc}"[:1000]
            return None
        url = self._subscribers.get(delivery.subscriber)
        if url is None:
            return f"subscriber {delivery.subscriber!r} is not configured"
        headers = {"Authorization": f"Bearer {self._token()}"}
        if event.request_id:
            headers["X-Request-ID"] = event.request_id
        try:
            response = await self._client.post(
                f"{url.rstrip('/')}/internal/events",
                json=envelope.model_dump(mode="json"),
                headers=headers,
            )
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"[:1000]
        if response.is_success:
            return None
        return f"HTTP {response.status_code}: {response.text}"[:1000]

    async def _settle(self, delivery: OutboxDelivery, error: str | None) -> None:
        now = self._clock.now()
        if error is None:
            values: dict[str, Any] = {
                "status": DELIVERED,
                "delivered_at": now,
                "leased_until": None,
                "attempts": delivery.attempts + 1,
            }
        else:
            attempts = delivery.attempts + 1
            values = {
                "attempts": attempts,
                "last_error": error,
                "leased_until": None,
                "next_attempt_at": now + retry_delay(attempts, jitter=self._jitter()),
            }
            log.warning(
                "event delivery failed",
                event_id=str(delivery.event_id),
                subscriber=delivery.subscriber,
                attempts=attempts,
                error=error,
            )
        async with self._sessions() as session, session.begin():
            await session.exec(
                update(OutboxDelivery).where(OutboxDelivery.id == delivery.id).values(**values)  # type: ignore[arg-type]
            )

    async def dispatch_once(self) -> int:
        """Send every delivery due now; return how many succeeded."""
        claimed = await self._claim()
        sent = 0
        for delivery, event in claimed:
            error = await self._send(delivery, event)
            await self._settle(delivery, error)
            sent += error is None
        return sent

    async def run(self, *, poll_seconds: float) -> None:
        """Deliver until cancelled, waking on the poll interval or when told new events exist."""
        while True:
            try:
                while await self.dispatch_once():
                    pass
            except Exception:
                log.exception("outbox dispatch pass failed; retrying on the next poll")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=poll_seconds)
            self.wake.clear()
