"""Builders for CE ledger tests: a certified person, a CE provider with courses, its reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import func, select

from applications.ce.models import CeRecord
from certboard_core.clock import TestClock
from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import Minter, bearer

from ..certification.conftest import approved, deliver, passed
from ..factories import PDF

# Certified on T0's day (10 March 2026); the tests then stand on 10 May 2026.
ISSUED_ON = "2026-03-10"
TODAY = datetime(2026, 5, 10, 17, 0, tzinfo=UTC)


@dataclass
class Holder:
    token: str
    certification_id: str
    number: str


@dataclass
class CeProvider:
    id: str
    token: str
    # Course ids by name: "Ethics 6" (6 hours, law and ethics), "Wellness 1.5" (general).
    courses: dict[str, str]
    version: int


async def certify(client: httpx.AsyncClient, mint: Minter, who: str) -> Holder:
    """``who`` approved and certified by a pass on ``ISSUED_ON``."""
    application = await approved(client, mint, who, email=f"{who}@example.org")
    answer = await deliver(client, mint, "exam.passed", passed(application, taken_on=ISSUED_ON))
    assert answer.json()["outcome"] == "handled", answer.text
    token = mint("applicant", who)
    read = await client.get(
        f"/v1/applications/{application['id']}/certification", headers=bearer(token)
    )
    assert read.status_code == 200, read.text
    return Holder(token, read.json()["id"], read.json()["number"])


async def make_ce_provider(client: httpx.AsyncClient, mint: Minter, name: str) -> CeProvider:
    """An approved provider with two approved CE courses, and its token."""
    staff = bearer(mint("staff", "sam"))
    created = await client.post("/v1/providers", json={"name": name}, headers=staff)
    assert created.status_code == 201, created.text
    provider = created.json()
    courses = {}
    for course in (
        {"name": "Ethics 6", "hours": "6", "category": "law_and_ethics"},
        {"name": "Wellness 1.5", "hours": "1.5", "category": "general"},
    ):
        answer = await client.post(
            f"/v1/providers/{provider['id']}/ce-courses", json=course, headers=staff
        )
        assert answer.status_code == 201, answer.text
        courses[course["name"]] = answer.json()["id"]
    token = mint("provider", f"client-{name}", provider_id=provider["id"])
    return CeProvider(provider["id"], token, courses, provider["version"])


@pytest.fixture
async def holder(client: httpx.AsyncClient, mint: Minter, clock: TestClock) -> Holder:
    made = await certify(client, mint, "alice")
    clock.set(TODAY)
    return made


@pytest.fixture
async def ce_provider(client: httpx.AsyncClient, mint: Minter) -> CeProvider:
    return await make_ce_provider(client, mint, "Ethics Institute")


def completion(provider: CeProvider, holder: Holder, **overrides: Any) -> dict[str, Any]:
    """A row that is accepted: the ethics course, completed on 1 April 2026."""
    values: dict[str, Any] = {
        "completion_id": "CE-1",
        "course_id": provider.courses["Ethics 6"],
        # As a person might type it off the certificate: lower case, no hyphens.
        "certificate_number": holder.number.replace("-", "").lower(),
        "completed_on": "2026-04-01",
    }
    values.update(overrides)
    return values


async def report(
    client: httpx.AsyncClient,
    provider: CeProvider,
    rows: list[dict[str, Any]],
    key: str | None = None,
) -> httpx.Response:
    headers = bearer(provider.token)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(
        f"/v1/providers/{provider.id}/ce-completions", json={"completions": rows}, headers=headers
    )


def self_report_form(**overrides: Any) -> dict[str, str]:
    form = {
        "course_title": "Trauma-informed peer support",
        "provider_name": "State Peer Network",
        "hours": "2.25",
        "category": "general",
        "completed_on": "2026-04-15",
    }
    form.update(overrides)
    return form


async def self_report(
    client: httpx.AsyncClient,
    token: str,
    certification_id: str,
    document: bytes = PDF,
    **overrides: Any,
) -> httpx.Response:
    return await client.post(
        f"/v1/certifications/{certification_id}/ce-records",
        data=self_report_form(**overrides),
        files={"document": ("certificate.pdf", document, "application/pdf")},
        headers=bearer(token),
    )


async def records(client: httpx.AsyncClient, token: str, certification_id: str) -> httpx.Response:
    return await client.get(
        f"/v1/certifications/{certification_id}/ce-records", headers=bearer(token)
    )


async def stored(app: FastAPI) -> int:
    """How many CE records the ledger holds."""
    async with app.state.sessions() as session:
        return (await session.exec(select(func.count()).select_from(CeRecord))).one()


async def recorded_events(app: FastAPI) -> list[dict[str, Any]]:
    """The payloads of ``ce.completion_recorded`` events in the outbox."""
    async with app.state.sessions() as session:
        query = select(OutboxEvent).where(OutboxEvent.type == "ce.completion_recorded")
        return [e.payload for e in (await session.exec(query)).all()]
