"""Running the sweep: in-process every few minutes, on demand, and as a command for a scheduler."""

from __future__ import annotations

import asyncio

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from applications.policy import ApplicationPolicy
from applications.sweep.service import SweepResult, run_sweep
from certboard_core.clock import Clock
from certboard_core.outbox import Outbox

log = structlog.get_logger(__name__)


async def sweep_once(
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Clock,
    policy: ApplicationPolicy,
    outbox: Outbox,
) -> SweepResult:
    """One sweep in its own transaction."""
    async with sessions() as session, session.begin():
        result = await run_sweep(session, now=clock.now(), policy=policy, outbox=outbox)
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
