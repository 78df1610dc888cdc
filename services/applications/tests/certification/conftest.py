"""Builders for certification tests: an approved application, exams' events, stored rows."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from applications.certificate.models import CertificateStatus, TrainingCertificate
from applications.provider.models import TrainingProgram, TrainingProvider
from certboard_core.testing.plugin import Minter, bearer

from ..factories import act, pay, submit

# T0 (2026-03-10 17:00 UTC) is 10:00 in Los Angeles: approved then, valid through 2027-03-09.
APPROVED_ON = date(2026, 3, 10)
VALID_THROUGH = date(2027, 3, 9)


async def approved(
    client: httpx.AsyncClient, mint: Minter, who: str = "alice", **form: Any
) -> dict[str, Any]:
    """``who``'s application, its fee recorded and approved by staff; its status view."""
    staff = mint("staff", "sam")
    application = await submit(client, mint("applicant", who), **form)
    assert (await pay(client, application, staff, reference=f"app-{who}")).status_code == 201
    answer = await act(client, application, "approve", staff)
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


async def deliver(
    client: httpx.AsyncClient,
    mint: Minter,
    event_type: str,
    payload: dict[str, Any],
    *,
    event_id: uuid.UUID | None = None,
) -> httpx.Response:
    """Hand the inbox one of exams' events, as the exams service's outbox would."""
    envelope = {
        "id": str(event_id or uuid.uuid4()),
        "type": event_type,
        "source": "exams",
        "aggregate_type": "attempt",
        "aggregate_id": str(payload.get("attempt_id", "a")),
        "occurred_at": "2026-03-10T17:00:00Z",
        "payload": payload,
    }
    return await client.post(
        "/internal/events", json=envelope, headers=bearer(mint("service", "exams"))
    )


def passed(application: dict[str, Any], taken_on: str = "2026-05-04", **extra: Any) -> dict:
    """An ``exam.passed`` payload for ``application``."""
    return {
        "attempt_id": extra.pop("attempt_id", str(uuid.uuid4())),
        "authorization_id": str(uuid.uuid4()),
        "application_id": application["id"],
        "applicant_id": application["applicant_id"],
        "taken_on": taken_on,
        "correct": 100,
        "total": 120,
        **extra,
    }


async def read(client: httpx.AsyncClient, application: dict[str, Any], token: str) -> dict:
    """The application's status view as ``token`` reads it."""
    answer = await client.get(f"/v1/applications/{application['id']}", headers=bearer(token))
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


async def add_certificate(
    app: FastAPI,
    application: dict[str, Any],
    *,
    status: CertificateStatus = CertificateStatus.ACCEPTED,
    completed_on: date = date(2026, 2, 20),
    valid_through: date = date(2028, 2, 19),
) -> uuid.UUID:
    """Store a training certificate linked to ``application`` straight into the table."""
    now = datetime(2026, 3, 1, tzinfo=UTC)
    async with app.state.sessions() as session, session.begin():
        provider = TrainingProvider(
            name=f"Academy {uuid.uuid4().hex[:6]}", webhook_secret="s", created_at=now
        )
        session.add(provider)
        await session.flush()
        program = TrainingProgram(provider_id=provider.id, name="Core", hours=80, created_at=now)
        session.add(program)
        await session.flush()
        certificate = TrainingCertificate(
            provider_id=provider.id,
            program_id=program.id,
            provider_certificate_id=uuid.uuid4().hex,
            legal_name="Maria Lopez",
            date_of_birth=date(1990, 5, 17),
            email="maria.lopez@example.org",
            completed_on=completed_on,
            hours=80,
            valid_through=valid_through,
            applicant_id=application["applicant_id"],
            application_id=uuid.UUID(application["id"]),
            received_at=now,
            review_due_on=now.date() + timedelta(days=14),
            status=status,
        )
        session.add(certificate)
    return certificate.id
