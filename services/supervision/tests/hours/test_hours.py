"""Hours worked: exact decimals per day or week, refusals, corrections by amendment, scoping."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import select

from supervision.hours.models import HoursWorked

from ..factories import agreement, supervisor
from ..session.records import Callers, error, insert

PATH = "/v1/supervision/hours"
MONDAY = "2026-03-02"


@pytest.fixture
async def signed(app: FastAPI) -> Any:
    row = agreement()
    await insert(app, row)
    return row


def report(agreement_id: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agreement_id": str(agreement_id),
        "period": "day",
        "starts_on": "2026-03-09",
        "hours": "7.25",
    }
    body.update(overrides)
    return body


async def submit(client: httpx.AsyncClient, who: Callers, body: dict[str, Any]) -> Any:
    response = await client.post(PATH, json=body, headers=who.alice)
    assert response.status_code == 201, response.text
    return response.json()


async def test_hours_are_stored_exactly(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    day = await submit(client, who, report(signed.id, hours="7.25"))
    assert (day["hours"], day["period"], day["starts_on"], day["current"]) == (
        "7.25",
        "day",
        "2026-03-09",
        True,
    )
    week = await submit(
        client, who, report(signed.id, period="week", starts_on=MONDAY, hours=39.75)
    )
    assert week["hours"] == "39.75"
    async with app.state.sessions() as db:
        stored = sorted((await db.exec(select(HoursWorked.hundredths))).all())
    assert stored == [725, 3975]


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        pytest.param({"hours": "7.125"}, 422, "VALIDATION_ERROR", "hours", id="finer-than-0.01"),
        pytest.param({"hours": "-1"}, 422, "VALIDATION_ERROR", "hours", id="negative"),
        pytest.param({"hours": "24.01"}, 422, "INVALID_HOURS", "hours", id="more-than-a-day"),
        pytest.param(
            {"period": "week", "starts_on": MONDAY, "hours": "168.01"},
            422,
            "INVALID_HOURS",
            "hours",
            id="more-than-a-week",
        ),
        pytest.param(
            {"period": "week", "starts_on": "2026-03-03"},
            422,
            "INVALID_HOURS",
            "starts_on",
            id="week-not-on-monday",
        ),
        pytest.param({"starts_on": "2026-03-11"}, 422, "IN_FUTURE", "starts_on", id="tomorrow"),
        pytest.param(
            {"starts_on": "2026-01-31"}, 422, "OUTSIDE_AGREEMENT", "starts_on", id="before-start"
        ),
        pytest.param({"period": "month"}, 422, "VALIDATION_ERROR", "period", id="period"),
    ],
)
async def test_refusals(
    app: FastAPI,
    client: httpx.AsyncClient,
    who: Callers,
    signed: Any,
    overrides: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    response = await client.post(PATH, json=report(signed.id, **overrides), headers=who.alice)
    assert error(response) == (status, code, field)
    async with app.state.sessions() as db:
        assert (await db.exec(select(HoursWorked))).all() == []


async def test_today_and_a_full_day_are_accepted(
    client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    body = await submit(client, who, report(signed.id, starts_on="2026-03-10", hours=24))
    assert body["hours"] == "24.00"


async def test_a_day_is_reported_once_and_not_inside_a_reported_week(
    client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    await submit(client, who, report(signed.id, starts_on="2026-03-04"))
    again = await client.post(
        PATH, json=report(signed.id, starts_on="2026-03-04"), headers=who.alice
    )
    assert error(again) == (409, "HOURS_ALREADY_REPORTED", "starts_on")
    week = report(signed.id, period="week", starts_on=MONDAY)
    assert error(await client.post(PATH, json=week, headers=who.alice))[1] == (
        "HOURS_ALREADY_REPORTED"
    )
    # A week with no day reported in it is fine, and then its days are taken.
    await submit(client, who, report(signed.id, period="week", starts_on="2026-02-23"))
    inside = report(signed.id, starts_on="2026-03-01")
    assert error(await client.post(PATH, json=inside, headers=who.alice))[1] == (
        "HOURS_ALREADY_REPORTED"
    )


async def test_an_unsigned_agreement_takes_no_hours(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    half = agreement(signed_by_peer_at=None)
    await insert(app, half)
    response = await client.post(PATH, json=report(half.id), headers=who.alice)
    assert error(response) == (422, "AGREEMENT_NOT_ACTIVE", "agreement_id")


async def test_hours_after_termination_or_under_a_lapsed_supervisor_are_refused(
    app: FastAPI, client: httpx.AsyncClient, who: Callers
) -> None:
    ended = agreement(terminated_on=date(2026, 3, 8), termination_reason="moved away")
    lapsed = agreement(employer="Elsewhere", supervisor_id="dr-lapsed")
    await insert(app, supervisor(id="dr-lapsed", license_expires_on=date(2026, 3, 8)))
    await insert(app, ended, lapsed)
    after_end = await client.post(PATH, json=report(ended.id), headers=who.alice)
    assert error(after_end) == (409, "AGREEMENT_TERMINATED", "starts_on")
    unqualified = await client.post(PATH, json=report(lapsed.id), headers=who.alice)
    assert error(unqualified) == (409, "SUPERVISOR_NOT_QUALIFIED", "supervisor_id")
    # The week holding the last day is still under the terminated agreement.
    await submit(client, who, report(ended.id, period="week", starts_on=MONDAY))


async def test_a_correction_supersedes_and_keeps_the_earlier_report(
    client: httpx.AsyncClient, who: Callers, signed: Any
) -> None:
    first = await submit(client, who, report(signed.id))
    body = {"expected_version": 1, "hours": "8.50", "reason": "forgot the evening shift"}
    response = await client.post(f"{PATH}/{first['id']}/amendments", json=body, headers=who.alice)
    assert response.status_code == 201, response.text
    new = response.json()
    assert (new["hours"], new["supersedes_id"], new["amendment_reason"], new["starts_on"]) == (
        "8.50",
        first["id"],
        "forgot the evening shift",
        "2026-03-09",
    )
    listed = await client.get(PATH, params={"include_superseded": "true"}, headers=who.alice)
    rows = {row["id"]: row for row in listed.json()["items"]}
    assert (rows[first["id"]]["current"], rows[first["id"]]["hours"]) == (False, "7.25")
    assert rows[first["id"]]["superseded_by"] == "applicant:alice"
    again = await client.post(f"{PATH}/{first['id']}/amendments", json=body, headers=who.alice)
    assert error(again) == (409, "SUPERSEDED", "hours_id")
    stale = {**body, "expected_version": 9}
    response = await client.post(f"{PATH}/{new['id']}/amendments", json=stale, headers=who.alice)
    assert error(response) == (409, "VERSION_CONFLICT", "expected_version")


async def test_scoping(app: FastAPI, client: httpx.AsyncClient, who: Callers, signed: Any) -> None:
    kims = agreement(peer_applicant_id="bob", supervisor_id="dr-kim")
    await insert(app, kims)
    alices = await submit(client, who, report(signed.id))
    response = await client.post(PATH, json=report(kims.id), headers=who.alice)
    assert error(response) == (404, "NOT_FOUND", "agreement_id")
    body = {"expected_version": 1, "hours": "1", "reason": "x"}
    response = await client.post(f"{PATH}/{alices['id']}/amendments", json=body, headers=who.bob)
    assert error(response) == (404, "NOT_FOUND", "hours_id")

    async def ids(headers: dict[str, str]) -> list[str]:
        return [r["id"] for r in (await client.get(PATH, headers=headers)).json()["items"]]

    assert await ids(who.alice) == [alices["id"]]
    assert await ids(who.sam) == [alices["id"]]
    assert await ids(who.bob) == []
    assert await ids(who.kim) == []
    assert await ids(who.staff) == [alices["id"]]
    refused = await client.post(PATH, json=report(signed.id), headers=who.sam)
    assert error(refused)[:2] == (403, "FORBIDDEN")


def test_week_example_is_a_monday() -> None:
    assert date.fromisoformat(MONDAY).weekday() == 0
