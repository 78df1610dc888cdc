from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from applications.config import Settings
from applications.main import create_app
from certboard_core.testing.plugin import bearer


class Receiver:
    """Stands in for providers' webhook endpoints."""

    def __init__(self) -> None:
        self.calls: list[httpx.Request] = []
        self.status = 200

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        return httpx.Response(self.status)


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
class Provider:
    id: str
    program_id: str
    token: str
    secret: str
    version: int


@pytest.fixture
async def provider(client: httpx.AsyncClient, mint) -> Provider:
    return await make_provider(client, mint, "Recovery Training Institute")


async def make_provider(client: httpx.AsyncClient, mint, name: str, hours: int = 80) -> Provider:
    staff = bearer(mint("staff", "sam"))
    created = await client.post("/v1/providers", json={"name": name}, headers=staff)
    assert created.status_code == 201, created.text
    body = created.json()
    program = await client.post(
        f"/v1/providers/{body['id']}/programs",
        json={"name": "Peer Support 80", "hours": hours},
        headers=staff,
    )
    assert program.status_code == 201, program.text
    token = mint("provider", f"client-{name}", provider_id=body["id"])
    return Provider(
        body["id"], program.json()["id"], token, body["webhook_secret"], body["version"]
    )


def row(provider: Provider, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "certificate_id": "C-1",
        "legal_name": "Maria Lopez",
        "date_of_birth": "1990-05-17",
        "email": "Maria.Lopez@example.org",
        "program_id": provider.program_id,
        "completion_date": "2026-02-20",
        "hours": 80,
    }
    values.update(overrides)
    return values


async def upload(
    client: httpx.AsyncClient,
    provider: Provider,
    rows: list[dict[str, Any]],
    key: str | None = None,
) -> httpx.Response:
    headers = bearer(provider.token)
    if key is not None:
        headers["Idempotency-Key"] = key
    return await client.post(
        f"/v1/providers/{provider.id}/certificates", json={"certificates": rows}, headers=headers
    )
