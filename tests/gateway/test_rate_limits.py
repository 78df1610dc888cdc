"""The gateway's rate limits: anonymous GraphQL per client, refused tokens per client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from certboard_core.ratelimit import LimitClass
from certboard_core.testing.plugin import Minter, bearer
from certboard_core.testing.ratelimit import limit_with_manual_clock
from certboard_core.testing.transport import RoutingTransport
from gateway.config import Settings
from gateway.main import create_app

LIMITS = {
    LimitClass.PUBLIC: "3/minute",
    LimitClass.UNAUTHENTICATED: "2/minute",
    LimitClass.UPLOADS: "5/minute",
}
QUERY = {"query": "{ __typename }"}


@pytest.fixture
async def gateway(dev_data_dir: Path) -> AsyncIterator[FastAPI]:
    settings = Settings(environment="test", data_dir=dev_data_dir, log_json=False)
    app = create_app(settings, transports={n: RoutingTransport({}) for n in settings.backends})
    async with LifespanManager(app):
        yield app


def _client(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


async def test_anonymous_graphql_is_limited_per_client_and_signed_in_callers_are_not(
    gateway: FastAPI, mint: Minter
) -> None:
    clock = limit_with_manual_clock(gateway, LIMITS)
    staff = bearer(mint("staff", "sam"))
    async with _client(gateway, "10.0.0.1") as a, _client(gateway, "10.0.0.2") as b:
        for _ in range(3):
            assert (await a.post("/graphql", json=QUERY)).json() == {
                "data": {"__typename": "Query"}
            }
        refused = await a.post("/graphql", json=QUERY)
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "60"
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert (await b.post("/graphql", json=QUERY)).status_code == 200
        assert (await a.post("/graphql", json=QUERY, headers=staff)).status_code == 200
        assert (await a.get("/healthz")).status_code == 200
        clock.advance(60)
        assert (await a.post("/graphql", json=QUERY)).status_code == 200


async def test_refused_tokens_on_graphql_turn_into_429_for_that_client(gateway: FastAPI) -> None:
    limit_with_manual_clock(gateway, LIMITS)
    forged = bearer("not-a-token")
    async with _client(gateway, "10.0.0.1") as a, _client(gateway, "10.0.0.2") as b:
        codes = []
        for _ in range(3):
            answer = await a.post("/graphql", json=QUERY, headers=forged)
            codes.append((answer.status_code, answer.json()["errors"][0]["extensions"]["code"]))
        assert codes == [(401, "UNAUTHENTICATED")] * 2 + [(429, "RATE_LIMITED")]
        assert answer.headers["Retry-After"] == "60"
        assert (await b.post("/graphql", json=QUERY, headers=forged)).status_code == 401
