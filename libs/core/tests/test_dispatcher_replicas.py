"""Two replicas of one service, each with its own engine and delivery loop, on one database:
every event reaches every subscriber exactly once (deploy/README.md, "Several replicas")."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.clock import TestClock
from certboard_core.db import create_engine, session_factory
from certboard_core.dispatcher import OutboxDispatcher
from certboard_core.outbox import DELIVERED, EventEnvelope, NewEvent, Outbox
from certboard_core.testing.plugin import T0

from .factories import SUBSCRIBERS, all_deliveries

EVENTS = 60
# Small batches, so the replicas claim turn about rather than one taking everything.
BATCH = 5
REPLICAS = ("replica-a", "replica-b")


class Receiver:
    """The subscribers' side: what arrived, from which replica. A replica's first hand-over is
    held until the other replica is sending too, so the two run side by side."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str, str]] = []
        self.both_sending = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        replica = request.headers["Authorization"].removeprefix("Bearer ")
        event = EventEnvelope.model_validate_json(request.content)
        self.received.append((replica, request.url.host, str(event.id)))
        if {r for r, _, _ in self.received} == set(REPLICAS):
            self.both_sending.set()
        await self.both_sending.wait()
        return httpx.Response(200, json={"outcome": "handled"})


def _replica(
    name: str, sessions: async_sessionmaker[AsyncSession], receiver: Receiver, clock: TestClock
) -> OutboxDispatcher:
    return OutboxDispatcher(
        sessions=sessions,
        client=httpx.AsyncClient(transport=httpx.MockTransport(receiver)),
        subscribers=SUBSCRIBERS,
        source="applications",
        token=lambda: name,
        clock=clock,
        batch_size=BATCH,
        jitter=lambda: 0.0,
        # The receiver holds a replica's first hand-over until the other sends too; on a
        # loaded machine that took over the default 10 s, and a timed-out hand-over is retried
        # (a second arrival this test would count) only after its backoff.
        delivery_timeout=timedelta(seconds=60),
    )


async def _delivery_loop(dispatcher: OutboxDispatcher) -> None:
    # A replica's loop between polls: serve until a pass finds nothing left for it.
    while await dispatcher.dispatch_once():
        pass


async def test_two_replicas_deliver_each_event_once(database: str, sessions, clock) -> None:
    outbox = Outbox(source="applications", subscribers=SUBSCRIBERS, clock=clock)
    async with sessions() as session, session.begin():
        published = await outbox.publish_many(
            session,
            [
                NewEvent("application.approved", "application", f"app-{i}", {})
                for i in range(EVENTS)
            ],
            at=T0,
        )
    receiver = Receiver()
    engines = [create_engine(database) for _ in REPLICAS]
    try:
        replicas = [
            _replica(name, session_factory(engine), receiver, clock)
            for name, engine in zip(REPLICAS, engines, strict=True)
        ]
        async with asyncio.timeout(30):  # a lost wake-up fails here instead of hanging
            await asyncio.gather(*(_delivery_loop(r) for r in replicas))
    finally:
        for engine in engines:
            await engine.dispose()

    handed_over = Counter((subscriber, event) for _, subscriber, event in receiver.received)
    expected = {(s, str(e)) for s in SUBSCRIBERS for e in published}
    assert set(handed_over) == expected
    assert set(handed_over.values()) == {1}
    by_replica = Counter(replica for replica, _, _ in receiver.received)
    assert set(by_replica) == set(REPLICAS)
    assert sum(by_replica.values()) == EVENTS * len(SUBSCRIBERS)
    rows = await all_deliveries(sessions)
    assert {(r.status, r.attempts, r.leased_until) for r in rows} == {(DELIVERED, 1, None)}
