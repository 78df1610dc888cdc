"""A webhook URL's host is looked up before the request's transaction opens: a write
transaction (SQLite's one writer) must never wait on DNS."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from certboard_core.testing.plugin import Minter, bearer

PUBLIC_IP = "93.184.216.34"


class Lookups:
    """Stands in for DNS, noting how many database connections were in use at each lookup."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.in_use: list[int] = []

    async def __call__(self, host: str, port: Any, **_: Any) -> list[Any]:
        self.in_use.append(self.app.state.engine.pool.checkedout())
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, port))]


@pytest.fixture
async def lookups(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Lookups:
    found = Lookups(app)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", found)
    return found


async def test_a_provider_webhook_change_looks_up_before_its_transaction(
    client: httpx.AsyncClient, mint: Minter, lookups: Lookups
) -> None:
    staff = bearer(mint("staff", "sam"))
    made = await client.post("/v1/providers", json={"name": "Peer Works"}, headers=staff)
    assert made.status_code == 201, made.text
    changed = await client.patch(
        f"/v1/providers/{made.json()['id']}",
        json={"expected_version": 1, "webhook_url": "https://hooks.example/peer"},
        headers=staff,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["webhook_url"] == "https://hooks.example/peer"
    assert lookups.in_use == [0]


async def test_an_employer_webhook_change_looks_up_before_its_transaction(
    client: httpx.AsyncClient, mint: Minter, lookups: Lookups
) -> None:
    acme = bearer(mint("employer", "acme"))
    made = await client.post(
        "/v1/employer/profile",
        json={"organisation": "Acme", "alert_email": "a@x.org"},
        headers=acme,
    )
    assert made.status_code == 201, made.text
    changed = await client.patch(
        "/v1/employer/profile",
        json={"expected_version": 1, "webhook_url": "https://hooks.example/acme"},
        headers=acme,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["webhook_url"] == "https://hooks.example/acme"
    assert lookups.in_use == [0]
