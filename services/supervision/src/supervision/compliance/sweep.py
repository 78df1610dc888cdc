"""The supervision sweep: remind peer and supervisor of each short week, once per peer and week.

It measures the last few complete weeks (so a missed run catches up), records a reminder per
short week not reminded before, and publishes ``supervision.week_short`` through the outbox;
the applications service mails the notice with the notification machinery it has.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from datetime import timedelta

import structlog
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.clock import Clock
from certboard_core.logging import job_context
from certboard_core.outbox import NewEvent, Outbox
from certboard_core.service_metrics import record_sweep
from supervision.compliance import rules
from supervision.compliance.models import ShortWeekReminder
from supervision.compliance.repository import ComplianceRepository
from supervision.compliance.service import measure
from supervision.policy import SupervisionPolicy

log = structlog.get_logger(__name__)

WEEK_SHORT = "supervision.week_short"
# Complete weeks looked back over; the 40-hour count starts at the first of them.
LOOKBACK_WEEKS = 4


@dataclass(frozen=True)
class SweepResult:
    """How many short-week reminders one sweep sent."""

    reminders: int


async def sweep_once(
    sessions: async_sessionmaker[AsyncSession],
    *,
    clock: Clock,
    policy: SupervisionPolicy,
    outbox: Outbox,
) -> SweepResult:
    """Remind about every short week of the last complete weeks not reminded about yet."""
    now = clock.now()
    if not policy.supervision_required:
        return SweepResult(0)
    this_monday = rules.week_start(policy.local_date(now))
    first = this_monday - timedelta(weeks=LOOKBACK_WEEKS)
    last = this_monday - timedelta(days=1)
    async with sessions() as session, session.begin():
        repository = ComplianceRepository(session)
        measured = await measure(session, policy, first, last, None)
        done = await repository.reminded(first, last)
        short = [
            (peer, week)
            for peer, report in measured
            for week in report.weeks
            if not week.compliant and (peer, week.week_starts_on) not in done
        ]
        supervisors = await repository.supervisors_of(
            sorted({peer for peer, _ in short}), first, last
        )
        session.add_all(
            ShortWeekReminder(
                peer_applicant_id=peer, week_starts_on=w.week_starts_on, created_at=now
            )
            for peer, w in short
        )
        if short:
            await outbox.publish_many(
                session,
                [
                    NewEvent(
                        WEEK_SHORT,
                        "supervision_peer",
                        peer,
                        {
                            "peer_applicant_id": peer,
                            "supervisors": [c._asdict() for c in supervisors.get(peer, [])],
                            "week_starts_on": w.week_starts_on.isoformat(),
                            "hours_worked": rules.hours_text(w.worked_hundredths),
                            "supervised_minutes": w.supervised_minutes,
                            "required_minutes": w.required_minutes,
                            "shortfall_minutes": w.shortfall_minutes,
                            "missing_session": w.missing_session,
                            "cap_exceeded_on": (
                                w.cap_exceeded_on.isoformat() if w.cap_exceeded_on else None
                            ),
                        },
                    )
                    for peer, w in short
                ],
                at=now,
            )
    log.info("supervision sweep finished", reminders=len(short))
    return SweepResult(len(short))


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
                )
                record_sweep(app, asdict(result))
                app.state.dispatcher.wake.set()
            except Exception:
                record_sweep(app, None)
                log.exception("supervision sweep failed; retrying at the next interval")
        await asyncio.sleep(interval_seconds)
