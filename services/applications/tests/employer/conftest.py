"""Builders for employer tests: an app whose outgoing calls a receiver records, employers,
and certified people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from applications.config import Settings
from applications.main import create_app
from certboard_core.testing.plugin import Minter, bearer

from ..certificate.conftest import Receiver
from ..certification.conftest import approved
from ..discipline.test_discipline import decide, file, queue
from ..renewal.test_renewal_api import certify

HOOK = "http://127.0.0.1:9/hooks"


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
async def app(settings: Settings, clock, receiver):
    application = create_app(
        settings, clock=clock, http_transport=httpx.MockTransport(receiver), run_background=False
    )
    async with LifespanManager(application):
        yield application


@dataclass
class Employer:
    token: str
    profile: dict[str, Any]


async def employer(
    client: httpx.AsyncClient, mint: Minter, who: str, webhook_url: str | None = None
) -> Employer:
    """An employer account with its profile (alerts mailed to ``<who>@example.com``)."""
    token = mint("employer", who)
    body: dict[str, Any] = {"organisation": f"{who.title()} Health", "alert_email": f"{who}@x.org"}
    if webhook_url:
        body["webhook_url"] = webhook_url
    made = await client.post("/v1/employer/profile", json=body, headers=bearer(token))
    assert made.status_code == 201, made.text
    return Employer(token, made.json())


async def holder(client: httpx.AsyncClient, mint: Minter, who: str, **form: Any) -> dict[str, Any]:
    """``who`` certified; the application with its certification's id, number and last day."""
    application = await approved(client, mint, who, **form)
    await certify(client, mint, application)
    read = await client.get(
        f"/v1/applications/{application['id']}/certification",
        headers=bearer(mint("staff", "sam")),
    )
    application["number"] = read.json()["number"]
    application["valid_through"] = read.json()["valid_through"]
    return application


async def enrol(
    client: httpx.AsyncClient, who: Employer, number: str, last_name: str
) -> httpx.Response:
    return await client.post(
        "/v1/employer/enrolments",
        json={"certificate_number": number, "last_name": last_name},
        headers=bearer(who.token),
    )


async def alerts(client: httpx.AsyncClient, who: Employer) -> list[dict[str, Any]]:
    answer = await client.get("/v1/employer/alerts", headers=bearer(who.token))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def drain(app: Any) -> int:
    """Deliver every due outbox row, however many rounds the fan-out adds; how many."""
    total = 0
    while done := await app.state.dispatcher.dispatch_once():
        total += done
    return total


async def suspend(client: httpx.AsyncClient, mint: Minter, number: str) -> None:
    """A complaint against ``number``, decided by staff as a suspension through 30 June."""
    staff = mint("staff", "sam")
    assert (await file(client, number)).status_code == 201
    [complaint] = (await queue(client, staff))["items"]
    answer = await decide(client, staff, complaint, "suspension", ends_on="2026-06-30")
    assert answer.status_code == 200, answer.text


def noon(day: date) -> datetime:
    """Midday of ``day`` in Los Angeles (the CA preset's zone), whatever its offset."""
    return datetime.combine(day, time(20, 0), tzinfo=UTC)


async def sweep(client: httpx.AsyncClient, mint: Minter) -> int:
    """Run the sweep now; how many coming-expiry alerts it recorded."""
    answer = await client.post("/internal/sweep", headers=bearer(mint("staff", "sam")))
    assert answer.status_code == 200, answer.text
    count: int = answer.json()["employer_alerts"]
    return count
