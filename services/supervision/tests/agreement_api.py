"""Calls on the supervision API as its users, for the supervisor and agreement tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from certboard_core.testing.plugin import DatabaseFactory, Minter, bearer
from supervision.config import Settings


def montana(database_factory: DatabaseFactory, dev_data_dir: Path) -> Settings:
    """Montana: the license list and the 3-years-or-20-CE-hours rule are on."""
    return Settings(
        environment="test",
        data_dir=dev_data_dir,
        database_url=database_factory("supervision"),
        log_json=False,
        policy_preset="MT",
    )


def registration(**overrides: Any) -> dict[str, Any]:
    """A licensed social worker in Montana since 2015, license valid through 2030."""
    body: dict[str, Any] = {
        "name": "Sam Rivera",
        "contact_email": "sam.rivera@example.org",
        "license_type": "licensed_social_worker",
        "license_number": "LSW-1234",
        "license_state": "MT",
        "license_expires_on": "2030-12-31",
        "first_licensed_on": "2015-06-01",
        "supervision_ce_hours": "0",
    }
    body.update(overrides)
    return body


@dataclass
class Api:
    client: httpx.AsyncClient
    mint: Minter

    def token(self, role: str, subject: str) -> dict[str, str]:
        return bearer(self.mint(role, subject))

    async def call(
        self, method: str, path: str, role: str, subject: str, json: Any = None
    ) -> httpx.Response:
        return await self.client.request(method, path, json=json, headers=self.token(role, subject))

    async def register(self, subject: str, **overrides: Any) -> httpx.Response:
        return await self.call(
            "POST", "/v1/supervisors", "supervisor", subject, registration(**overrides)
        )

    async def verify(
        self, subject: str, decision: str = "verified", **extra: Any
    ) -> httpx.Response:
        current = (await self.call("GET", f"/v1/supervisors/{subject}", "staff", "sam")).json()
        body = {"expected_version": current["version"], "decision": decision, **extra}
        return await self.call(
            "POST", f"/v1/supervisors/{subject}/verification", "staff", "sam", body
        )

    async def qualified(self, subject: str, **overrides: Any) -> dict[str, Any]:
        """A registered, verified supervisor."""
        registered = await self.register(subject, **overrides)
        assert registered.status_code == 201, registered.text
        verified = await self.verify(subject)
        assert verified.status_code == 200, verified.text
        body: dict[str, Any] = verified.json()
        return body

    async def draft(self, peer: str, supervisor: str, **terms: Any) -> httpx.Response:
        body: dict[str, Any] = {
            "supervisor_id": supervisor,
            "employer": "Bozeman Recovery Center",
            "starts_on": "2026-03-01",
            "relationship_attested": True,
            "not_family_attested": True,
        }
        body.update(terms)
        return await self.call("POST", "/v1/agreements", "applicant", peer, body)

    async def read(
        self, agreement: dict[str, Any], role: str = "staff", subject: str = "sam"
    ) -> httpx.Response:
        return await self.call("GET", f"/v1/agreements/{agreement['id']}", role, subject)

    async def sign(self, agreement: dict[str, Any], role: str, subject: str) -> httpx.Response:
        current = (await self.read(agreement)).json()
        body = {"expected_version": current["version"]}
        return await self.call(
            "POST", f"/v1/agreements/{agreement['id']}/signatures", role, subject, body
        )

    async def signed(self, peer: str, supervisor: str, **terms: Any) -> dict[str, Any]:
        """An agreement drafted by ``peer`` and signed by both."""
        drafted = await self.draft(peer, supervisor, **terms)
        assert drafted.status_code == 201, drafted.text
        assert (await self.sign(drafted.json(), "applicant", peer)).status_code == 200
        done = await self.sign(drafted.json(), "supervisor", supervisor)
        assert done.status_code == 200, done.text
        body: dict[str, Any] = done.json()
        return body

    async def active(self, peer: str, on: str | None = None) -> dict[str, Any]:
        params = {"applicant_id": peer} | ({"on": on} if on else {})
        response = await self.client.get(
            "/internal/agreements/active",
            params=params,
            headers=self.token("service", "applications"),
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body
