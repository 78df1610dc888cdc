"""Running the sweep: in-process every few minutes, on demand, and as a command for a scheduler."""

from __future__ import annotations

import asyncio

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.policy import ApplicationPolicy
from applications.sweep.service import SweepResult, close_due, remind_due
from certboard_core.clock import Clock
from certboard_core.outbox import Outbox

log = structlog.get_logger(__name__)


CHUNK = 5000


async def sweep_once(
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Clock,
    policy: ApplicationPolicy,
    outbox: Outbox,
    chunk: int = CHUNK,
) -> SweepResult:
    """One sweep as of one instant, a transaction per chunk of applications."""
    now = clock.now()
    voided = expired = 0
    while True:
        async with sessions() as session, session.begin():
            v, e = await close_due(session, now=now, policy=policy, outbox=outbox, limit=chunk)
        voided, expired = voided + v, expired + e
        if v < chunk and e < chunk:
            break
    async with sessions() as session, session.begin():
        void_reminders, expiry_reminders = await remind_due(
            session, now=now, policy=policy, outbox=outbox
        )
    result = SweepResult(voided, expired, void_reminders, expiry_reminders)
    log.info("sweep finished", **result.__dict__)
    return result


async def sweep_forever(app: FastAPI, interval_seconds: float) -> None:
    """The in-process schedule; a failed pass is logged and the next one tries again."""
    while True:
        try:
            await sweep_once(
                app.state.sessions,
                clock=app.state.clock,
                policy=app.state.policy,
                outbox=app.state.outbox,
            )
            app.state.dispatcher.wake.set()
        except Exception:
            log.exception("sweep failed; retrying at the next interval")
        await asyncio.sleep(interval_seconds)
