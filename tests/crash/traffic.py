"""The writes the crash and load tests make, as a client of the applications service would."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def submit(client: httpx.AsyncClient, token: str, email: str) -> httpx.Response:
    """Submit a complete application with its two documents."""
    form = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "date_of_birth": "1990-05-17",
        "email": email,
        "code_of_ethics_agreed": "true",
        "lived_experience": "consumer",
        "willing_to_share_experience": "true",
    }
    files = {
        "government_id": ("id.jpg", JPEG, "image/jpeg"),
        "diploma": ("diploma.pdf", PDF, "application/pdf"),
    }
    return await client.post("/v1/applications", data=form, files=files, headers=bearer(token))


async def request_revision(
    client: httpx.AsyncClient, staff: str, application: dict[str, Any]
) -> httpx.Response:
    """Staff ask for a new diploma, at the version last read."""
    return await client.post(
        f"/v1/applications/{application['id']}/revision-requests",
        json={"expected_version": application["version"], "items": ["diploma"]},
        headers=bearer(staff),
    )


async def record_payment(
    client: httpx.AsyncClient, staff: str, application_id: str, reference: str
) -> httpx.Response:
    """Staff record the application fee under ``reference``."""
    return await client.post(
        f"/v1/applications/{application_id}/payments",
        json={
            "kind": "application",
            "amount_cents": 5000,
            "reference": reference,
            "paid_at": datetime.now(UTC).isoformat(),
        },
        headers=bearer(staff),
    )


async def create_provider(client: httpx.AsyncClient, staff: str, name: str) -> tuple[str, str]:
    """A provider and one approved program: (provider id, program id)."""
    provider = await client.post("/v1/providers", json={"name": name}, headers=bearer(staff))
    assert provider.status_code == 201, provider.text
    provider_id = provider.json()["id"]
    program = await client.post(
        f"/v1/providers/{provider_id}/programs",
        json={"name": "Peer Support", "hours": 80},
        headers=bearer(staff),
    )
    assert program.status_code == 201, program.text
    return provider_id, program.json()["id"]


async def upload(
    client: httpx.AsyncClient,
    token: str,
    provider_id: str,
    program_id: str,
    certificate_ids: list[str],
) -> httpx.Response:
    """A provider sends a batch of certificates completed a month ago."""
    completed = (date.today() - timedelta(days=30)).isoformat()
    rows = [
        {
            "certificate_id": certificate_id,
            "legal_name": "Pat Doe",
            "date_of_birth": "1991-02-03",
            "email": f"{certificate_id.lower()}@example.org",
            "program_id": program_id,
            "completion_date": completed,
            "hours": 80,
        }
        for certificate_id in certificate_ids
    ]
    return await client.post(
        f"/v1/providers/{provider_id}/certificates",
        json={"certificates": rows},
        headers=bearer(token),
    )


def as_uuid(value: object) -> uuid.UUID:
    """An id as read from either backend (SQLite keeps hex text, PostgreSQL a uuid)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
