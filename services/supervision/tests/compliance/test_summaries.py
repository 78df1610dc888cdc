"""The week summaries as the writes keep them: through every write that changes a week, equal
to summaries made afresh from the rows (and to the migration's backfill), and never losing
one of two concurrent writes to the same week."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import delete, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from supervision.compliance.backfill import backfill
from supervision.compliance.models import PeerWeek
from supervision.compliance.repository import ComplianceRepository
from supervision.compliance.rules import WeekSummary, compliance_report, summarize
from supervision.compliance.service import measure, record_weeks
from supervision.hours.models import HoursPeriod, HoursWorked

from ..factories import agreement
from ..session.records import Callers, insert, log, session_body, sign

FIRST, LAST = date(2026, 2, 23), date(2026, 3, 15)
AT = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


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
    app: FastAPI, client: httpx.AsyncClient, who: Callers
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


def _hours(row: Any, day: date, hundredths: int) -> HoursWorked:
    return HoursWorked(
        agreement_id=row.id,
        peer_applicant_id=row.peer_applicant_id,
        supervisor_id=row.supervisor_id,
        period=HoursPeriod.DAY,
        starts_on=day,
        hundredths=hundredths,
        created_at=AT,
        created_by="applicant:test",
    )


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
        first.add(_hours(row, monday, 800))
        await record_weeks(first, "alice", monday)
        if db_backend == "postgresql":
            connection = await second.connection()
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()

            async def write_second() -> None:
                second.add(_hours(row, monday + timedelta(days=1), 900))
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
            second.add(_hours(row, monday + timedelta(days=1), 900))
            await record_weeks(second, "alice", monday + timedelta(days=1))
            await second.commit()
    finally:
        await first.close()
        await second.close()
    async with app.state.sessions() as session:
        (week,) = await stored(session)
    assert (week.worked_hundredths, week.daily) == (1700, "800,900,0,0,0,0,0")
