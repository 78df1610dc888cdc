"""What a backend service adds to its metrics: the outbox's backlog and what its sweeps did.

The backlog is read from the database when Prometheus scrapes (``Metrics.on_scrape``), not by
the dispatcher's loop: the dispatcher polls every second and would pay for a count nobody
reads, while a scrape comes every 15 s or so and is throttled by ``metrics_refresh_seconds``.
The query groups the pending deliveries by subscriber, reading the pending part of the due
index (``status`` first), which a healthy outbox keeps small. Every replica reports the same
database-wide figures, so dashboards take the ``max`` over replicas, not the sum.

The oldest undelivered event's age comes from its id: event ids are UUIDv7, the first 48 bits
the real time of their creation in milliseconds (``ids.py``). ``occurred_at`` is business time
and would move with a test clock.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import FastAPI
from prometheus_client import Counter, Gauge
from sqlalchemy import func
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.metrics import Metrics
from certboard_core.outbox import PENDING, Outbox, OutboxDelivery

D = OutboxDelivery


@dataclass(frozen=True)
class Backlog:
    """One subscriber's undelivered events: how many, and when the oldest was written."""

    subscriber: str
    pending: int
    oldest_unix_seconds: float


async def outbox_backlog(sessions: async_sessionmaker[AsyncSession]) -> list[Backlog]:
    """Each subscriber with pending deliveries, in one grouped query."""
    first = (
        select(D.subscriber, func.count().label("pending"), func.min(D.id).label("first_id"))
        .where(D.status == PENDING)
        .group_by(col(D.subscriber))
        .subquery()
    )
    query = select(first.c.subscriber, first.c.pending, D.event_id).join(
        D, col(D.id) == first.c.first_id
    )
    async with sessions() as session:
        rows = (await session.exec(query)).all()
    # A delivery's id grows with insertion, so the lowest pending one is the oldest event's.
    return [Backlog(s, int(n), (event_id.int >> 80) / 1000) for s, n, event_id in rows]


def watch_outbox(metrics: Metrics, app: FastAPI) -> None:
    """Gauges of ``app``'s outbox backlog, refreshed on scrape (from its database once its
    lifespan has opened it); configured subscribers read 0 when nothing waits for them."""
    pending = Gauge(
        "certboard_outbox_pending_deliveries",
        "Outbox deliveries not yet made, by subscriber (the whole database's, in each replica).",
        ("subscriber",),
        registry=metrics.registry,
    )
    oldest = Gauge(
        "certboard_outbox_oldest_pending_age_seconds",
        "Age of the oldest event not yet delivered to the subscriber (0: none waiting).",
        ("subscriber",),
        registry=metrics.registry,
    )
    outbox: Outbox = app.state.outbox
    known = (*outbox.subscribers, *outbox.local)

    async def refresh_outbox() -> None:
        backlog = await outbox_backlog(app.state.sessions)
        now = time.time()
        pending.clear()
        oldest.clear()
        for name in known:
            pending.labels(name).set(0)
            oldest.labels(name).set(0)
        for row in backlog:
            pending.labels(row.subscriber).set(row.pending)
            oldest.labels(row.subscriber).set(max(0.0, now - row.oldest_unix_seconds))

    metrics.on_scrape(refresh_outbox)


class SweepMetrics:
    """What the in-process sweep did: runs by outcome, rows by step, the last success."""

    def __init__(self, metrics: Metrics) -> None:
        self.runs = Counter(
            "certboard_sweep_runs",
            "Sweep passes of the in-process schedule, by outcome (ok or failed).",
            ("outcome",),
            registry=metrics.registry,
        )
        self.items = Counter(
            "certboard_sweep_items",
            "Rows each step of the sweep changed or sent (applications voided, reminders...).",
            ("step",),
            registry=metrics.registry,
        )
        self.last_success = Gauge(
            "certboard_sweep_last_success_timestamp_seconds",
            "When the last sweep pass finished without error (Unix time).",
            registry=metrics.registry,
        )

    def finished(self, counts: Mapping[str, int]) -> None:
        self.runs.labels("ok").inc()
        for step, count in counts.items():
            self.items.labels(step).inc(count)
        self.last_success.set_to_current_time()

    def failed(self) -> None:
        self.runs.labels("failed").inc()


def record_sweep(app: FastAPI, counts: Mapping[str, int] | None) -> None:
    """Count one pass of the sweep (``None``: it failed); nothing when metrics are off."""
    sweeps: SweepMetrics | None = getattr(app.state, "sweep_metrics", None)
    if sweeps is None:
        return
    if counts is None:
        sweeps.failed()
    else:
        sweeps.finished(counts)
