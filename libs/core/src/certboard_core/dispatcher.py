"""Delivering the outbox: at least once, with backoff, each subscriber on its own, in every replica.

Each subscriber with due deliveries is served in its own lane, at most ``concurrency`` lanes at
once, so a subscriber that hangs holds up only its own deliveries. A lane claims a batch of its
subscriber's due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so replicas never claim the
same row) and hands them over one after another: to another service's ``/internal/events``,
with this service's identity, or to an in-process subscriber such as the mail sender.

The lease always outlasts the work claimed under it: it is sized to the batch (claimed count
times the per-delivery timeout, plus a margin for the database writes, ``LEASE_MARGIN`` unless
set), each hand-over is cut off at that timeout, and a lane starts no hand-over that could not
be settled before its lease ends (what it leaves is claimed again once the lease lapses). So
no replica can claim a row that is still being sent. Failures are rescheduled with
exponential backoff; nothing is ever dropped. Schedules, leases and retries run on the
dispatcher's clock, real time, never on the business clock that tests and developers move.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
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

# Added to every lease beyond its hand-overs' timeouts: the claim and the settling writes.
LEASE_MARGIN = timedelta(seconds=30)
# A hand-over starts only if it would end this long before the lease, to settle it in time:
# a third of the margin, whatever margin a deployment (or a crash test) sets.
SETTLE_SHARE = 3
SETTLE_TIME = LEASE_MARGIN / SETTLE_SHARE


def _due(now: datetime) -> ColumnElement[bool]:
    leased_until = col(OutboxDelivery.leased_until)
    return and_(
        col(OutboxDelivery.status) == PENDING,
        col(OutboxDelivery.next_attempt_at) <= now,
        or_(leased_until.is_(None), leased_until < now),
    )


@dataclass(frozen=True)
class Claim:
    """A lane's batch of one subscriber's deliveries, leased to it until ``until``."""

    until: datetime
    rows: list[tuple[OutboxDelivery, OutboxEvent]]


class OutboxDispatcher:
    """Delivers due outbox rows, each subscriber independently; safe in every replica at once."""

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
        delivery_timeout: timedelta = timedelta(seconds=10),
        lease_margin: timedelta = LEASE_MARGIN,
        concurrency: int = 8,
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
        self._delivery_timeout = delivery_timeout
        self._lease_margin = lease_margin
        self._settle_time = lease_margin / SETTLE_SHARE
        self._lanes = asyncio.Semaphore(concurrency)
        self._jitter = jitter
        self.wake = asyncio.Event()

    async def _due_subscribers(self) -> list[str]:
        async with self._sessions() as session:
            due = select(OutboxDelivery.subscriber).where(_due(self._clock.now())).distinct()
            return list((await session.exec(due)).all())

    async def _claim(self, subscriber: str) -> Claim:
        now = self._clock.now()
        in_order = (col(OutboxDelivery.next_attempt_at), col(OutboxDelivery.id))
        async with self._sessions() as session, session.begin():
            due = (
                select(OutboxDelivery.id)
                .where(_due(now), OutboxDelivery.subscriber == subscriber)
                .order_by(*in_order)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )
            ids = list((await session.exec(due)).all())
            if not ids:
                return Claim(now, [])
            until = now + len(ids) * self._delivery_timeout + self._lease_margin
            claimed = col(OutboxDelivery.id).in_(ids)
            await session.exec(update(OutboxDelivery).where(claimed).values(leased_until=until))
            rows = await session.exec(
                select(OutboxDelivery, OutboxEvent)
                .join(OutboxEvent, col(OutboxEvent.id) == col(OutboxDelivery.event_id))
                .where(claimed)
                .order_by(*in_order)
            )
            return Claim(until, [(d, e) for d, e in rows.all()])

    async def _serve(self, subscriber: str) -> int:
        """Claim a batch of ``subscriber``'s due deliveries and hand each over in turn; return
        how many succeeded."""
        async with self._lanes:
            claim = await self._claim(subscriber)
            sent = 0
            for delivery, event in claim.rows:
                if self._clock.now() + self._delivery_timeout + self._settle_time > claim.until:
                    break  # it might end after the lease; the rest are claimed again later
                # The lines a hand-over logs (here and in local subscribers) name the request
                # that wrote the event, as the receiving service's lines do.
                with structlog.contextvars.bound_contextvars(
                    request_id=event.request_id, event_id=str(event.id)
                ):
                    error = await self._send(delivery, event)
                    await self._settle(delivery, error)
                sent += error is None
            return sent

    async def _send(self, delivery: OutboxDelivery, event: OutboxEvent) -> str | None:
        """Hand one event over within the delivery timeout; None on success, else the reason."""
        seconds = self._delivery_timeout.total_seconds()
        try:
            async with asyncio.timeout(seconds):
                return await self._hand_over(delivery, event)
        except TimeoutError:
            return f"no answer within {seconds:g} s"

    async def _hand_over(self, delivery: OutboxDelivery, event: OutboxEvent) -> str | None:
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
        """Serve every subscriber with deliveries due now once, side by side; return how many
        succeeded."""
        subscribers = await self._due_subscribers()
        async with asyncio.TaskGroup() as lanes:
            served = [lanes.create_task(self._serve(s)) for s in subscribers]
        return sum(task.result() for task in served)

    async def _drain(self, subscriber: str) -> None:
        try:
            while await self._serve(subscriber):
                pass
        except Exception:
            log.exception(
                "outbox delivery failed; retrying on the next poll", subscriber=subscriber
            )

    async def run(self, *, poll_seconds: float) -> None:
        """Deliver until cancelled: each subscriber's lane runs on its own, started on the poll
        interval or when told new events exist."""
        async with asyncio.TaskGroup() as group:
            lanes: dict[str, asyncio.Task[None]] = {}
            while True:
                self.wake.clear()  # before looking, so news that comes while we look is kept
                try:
                    for subscriber in await self._due_subscribers():
                        if subscriber not in lanes or lanes[subscriber].done():
                            lanes[subscriber] = group.create_task(self._drain(subscriber))
                except Exception:
                    log.exception("outbox dispatch pass failed; retrying on the next poll")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), timeout=poll_seconds)
