"""Running the sweep: in-process every few minutes, on demand, and as a command for a scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from datetime import datetime

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.employer.alerts import alert_expiring
from applications.employer.rules import expiry_spans
from applications.policy import ApplicationPolicy
from applications.renewal.timeline import reminder_spans
from applications.sweep.service import (
    SweepResult,
    age_certifications,
    close_due,
    remind_due,
    remind_renewals,
)
from certboard_core.clock import Clock
from certboard_core.logging import job_context
from certboard_core.memory import release_freed_memory
from certboard_core.outbox import Outbox
from certboard_core.service_metrics import record_sweep
from certboard_core.sqlite import bulk_cache

log = structlog.get_logger(__name__)


CHUNK = 5000
Step = Callable[[AsyncSession], Awaitable[int]]


@contextlib.asynccontextmanager
async def transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One of the sweep's transactions, its connection's page cache widened while it reads in
    bulk (``bulk_cache``)."""
    async with sessions() as session, session.begin(), bulk_cache(session):
        yield session


async def in_chunks(
    sessions: async_sessionmaker[AsyncSession], step: Step, *, chunk: int, workers: int
) -> int:
    """Run ``step`` a transaction at a time until it comes back short (nothing left), on
    ``workers`` connections at once; the total it did."""

    async def work() -> int:
        total = 0
        while True:
            async with transaction(sessions) as session:
                done = await step(session)
            total += done
            if done < chunk:
                return total

    # A task group: if one worker fails, the others stop too instead of running on unseen.
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(work()) for _ in range(workers)]
    return sum(task.result() for task in tasks)


async def age_all(
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    policy: ApplicationPolicy,
    outbox: Outbox,
    chunk: int = CHUNK,
    workers: int = 1,
) -> int:
    """Write every certification's status time has moved, in chunks; how many."""
    return await in_chunks(
        sessions,
        lambda s: age_certifications(s, now=now, policy=policy, outbox=outbox, limit=chunk),
        chunk=chunk,
        workers=workers,
    )


async def remind_all(
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    policy: ApplicationPolicy,
    outbox: Outbox,
    chunk: int = CHUNK,
) -> int:
    """Send every renewal reminder due, a span at a time, in chunks; how many."""
    reminded = 0
    for span in reminder_spans(policy.local_date(now), policy):
        # One worker: the reminders' selection takes no row locks (it skips what is sent), so
        # parallel workers would pick the same rows and only one would record each.
        reminded += await in_chunks(
            sessions,
            functools.partial(
                remind_renewals, span=span, now=now, policy=policy, outbox=outbox, limit=chunk
            ),
            chunk=chunk,
            workers=1,
        )
    return reminded


async def alert_employers_all(
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    policy: ApplicationPolicy,
    outbox: Outbox,
    chunk: int = CHUNK,
) -> int:
    """Record every coming-expiry alert due to employers, a threshold at a time, in chunks;
    how many."""
    today = policy.local_date(now)
    alerted = 0
    for span in expiry_spans(today, policy.employer_alert_days_before):
        # One worker, as for reminders: the selection skips what is sent and locks nothing.
        alerted += await in_chunks(
            sessions,
            functools.partial(
                alert_expiring, span=span, today=today, now=now, outbox=outbox, limit=chunk
            ),
            chunk=chunk,
            workers=1,
        )
    return alerted


async def sweep_once(
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Clock,
    policy: ApplicationPolicy,
    outbox: Outbox,
    chunk: int = CHUNK,
    workers: int = 1,
) -> SweepResult:
    """One sweep as of one instant, a transaction per chunk of applications (then of
    certifications); on PostgreSQL ``workers`` chunks at a time (each takes rows the others
    have not locked)."""
    now = clock.now()
    engine = sessions.kw["bind"]
    if engine.dialect.name == "sqlite":
        workers = 1

    async def work() -> tuple[int, int]:
        """Close chunks until one comes back short: nothing is left due."""
        voided = expired = 0
        while True:
            async with transaction(sessions) as session:
                v, e = await close_due(session, now=now, policy=policy, outbox=outbox, limit=chunk)
            voided, expired = voided + v, expired + e
            if v < chunk and e < chunk:
                return voided, expired

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(work()) for _ in range(workers)]
    closed = [task.result() for task in tasks]
    async with transaction(sessions) as session:
        void_reminders, expiry_reminders = await remind_due(
            session, now=now, policy=policy, outbox=outbox
        )
    # The renewal part: statuses first, so a reminder's words and the status read agree.
    aged = await age_all(
        sessions, now=now, policy=policy, outbox=outbox, chunk=chunk, workers=workers
    )
    reminded = await remind_all(sessions, now=now, policy=policy, outbox=outbox, chunk=chunk)
    alerted = await alert_employers_all(
        sessions, now=now, policy=policy, outbox=outbox, chunk=chunk
    )
    result = SweepResult(
        sum(v for v, _ in closed),
        sum(e for _, e in closed),
        void_reminders,
        expiry_reminders,
        aged,
        reminded,
        alerted,
    )
    # The sweep's widened page cache is freed by now; give it back rather than hold it.
    release_freed_memory()
    log.info("sweep finished", workers=workers, **result.__dict__)
    return result


async def sweep_forever(app: FastAPI, interval_seconds: float) -> None:
    """The in-process schedule; a failed pass is logged and the next one tries again."""
    while True:
        with job_context("sweep"):
            try:
                result = await sweep_once(
                    app.state.sessions,
                    clock=app.state.clock,
                    policy=app.state.policy,
                    outbox=app.state.outbox,
                    workers=app.state.settings.sweep_workers,
                )
                record_sweep(app, asdict(result))
                app.state.dispatcher.wake.set()
            except Exception:
                record_sweep(app, None)
                log.exception("sweep failed; retrying at the next interval")
        await asyncio.sleep(interval_seconds)
