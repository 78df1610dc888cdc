"""The compliance report through the API, and the sweep's short-week reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import SQLModel, col, select

from certboard_core.outbox import OutboxEvent
from supervision.compliance.service import record_weeks
from supervision.hours.models import HoursPeriod, HoursWorked
from supervision.session.models import SessionFormat, SupervisionSession

from ..factories import agreement, supervisor
from ..session.records import Callers, error, insert

PATH = "/v1/supervision/compliance"
MONDAY = date(2026, 3, 2)
AT = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)


def worked(row: Any, day: date, hundredths: int, **extra: Any) -> HoursWorked:
    return HoursWorked(
        agreement_id=row.id,
        peer_applicant_id=row.peer_applicant_id,
        supervisor_id=row.supervisor_id,
        period=extra.pop("period", HoursPeriod.DAY),
        starts_on=day,
        hundredths=hundredths,
        created_at=AT,
        created_by="applicant:test",
        **extra,
    )


def held(row: Any, day: date, minutes: int, *, signed: bool = True, **extra: Any) -> Any:
    start = datetime(day.year, day.month, day.day, 16, 0, tzinfo=UTC)
    return SupervisionSession(
        agreement_id=row.id,
        peer_applicant_id=row.peer_applicant_id,
        supervisor_id=row.supervisor_id,
        peer_name="Peer",
        held_on=day,
        starts_at=start,
        stops_at=start + timedelta(minutes=minutes),
        minutes=minutes,
        format=SessionFormat.INDIVIDUAL,
        topics=["planning"],
        signed_off_at=AT if signed else None,
        signed_off_by="supervisor:test" if signed else None,
        created_at=AT,
        created_by="applicant:test",
        **extra,
    )


async def recorded(app: FastAPI, *rows: SQLModel) -> None:
    """Write rows straight to the database, then summarize their weeks as the services do."""
    await insert(app, *rows)
    async with app.state.sessions() as session:
        for row in rows:
            if isinstance(row, HoursWorked):
                await record_weeks(session, row.peer_applicant_id, row.starts_on)
            elif isinstance(row, SupervisionSession):
                await record_weeks(session, row.peer_applicant_id, row.held_on)
        await session.commit()


async def ask(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> Any:
    params = {"from": "2026-03-02", "to": "2026-03-08", **params}
    response = await client.get(PATH, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def two_peers(app: FastAPI) -> tuple[Any, Any]:
    """Alice (with dr-sam) exactly at 1:20; Bob (with dr-kim) one minute short."""
    alices, bobs = agreement(), agreement(peer_applicant_id="bob", supervisor_id="dr-kim")
    await recorded(app, alices, bobs)
    await recorded(
        app,
        worked(alices, MONDAY, 2000),
        held(alices, MONDAY + timedelta(days=1), 60),
        worked(bobs, MONDAY, 2001),
        held(bobs, MONDAY + timedelta(days=1), 60),
        # Neither an unsigned session nor a superseded report counts.
        held(alices, MONDAY + timedelta(days=2), 60, signed=False),
        worked(alices, MONDAY + timedelta(days=3), 5000, superseded_at=AT, superseded_by="x"),
    )
    return alices, bobs


async def test_exactly_at_the_ratio_and_one_minute_short(
    client: httpx.AsyncClient, who: Callers, two_peers: Any
) -> None:
    body = await ask(client, who.staff)
    assert (body["starts_on"], body["ends_on"]) == ("2026-03-02", "2026-03-08")
    alice, bob = body["peers"]
    assert alice == {
        "peer_applicant_id": "alice",
        "compliant": True,
        "hours_worked": "20.00",
        "supervised_minutes": 60,
        "required_minutes": 60,
        "shortfall_minutes": 0,
        "first_cap_exceeded_on": None,
        "weeks": [
            {
                "week_starts_on": "2026-03-02",
                "hours_worked": "20.00",
                "supervised_minutes": 60,
                "sessions": 1,
                "required_minutes": 60,
                "shortfall_minutes": 0,
                "missing_session": False,
                "cap_exceeded_on": None,
                "compliant": True,
            }
        ],
    }
    assert (bob["peer_applicant_id"], bob["compliant"], bob["shortfall_minutes"]) == (
        "bob",
        False,
        1,
    )
    assert bob["weeks"][0]["required_minutes"] == 61


async def test_the_period_is_whole_weeks(
    client: httpx.AsyncClient, who: Callers, two_peers: Any
) -> None:
    body = await ask(client, who.staff, **{"from": "2026-03-04", "to": "2026-03-04"})
    assert (body["starts_on"], body["ends_on"]) == ("2026-03-02", "2026-03-08")
    assert len(body["peers"]) == 2


async def test_forty_one_hours_between_sessions_names_the_day(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    row = agreement()
    await recorded(app, row)
    days = [MONDAY + timedelta(days=i) for i in range(5)]
    await recorded(
        app,
        held(row, days[0], 120),
        *(worked(row, d, 1000) for d in days[1:4]),
        worked(row, days[4], 1100),
        held(row, days[4], 120),
    )
    (alice,) = (await ask(client, who.alice))["peers"]
    assert alice["first_cap_exceeded_on"] == "2026-03-06"
    assert alice["weeks"][0]["cap_exceeded_on"] == "2026-03-06"
    assert alice["compliant"] is False


async def test_each_caller_sees_whom_they_may(
    client: httpx.AsyncClient, who: Callers, two_peers: Any
) -> None:
    async def peers(headers: dict[str, str], **params: Any) -> list[str]:
        return [p["peer_applicant_id"] for p in (await ask(client, headers, **params))["peers"]]

    assert await peers(who.staff) == ["alice", "bob"]
    assert await peers(who.staff, peer_applicant_id="bob") == ["bob"]
    assert await peers(who.alice) == ["alice"]
    assert await peers(who.alice, peer_applicant_id="bob") == []
    assert await peers(who.sam) == ["alice"]
    assert await peers(who.sam, peer_applicant_id="bob") == []
    assert await peers(who.kim) == ["bob"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "2026-03-09", "to": "2026-03-01"}, "to"), ({"from": "2024-01-01"}, "to")],
)
async def test_a_bad_period_is_refused(
    client: httpx.AsyncClient, who: Callers, params: dict[str, str], field: str
) -> None:
    query = {"from": "2026-03-02", "to": "2026-03-08", **params}
    response = await client.get(PATH, params=query, headers=who.staff)
    assert error(response) == (422, "INVALID_INPUT", field)


async def test_the_weekly_rule_flags_a_worked_week_without_a_session(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    app.state.policy = app.state.policy.model_copy(
        update={
            "weekly_supervision_required": True,
            "worked_hours_per_supervision_hour": None,
            "max_hours_worked_without_supervision": None,
        }
    )
    row = agreement()
    await recorded(app, row, worked(row, MONDAY, 800, period=HoursPeriod.WEEK))
    (alice,) = (await ask(client, who.alice))["peers"]
    assert alice["weeks"][0]["missing_session"] is True
    assert alice["weeks"][0]["required_minutes"] == 0
    assert alice["compliant"] is False


async def test_the_sweep_reminds_once_per_peer_and_week(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, mint: Any, two_peers: Any
) -> None:
    # Bob's former supervisor, whose agreement ended long before these weeks, is not reminded.
    former = agreement(
        peer_applicant_id="bob",
        supervisor_id="dr-old",
        starts_on=date(2025, 1, 1),
        terminated_on=date(2025, 6, 30),
    )
    await insert(app, supervisor(id="dr-kim", contact_email="kim.lee@example.org"), former)
    service = {"Authorization": f"Bearer {mint('service', 'scheduler')}"}
    first = await client.post("/internal/sweep", headers=service)
    assert first.status_code == 200, first.text
    assert first.json() == {"reminders": 1}
    assert (await client.post("/internal/sweep", headers=who.staff)).json() == {"reminders": 0}
    async with app.state.sessions() as db:
        events = (
            await db.exec(
                select(OutboxEvent).where(col(OutboxEvent.type) == "supervision.week_short")
            )
        ).all()
    assert [event.payload for event in events] == [
        {
            "peer_applicant_id": "bob",
            "supervisors": [{"supervisor_id": "dr-kim", "email": "kim.lee@example.org"}],
            "week_starts_on": "2026-03-02",
            "hours_worked": "20.01",
            "supervised_minutes": 60,
            "required_minutes": 61,
            "shortfall_minutes": 1,
            "missing_session": False,
            "cap_exceeded_on": None,
        }
    ]
    refused = await client.post("/internal/sweep", headers=who.alice)
    assert error(refused)[:2] == (403, "FORBIDDEN")
