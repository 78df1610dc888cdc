"""The staff work queues as a Prometheus gauge, counted when Prometheus scrapes.

Each queue is counted with the same query staff see (``QueueRepository.count``), as of the
service's today; the counts are refreshed at most once per ``metrics_refresh_seconds``. The
breaches queue only grows (a late first notice stays a breach), so a rise in it is a new
breach: the alert ``WorkQueueBreachesRising`` watches exactly that.
"""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import Gauge

from applications.queue.repository import Filters, QueueName, QueueRepository, queue
from certboard_core.metrics import Metrics


def watch_queues(app: FastAPI) -> None:
    """Count every work queue on scrape, when the app serves metrics."""
    metrics: Metrics | None = app.state.metrics
    if metrics is None:
        return
    sizes = Gauge(
        "certboard_work_queue_applications",
        "Applications in each staff work queue today (breaches: first notice missed or late).",
        ("queue",),
        registry=metrics.registry,
    )

    async def refresh_queues() -> None:
        policy = app.state.policy
        today = policy.local_date(app.state.clock.now())
        async with app.state.sessions() as session:
            repository = QueueRepository(session)
            for name in QueueName:
                count, _ = await repository.count(
                    queue(name, today, policy), Filters(), today=today
                )
                sizes.labels(name.value).set(count)

    metrics.on_scrape(refresh_queues)
