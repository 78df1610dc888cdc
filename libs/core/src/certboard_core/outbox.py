"""Events other services must learn: written with the change, delivered at least once.

A publisher adds the event and one delivery row per subscriber to the caller's transaction.
The dispatcher claims due deliveries (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas
never send the same row at once), POSTs them to the subscriber's ``/internal/events`` with
this service's identity, and reschedules failures with exponential backoff. Nothing is ever
dropped: a delivery keeps being retried, at the capped interval, until it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import structlog
from pydantic import BaseModel
from sqlalchemy import JSON, ForeignKey, Index, Uuid, insert, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import Field, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.audit import current_request_id
from certboard_core.clock import Clock, SystemClock
from certboard_core.db import BigIntPK, UTCDateTime

log = structlog.get_logger(__name__)

PENDING = "pending"
DELIVERED = "delivered"


class EventEnvelope(BaseModel):
    """What travels between services."""

    id: uuid.UUID
    type: str
    source: str
    aggregate_type: str
    aggregate_id: str
    occurred_at: datetime
    payload: dict[str, Any]
    request_id: str | None = None


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, sa_type=Uuid, primary_key=True)
    type: str = Field(max_length=100)
    aggregate_type: str = Field(max_length=100)
    aggregate_id: str = Field(max_length=100)
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    payload: dict[str, Any] = Field(sa_type=JSON)
    request_id: str | None = Field(default=None, max_length=128)


class OutboxDelivery(SQLModel, table=True):
    __tablename__ = "outbox_delivery"
    __table_args__ = (Index("ix_outbox_delivery_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, sa_type=BigIntPK, primary_key=True)
    event_id: uuid.UUID = Field(sa_type=Uuid, sa_column_args=[ForeignKey("outbox_event.id")])
    subscriber: str = Field(max_length=100)
    status: str = Field(default=PENDING, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    leased_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=1000)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProcessedEvent(SQLModel, table=True):
    """The consumer's memory of what it has handled; its primary key makes handling idempotent."""

    __tablename__ = "processed_event"

    event_id: uuid.UUID = Field(sa_type=Uuid, primary_key=True)
    type: str = Field(max_length=100)
    source: str = Field(max_length=100)
    processed_at: datetime = Field(sa_type=UTCDateTime)


@dataclass(frozen=True)
class NewEvent:
    type: str
    aggregate_type: str
    aggregate_id: str
    payload: dict[str, Any]


LocalHandler = Callable[[EventEnvelope], Awaitable[None]]


@dataclass(frozen=True)
class LocalSubscriber:
    """An in-process subscriber (a mail sender, say) for some event types, with the same
    at-least-once delivery, retries and backoff as a remote one."""

    event_types: frozenset[str]
    handler: LocalHandler


class Outbox:
    """Publishes this service's events: every event to each remote subscriber (another service
    filters what it handles), and to each local subscriber the types it asked for."""

    def __init__(
        self,
        *,
        source: str,
        subscribers: Mapping[str, str],
        local: Mapping[str, LocalSubscriber] | None = None,
    ) -> None:
        self.source = source
        self.subscribers = dict(subscribers)
        self.local = dict(local or {})

    def recipients(self, event_type: str) -> list[str]:
        remote = list(self.subscribers)
        return remote + [n for n, s in self.local.items() if event_type in s.event_types]

    async def publish(
        self,
        session: AsyncSession,
        *,
        type: str,
        aggregate_type: str,
        aggregate_id: str,
        payload: dict[str, Any],
        at: datetime,
    ) -> uuid.UUID:
        """Add one event to the caller's transaction; it is sent only if that commits."""
        (event_id,) = await self.publish_many(
            session, [NewEvent(type, aggregate_type, aggregate_id, payload)], at=at
        )
        return event_id

    async def publish_many(
        self, session: AsyncSession, events: Sequence[NewEvent], *, at: datetime
    ) -> list[uuid.UUID]:
        """Add events to the caller's transaction in two statements, however many there are."""
        request_id = current_request_id()
        ids = [uuid.uuid4() for _ in events]
        rows = [
            {
                "id": event_id,
                "type": e.type,
                "aggregate_type": e.aggregate_type,
                "aggregate_id": e.aggregate_id,
                "payload": e.payload,
                "occurred_at": at,
                "request_id": request_id,
            }
            for event_id, e in zip(ids, events, strict=True)
        ]
        deliveries = [
            {
                "event_id": event_id,
                "subscriber": name,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": at,
            }
            for event_id, event in zip(ids, events, strict=True)
            for name in self.recipients(event.type)
        ]
        connection = await session.connection()
        if rows:
            await connection.execute(insert(OutboxEvent.__table__), rows)  # type: ignore[attr-defined]
        if deliveries:
            await connection.execute(insert(OutboxDelivery.__table__), deliveries)  # type: ignore[attr-defined]
        return ids


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


EventHandler = Callable[[AsyncSession, EventEnvelope], Awaitable[None]]
