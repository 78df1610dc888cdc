"""Prometheus metrics of a service: requests by route template, the outbox backlog, sweeps,
and who may read /metrics."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI
from pydantic import ValidationError

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.audit import current_request_id
from certboard_core.logging import job_context
from certboard_core.outbox import EventEnvelope, LocalSubscriber
from certboard_core.service_metrics import record_sweep
from certboard_core.settings import Environment, ServiceSettings
from certboard_core.testing.metrics import sample

# What production accepts of a service (tests/processes/test_production_settings.py).
PRODUCTION = {
    "environment": Environment.PRODUCTION,
    "jwt_issuer": "https://idp.board.example",
    "jwt_jwks_url": "https://idp.board.example/jwks",
    "database_url": "postgresql+asyncpg://db.board.example/things",
    "service_token_file": Path("/run/secrets/token"),
}


def _router() -> APIRouter:
    router = APIRouter()

    @router.get("/v1/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        """One thing."""
        return {"id": thing_id}

    @router.get("/v1/broken")
    async def broken() -> None:
        """Always fails."""
        raise RuntimeError("a bug")

    return router


async def _ignore(_envelope: EventEnvelope) -> None:
    return None


def _service(database: str, data_dir: Path, **settings: object) -> FastAPI:
    spec = ServiceSpec(
        title="s",
        description="",
        settings=ServiceSettings(
            service_name="things",
            data_dir=data_dir,
            database_url=database,
            metrics_refresh_seconds=0,
            **({"environment": Environment.TEST} | settings),  # type: ignore[arg-type]
        ),
        routers=[_router()],
        local_subscribers={"mailer": LocalSubscriber(frozenset({"thing.made"}), _ignore)},
    )
    return create_service_app(spec, run_background=False)


@pytest.fixture
async def service(database: str, dev_data_dir: Path) -> AsyncIterator[FastAPI]:
    app = _service(database, dev_data_dir)
    async with LifespanManager(app):
        yield app


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://things")


async def test_requests_are_counted_by_route_template_and_status(service: FastAPI) -> None:
    async with _client(service) as client:
        for thing in ("a", "b", "c"):
            assert (await client.get(f"/v1/things/{thing}")).json() == {"id": thing}
        assert (await client.get("/v1/nowhere/1")).status_code == 404
        assert (await client.get("/v1/broken")).status_code == 500
        text = (await client.get("/metrics")).text
    count = "certboard_http_request_duration_seconds_count"
    assert sample(text, count, method="GET", route="/v1/things/{thing_id}", status="200") == 3
    assert sample(text, count, method="GET", route="unmatched", status="404") == 1
    assert sample(text, count, method="GET", route="/v1/broken", status="500") == 1
    # Raw paths never become label values.
    assert "/v1/things/a" not in text
    assert "/v1/nowhere" not in text
    bucket = "certboard_http_request_duration_seconds_bucket"
    labels = {"method": "GET", "route": "/v1/things/{thing_id}", "status": "200"}
    assert sample(text, bucket, **labels, le="+Inf") == 3
    assert sample(text, "process_cpu_seconds_total") is not None


async def test_the_outbox_backlog_and_its_oldest_age_are_read_on_scrape(service: FastAPI) -> None:
    outbox = service.state.outbox
    async with service.state.sessions() as session, session.begin():
        await outbox.publish(
            session,
            type="thing.made",
            aggregate_type="thing",
            aggregate_id="a",
            payload={},
            at=service.state.clock.now(),
        )
    async with _client(service) as client:
        text = (await client.get("/metrics")).text
        assert sample(text, "certboard_outbox_pending_deliveries", subscriber="mailer") == 1
        age = sample(text, "certboard_outbox_oldest_pending_age_seconds", subscriber="mailer")
        assert age is not None
        assert 0 <= age < 60
        assert await service.state.dispatcher.dispatch_once() == 1
        text = (await client.get("/metrics")).text
    assert sample(text, "certboard_outbox_pending_deliveries", subscriber="mailer") == 0
    assert sample(text, "certboard_outbox_oldest_pending_age_seconds", subscriber="mailer") == 0


async def test_sweep_passes_are_counted_by_step_and_outcome(service: FastAPI) -> None:
    record_sweep(service, {"voided": 2, "expired": 0})
    record_sweep(service, {"voided": 1, "expired": 4})
    record_sweep(service, None)
    async with _client(service) as client:
        text = (await client.get("/metrics")).text
    assert sample(text, "certboard_sweep_items_total", step="voided") == 3
    assert sample(text, "certboard_sweep_items_total", step="expired") == 4
    assert sample(text, "certboard_sweep_runs_total", outcome="ok") == 2
    assert sample(text, "certboard_sweep_runs_total", outcome="failed") == 1
    assert (sample(text, "certboard_sweep_last_success_timestamp_seconds") or 0) > 0


async def test_a_token_guards_metrics_and_production_needs_one(
    database: str, dev_data_dir: Path
) -> None:
    guarded = _service(database, dev_data_dir, metrics_token="s3cret-scraper-token")
    async with LifespanManager(guarded), _client(guarded) as client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401
        good = await client.get(
            "/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"}
        )
        assert good.status_code == 200
        assert "certboard_http_request_duration_seconds" in good.text
    # Production without a token serves none (no route at all), and refuses to be told to.
    assert ServiceSettings(**PRODUCTION).metrics_enabled is False  # type: ignore[arg-type]
    unguarded = _service(database, dev_data_dir, metrics_enabled=False)
    async with LifespanManager(unguarded), _client(unguarded) as client:
        assert (await client.get("/metrics")).status_code == 404
    assert unguarded.state.metrics is None
    with pytest.raises(ValidationError, match="CERTBOARD_METRICS_TOKEN"):
        ServiceSettings(**PRODUCTION, metrics_enabled=True)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at least 16 characters"):
        ServiceSettings(metrics_token="guessable")  # type: ignore[arg-type]


async def test_every_line_of_a_failed_request_names_it(
    database: str, dev_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = _service(database, dev_data_dir, log_json=True)
    async with LifespanManager(app), _client(app) as client:
        capsys.readouterr()
        answer = await client.get("/v1/broken", headers={"X-Request-ID": "req-42"})
    assert answer.status_code == 500
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    # The root handler writes to this test's captured stderr, closed once the test ends.
    logging.getLogger().handlers.clear()
    failure = [line for line in lines if line["event"] == "unhandled error"]
    assert failure
    assert all(line["request_id"] == "req-42" for line in failure)


def test_work_no_request_started_gets_an_id_of_its_own() -> None:
    with job_context("sweep"):
        first = current_request_id()
    with job_context("sweep"):
        second = current_request_id()
    assert first is not None
    assert first.startswith("sweep-")
    assert first != second
    assert current_request_id() is None
