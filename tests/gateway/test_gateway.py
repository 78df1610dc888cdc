"""The gateway on its own: production switches, limits, and a backend that is down."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import bearer
from certboard_core.testing.transport import RoutingTransport
from gateway.config import Settings
from gateway.main import create_app

INTROSPECT = "{ __schema { mutationType { fields { name } } } }"


async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # No backend is reachable: every route fails like a dead peer.
    app = create_app(settings, transports={n: RoutingTransport({}) for n in settings.backends})
    async with (
        LifespanManager(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        ) as client,
    ):
        yield client


@pytest.fixture
async def dev_gateway(dev_data_dir: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(
        Settings(environment="test", data_dir=dev_data_dir, log_json=False)
    ):
        yield client


@pytest.fixture
async def production_gateway(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        environment="production",
        data_dir=tmp_path,
        jwt_issuer="https://idp.board.example",
        jwt_jwks_url="http://127.0.0.1:9/jwks",
        log_json=False,
    )
    async for client in _client(settings):
        yield client


async def test_production_has_no_test_clock_ide_or_introspection(production_gateway) -> None:
    clock = await production_gateway.put("/test-clock", json={"reset": True})
    assert clock.status_code == 404
    ide = await production_gateway.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 404
    introspection = (await production_gateway.post("/graphql", json={"query": INTROSPECT})).json()
    assert introspection["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    move = (
        await production_gateway.post(
            "/graphql", json={"query": "mutation { moveTestClock(input: {reset: true}) { now } }"}
        )
    ).json()
    assert "Cannot query field 'moveTestClock'" in move["errors"][0]["message"]
    sweep = (
        await production_gateway.post(
            "/graphql", json={"query": "mutation { runSweep { voided } }"}
        )
    ).json()
    assert "Cannot query field 'runSweep'" in sweep["errors"][0]["message"]


async def test_development_offers_the_test_clock(dev_gateway) -> None:
    fields = (await dev_gateway.post("/graphql", json={"query": INTROSPECT})).json()
    names = {f["name"] for f in fields["data"]["__schema"]["mutationType"]["fields"]}
    assert {"moveTestClock", "runSweep"} <= names
    ide = await dev_gateway.get("/graphql", headers={"Accept": "text/html"})
    assert ide.status_code == 200
    assert "graphiql" in ide.text.lower()


async def test_test_clock_needs_staff_and_one_action(dev_gateway, mint) -> None:
    anonymous = await dev_gateway.put("/test-clock", json={"reset": True})
    assert anonymous.status_code == 401
    applicant = await dev_gateway.put(
        "/test-clock", json={"reset": True}, headers=bearer(mint("applicant", "a"))
    )
    assert applicant.status_code == 403
    both = await dev_gateway.put(
        "/test-clock",
        json={"reset": True, "advance_seconds": 60},
        headers=bearer(mint("staff", "s")),
    )
    assert both.status_code == 422
    assert "exactly one" in both.json()["error"]["message"]


async def test_a_backend_that_is_down_is_named(dev_gateway, mint) -> None:
    body = (
        await dev_gateway.post(
            "/graphql",
            json={"query": "{ me { applications { id } } }"},
            headers=bearer(mint("applicant", "alice")),
        )
    ).json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["message"] == "the applications service is not reachable"
    moved = await dev_gateway.put(
        "/test-clock", json={"reset": True}, headers=bearer(mint("staff", "s"))
    )
    assert moved.status_code == 503
    assert moved.json()["error"]["code"] == "UPSTREAM_UNAVAILABLE"
    ready = (await dev_gateway.get("/readyz")).json()
    assert ready == {
        "status": "ready",
        "applications": "upstream_unavailable",
        "exams": "upstream_unavailable",
        "supervision": "upstream_unavailable",
    }


async def test_query_limits_refuse_abusive_queries(dev_gateway, mint) -> None:
    aliases = " ".join(f"a{i}: me {{ subject }}" for i in range(40))
    body = (await dev_gateway.post("/graphql", json={"query": f"{{ {aliases} }}"})).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_ROOT_FIELDS"


async def test_get_queries_are_refused(dev_gateway) -> None:
    response = await dev_gateway.get("/graphql", params={"query": "{ me { subject } }"})
    assert response.status_code in (400, 405)
    assert response.json()["errors"][0]["extensions"]["code"] in (
        "BAD_REQUEST",
        "METHOD_NOT_ALLOWED",
    )
