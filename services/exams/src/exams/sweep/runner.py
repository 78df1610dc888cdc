"""Running the exams sweep: in-process every few minutes, on demand, and as a command."""

from __future__ import annotations

import asyncio

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.clock import Clock
from certboard_core.logging import job_context
from certboard_core.outbox import Outbox
from certboard_core.service_metrics import record_sweep
from exams.policy import ExamPolicy
from exams.sweep.service import expire_unused

log = structlog.get_logger(__name__)

CHUNK = 1000


async def sweep_once(
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Clock,
    policy: ExamPolicy,
    outbox: Outbox,
    chunk: int = CHUNK,
) -> int:
    """One sweep, a transaction per chunk; answers how many authorizations it expired."""
    expired = 0
    while True:
        async with sessions() as session, session.begin():
            done = await expire_unused(
                session, clock=clock, policy=policy, outbox=outbox, limit=chunk
            )
        expired += done
        if done < chunk:
            log.info("exams sweep finished", expired_unused=expired)
            return expired


async def sweep_forever(app: FastAPI, interval_seconds: float) -> None:
    """The in-process schedule; a failed pass is logged and the next one tries again."""
    while True:
        with job_context("sweep"):
            try:
                expired = await sweep_once(
                    app.state.sessions,
                    clock=app.state.clock,
                    policy=app.state.policy,
                    outbox=app.state.outbox,
                )
                record_sweep(app, {"expired_unused": expired})
            except Exception:
                record_sweep(app, None)
                log.exception("exams sweep failed; retrying at the next interval")
        await asyncio.sleep(interval_seconds)
