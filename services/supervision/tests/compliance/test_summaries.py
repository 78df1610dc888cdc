"""The week summaries as the writes keep them: through every write that changes a week, equal
to summaries made afresh from the rows (and to the migration's backfill), never losing one
of two concurrent writes to the same week; and the migration summarizing what it finds."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from alembic import command
from fastapi import FastAPI
from sqlalchemy import delete, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core import migrations
from certboard_core.db import create_engine, session_factory
from certboard_core.testing.plugin import DatabaseFactory, in_thread
from supervision.compliance.backfill import backfill
from supervision.compliance.models import PeerWeek
from supervision.compliance.repository import ComplianceRepository
from supervision.compliance.rules import WeekSummary, compliance_report, summarize
from supervision.compliance.service import measure, record_weeks

from ..factories import agreement
from ..session.records import Callers, insert, log, session_body, sign
from .test_report import held, worked

FIRST, LAST = date(2026, 2, 23), date(2026, 3, 15)


async def post(client: httpx.AsyncClient, path: str, headers: Any, body: dict[str, Any]) -> Any:
    response = await client.post(f"/v1/supervision/{path}", json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def stored(session: AsyncSession) -> list[PeerWeek]:
    """The summaries of weeks with any activity, in peer and week order."""
    rows = await session.exec(
        select(PeerWeek).order_by(col(PeerWeek.peer_applicant_id), col(PeerWeek.week_starts_on))
    )
    return [row for row in rows if row.worked_hundredths or row.sessions]


async def test_every_write_keeps_its_weeks_as_the_rows_would_make_them(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, supervisors: None
) -> None:
    row = agreement()
    await insert(app, row)
    agreement_id = str(row.id)
    # A week's hours on its Monday, then a day's hours the next week, corrected upwards.
    await post(
        client,
        "hours",
        who.alice,
        {"agreement_id": agreement_id, "period": "week", "starts_on": "2026-03-02", "hours": "20"},
    )
    day = await post(
        client,
        "hours",
        who.alice,
        {"agreement_id": agreement_id, "period": "day", "starts_on": "2026-03-09", "hours": "7"},
    )
    await post(
        client,
        f"hours/{day['id']}/amendments",
        who.alice,
        {"expected_version": day["version"], "hours": "24", "reason": "a double shift"},
    )
    # A session signed off on the Tuesday, another held on the 9th and moved by amendment to
    # the 5th: the week of the 9th loses it, the week of the 2nd gains it.
    tuesday = await log(client, who.alice, session_body(row.id, held_on="2026-03-03"))
    await sign(client, who.sam, tuesday)
    moved = await sign(client, who.sam, await log(client, who.alice, session_body(row.id)))
    amendment = session_body(row.id, held_on="2026-03-05", stop_time="10:30") | {
        "expected_version": moved["version"],
        "reason": "logged on the wrong day",
        "supervisor_name": "Dr. Sam Ortiz",
        "supervisor_license_number": "LCSW-1234",
    }
    amendment.pop("agreement_id")
    await post(client, f"sessions/{moved['id']}/amendments", who.sam, amendment)

    async with app.state.sessions() as session:
        kept = await stored(session)
        assert [
            (w.week_starts_on, w.worked_hundredths, w.supervised_minutes, w.sessions) for w in kept
        ] == [(date(2026, 3, 2), 2000, 90, 2), (date(2026, 3, 9), 2400, 0, 0)]
        days = await ComplianceRepository(session).days(FIRST, LAST, peers=None)
        ((_, alices_days),) = days
        assert [WeekSummary(**w.model_dump(exclude={"peer_applicant_id"})) for w in kept] == list(
            summarize(alices_days)
        )
        policy = app.state.policy
        assert await measure(session, policy, FIRST, LAST, None) == [
            (peer, compliance_report(summarize(peer_days), policy)) for peer, peer_days in days
        ]
        # The migration's backfill, run over the same rows, makes the same summaries.
        await session.exec(delete(PeerWeek))
        await (await session.connection()).run_sync(backfill)
        assert await stored(session) == kept


async def _blocked(app: FastAPI, pid: int) -> None:
    """Return once the PostgreSQL backend ``pid`` waits for a lock (at most ten seconds)."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    async with asyncio.timeout(10):
        while True:
            async with app.state.sessions() as watcher:
                connection = await watcher.connection()
                if (await connection.execute(query, {"pid": pid})).scalar() == "Lock":
                    return
            await asyncio.sleep(0.01)  # polling a condition, not timing a race


async def test_two_writes_to_the_same_week_both_count(app: FastAPI, db_backend: str) -> None:
    row = agreement()
    await insert(app, row)
    monday = date(2026, 3, 2)
    first = app.state.sessions()
    second = app.state.sessions()
    try:
        # The first writer records its day and summarizes the week, and has not committed.
        first.add(worked(row, monday, 800))
        await record_weeks(first, "alice", monday)
        if db_backend == "postgresql":
            connection = await second.connection()
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()

            async def write_second() -> None:
                second.add(worked(row, monday + timedelta(days=1), 900))
                await record_weeks(second, "alice", monday + timedelta(days=1))
                await second.commit()

            # The second writes its day and waits for the week: only then does the first
            # commit, so the second must read the first's day before it summarizes.
            waiting = asyncio.create_task(write_second())
            await _blocked(app, pid)
            await first.commit()
            await waiting
        else:
            # SQLite lets one writer in at a time: the second begins once the first is done.
            await first.commit()
            second.add(worked(row, monday + timedelta(days=1), 900))
            await record_weeks(second, "alice", monday + timedelta(days=1))
            await second.commit()
    finally:
        await first.close()
        await second.close()
    async with app.state.sessions() as session:
        (week,) = await stored(session)
    assert (week.worked_hundredths, week.daily) == (1700, "800,900,0,0,0,0,0")


async def test_the_migration_summarizes_what_is_already_recorded(
    database_factory: DatabaseFactory,
) -> None:
    url = database_factory("supervision")
    in_thread(lambda: command.downgrade(migrations.alembic_config("supervision", url), "0004"))
    engine = create_engine(url)
    try:
        row, monday = agreement(), date(2026, 3, 2)
        async with session_factory(engine)() as session:
            session.add(row)
            await session.flush()
            session.add_all(
                [
                    worked(row, monday, 2500),
                    held(row, monday + timedelta(days=2), 60),
                    worked(row, monday + timedelta(days=3), 1600),
                    held(row, monday + timedelta(days=4), 45, signed=False),
                    worked(row, monday + timedelta(days=8), 3000),
                ]
            )
            await session.commit()
        in_thread(lambda: migrations.upgrade("supervision", url))
        async with session_factory(engine)() as session:
            kept = await stored(session)
    finally:
        await engine.dispose()
    assert [
        (
            w.week_starts_on,
            w.worked_hundredths,
            w.supervised_minutes,
            w.head_hundredths,
            w.tail_hundredths,
        )
        for w in kept
    ] == [(monday, 4100, 60, 2500, 1600), (monday + timedelta(days=7), 3000, 0, 3000, 0)]
