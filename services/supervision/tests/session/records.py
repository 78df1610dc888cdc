"""Fixtures and helpers the session, hours and compliance tests share (Montana's policy)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import SQLModel

from certboard_core.testing.plugin import DatabaseFactory, bearer
from supervision.config import Settings

from ..factories import supervisor

# The plugin's clock stands at 2026-03-10 17:00 UTC: 11:00 that Tuesday in Denver (MDT).
TODAY = date(2026, 3, 10)
YESTERDAY = date(2026, 3, 9)


@pytest.fixture(name="settings")
def mt_settings(database_factory: DatabaseFactory, dev_data_dir: Path) -> Settings:
    """The service under Montana's preset: 1:20, a 40-hour cap, 15-minute increments."""
    return Settings(
        environment="test",
        data_dir=dev_data_dir,
        database_url=database_factory("supervision"),
        log_json=False,
        policy_preset="MT",
    )


async def insert(app: FastAPI, *rows: SQLModel) -> None:
    """Write rows straight to the service's database (agreements have no API here yet)."""
    async with app.state.sessions() as session:
        session.add_all(rows)
        await session.commit()


@pytest.fixture
async def supervisors(app: FastAPI) -> None:
    """dr-sam and dr-kim, qualified: an agreement is active only with a qualified supervisor."""
    await insert(app, supervisor(), supervisor(id="dr-kim", name="Kim Lee"))


class Callers:
    """Tokens of two peers, two supervisors and staff: alice/dr-sam own the default agreement."""

    def __init__(self, mint: Any) -> None:
        self.alice = bearer(mint("applicant", "alice"))
        self.bob = bearer(mint("applicant", "bob"))
        self.sam = bearer(mint("supervisor", "dr-sam"))
        self.kim = bearer(mint("supervisor", "dr-kim"))
        self.staff = bearer(mint("staff", "sue"))


@pytest.fixture
def who(mint: Any) -> Callers:
    return Callers(mint)


def session_body(agreement_id: Any, **overrides: Any) -> dict[str, Any]:
    """A valid hour of individual supervision yesterday, 10:00 to 11:00 local."""
    body: dict[str, Any] = {
        "agreement_id": str(agreement_id),
        "peer_name": "Alice Moreno",
        "peer_certification_number": "MT-PSS-0042",
        "held_on": YESTERDAY.isoformat(),
        "start_time": "10:00",
        "stop_time": "11:00",
        "format": "individual",
        "topics": ["planning", "referrals"],
    }
    body.update(overrides)
    return body


def sign_body(version: int = 1) -> dict[str, Any]:
    return {
        "expected_version": version,
        "supervisor_name": "Dr. Sam Ortiz",
        "supervisor_license_number": "LCSW-1234",
    }


async def log(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> Any:
    """Log a session as the peer and return its body (asserting it was stored)."""
    response = await client.post("/v1/supervision/sessions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def sign(client: httpx.AsyncClient, headers: dict[str, str], logged: Any) -> Any:
    response = await client.post(
        f"/v1/supervision/sessions/{logged['id']}/sign-off",
        json=sign_body(logged["version"]),
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


def error(response: httpx.Response) -> tuple[int, str, str | None]:
    """A refusal's status, code and field."""
    detail = response.json()["error"]
    return response.status_code, detail["code"], detail.get("field")
