"""Telemetry across processes: one trace from the gateway into a service, and the gateway's
GraphQL figures."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

import applications.config
import applications.main
import gateway.config
import gateway.main
import web.config
import web.main
from certboard_core.clock import TestClock
from certboard_core.testing.metrics import sample
from certboard_core.testing.plugin import DatabaseFactory, Minter, bearer
from certboard_core.testing.transport import RoutingTransport
from certboard_core.tracing import provider_with
from tests.e2e.conftest import running_system
from tests.e2e.helpers import application_input, data_of, set_clock, uploads
from tests.e2e.test_work_queues import COUNTS, SUBMIT

MINE = "query Mine { me { applications { id } } }"


@dataclass
class Traced:
    client: httpx.AsyncClient
    spans: InMemorySpanExporter
    # The traceparent header of each call the gateway made.
    sent: list[str | None]


class ElsewhereTransport(httpx.AsyncBaseTransport):
    """Serves each call in an empty context, as another process would: the trace can reach the
    service only through the request's headers."""

    def __init__(self, app: FastAPI, sent: list[str | None]) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.sent = sent

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.headers.get("traceparent"))
        call = self.inner.handle_async_request(request)
        return await asyncio.create_task(call, context=contextvars.Context())


@pytest.fixture
async def traced(database_factory: DatabaseFactory, dev_data_dir: Path) -> AsyncIterator[Traced]:
    """The applications service and the gateway, each tracing into one in-memory exporter;
    the other backends are unreachable."""
    spans = InMemorySpanExporter()
    service = applications.main.create_app(
        applications.config.Settings(
            environment="test",
            data_dir=dev_data_dir,
            database_url=database_factory("applications"),
            log_json=False,
        ),
        clock=TestClock(),
        run_background=False,
        tracing=provider_with("applications", SimpleSpanProcessor(spans)),
    )
    settings = gateway.config.Settings(environment="test", data_dir=dev_data_dir, log_json=False)
    transports: dict[str, httpx.AsyncBaseTransport] = {
        name: RoutingTransport({}) for name in settings.backends
    }
    sent: list[str | None] = []
    transports["applications"] = ElsewhereTransport(service, sent)
    front = gateway.main.create_app(
        settings,
        transports=transports,
        tracing=provider_with("gateway", SimpleSpanProcessor(spans)),
    )
    async with (
        LifespanManager(service),
        LifespanManager(front),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=front), base_url="http://gateway"
        ) as client,
    ):
        yield Traced(client, spans, sent)


def _one(spans: list[ReadableSpan], service: str, kind: SpanKind) -> ReadableSpan:
    found = [
        s for s in spans if s.resource.attributes["service.name"] == service and s.kind == kind
    ]
    assert len(found) == 1, [(s.name, s.kind) for s in spans]
    return found[0]


async def test_one_trace_spans_the_gateway_and_the_service(traced: Traced, mint: Minter) -> None:
    answer = await traced.client.post(
        "/graphql", json={"query": MINE}, headers=bearer(mint("applicant", "alice"))
    )
    assert answer.json() == {"data": {"me": {"applications": []}}}
    spans = list(traced.spans.get_finished_spans())
    entry = _one(spans, "gateway", SpanKind.SERVER)
    call = _one(spans, "gateway", SpanKind.CLIENT)
    served = _one(spans, "applications", SpanKind.SERVER)
    # Named by route template, never by the raw path.
    assert entry.name == "POST /graphql"
    assert served.name == "GET /v1/applications/mine"
    # The service's span continues the gateway's call (traceparent crossed over httpx).
    assert entry.context is not None
    assert call.context is not None
    assert served.context is not None
    assert {entry.context.trace_id, call.context.trace_id, served.context.trace_id} == {
        entry.context.trace_id
    }
    assert call.parent is not None
    assert call.parent.span_id == entry.context.span_id
    assert served.parent is not None
    assert served.parent.span_id == call.context.span_id
    # W3C trace context: version, trace id, the calling span's id, flags (sampled).
    assert len(traced.sent) == 1
    assert (traced.sent[0] or "").startswith(
        f"00-{entry.context.trace_id:032x}-{call.context.span_id:016x}-"
    )


async def test_health_probes_and_scrapes_make_no_spans(traced: Traced) -> None:
    assert (await traced.client.get("/healthz")).status_code == 200
    assert (await traced.client.get("/metrics")).status_code == 200
    assert traced.spans.get_finished_spans() == ()


async def test_without_an_exporter_nothing_is_instrumented(tmp_path: Path) -> None:
    app = gateway.main.create_app(
        gateway.config.Settings(environment="test", data_dir=tmp_path, log_json=False)
    )
    assert app.state.tracer_provider is None
    assert not getattr(app, "_is_instrumented_by_opentelemetry", False)
    assert "OpenTelemetryMiddleware" not in {m.cls.__name__ for m in app.user_middleware}  # type: ignore[attr-defined]


async def test_graphql_operations_and_errors_are_counted(traced: Traced, mint: Minter) -> None:
    token = bearer(mint("applicant", "alice"))
    client = traced.client
    for _ in range(2):
        await client.post("/graphql", json={"query": MINE}, headers=token)
    await client.post("/graphql", json={"query": "{ me { "}, headers=token)
    await client.post("/graphql", json={"query": "query Mine2 { nothing }"}, headers=token)
    await client.post("/graphql", json={"query": MINE}, headers=bearer("not-a-token"))
    text = (await client.get("/metrics")).text
    assert sample(text, "certboard_graphql_operations_total", operation="Mine", type="query") == 2
    errors = "certboard_graphql_errors_total"
    assert sample(text, errors, operation="anonymous", code="GRAPHQL_PARSE_FAILED") == 1
    assert sample(text, errors, operation="Mine2", code="GRAPHQL_VALIDATION_FAILED") == 1
    # Refused before GraphQL ran: no operation was read.
    assert sample(text, errors, operation="other", code="UNAUTHENTICATED") == 1
    assert sample(text, errors, operation="Mine", code="INTERNAL") is None
    requests = "certboard_http_request_duration_seconds_count"
    assert sample(text, requests, method="POST", route="/graphql", status="200") == 4
    assert sample(text, requests, method="POST", route="/graphql", status="401") == 1


async def test_the_work_queue_gauge_counts_what_staff_see(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    fresh = {"applications": {"metrics_refresh_seconds": 0}}
    async with running_system(database_factory, dev_data_dir, tmp_path, fresh) as system:
        await set_clock(system, staff, "2026-01-10T18:00:00+00:00")
        for name in ("Baker", "Chen"):
            await data_of(
                system,
                SUBMIT,
                {"input": application_input(lastName=name, email=f"{name}@example.org")},
                token=mint("applicant", name.lower()),
                files=uploads(),
            )
        service = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=system.services["applications"]),
            base_url="http://applications",
        )
        async with service:
            before = (await service.get("/metrics")).text
            # Long past the first-notification deadline: both are breaches now.
            await set_clock(system, staff, "2026-03-01T18:00:00+00:00")
            after = (await service.get("/metrics")).text
        counts = await data_of(system, COUNTS, token=staff)
    gauge = "certboard_work_queue_applications"
    assert sample(before, gauge, queue="first-notification") == 2
    assert sample(before, gauge, queue="breaches") == 0
    assert counts["workQueueCounts"]["breaches"] == 2
    assert sample(after, gauge, queue="breaches") == 2
    assert sample(after, gauge, queue="incomplete") == 0


async def test_the_web_console_continues_its_trace_into_the_gateway(tmp_path: Path) -> None:
    spans = InMemorySpanExporter()
    sent: list[str | None] = []
    common: dict[str, Any] = {"environment": "test", "data_dir": tmp_path, "log_json": False}
    settings = gateway.config.Settings(**common)
    front = gateway.main.create_app(
        settings,
        transports={name: RoutingTransport({}) for name in settings.backends},
        tracing=provider_with("gateway", SimpleSpanProcessor(spans)),
    )
    console = web.main.create_app(
        web.config.Settings(**common),
        gateway_transport=ElsewhereTransport(front, sent),
        tracing=provider_with("web", SimpleSpanProcessor(spans)),
    )
    async with (
        LifespanManager(front),
        LifespanManager(console),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=console), base_url="http://web"
        ) as client,
    ):
        page = await client.get("/verify", params={"number": "AAAA-AAAA-AAAB"})
    assert page.status_code in (200, 503)
    finished = list(spans.get_finished_spans())
    page_span = _one(finished, "web", SpanKind.SERVER)
    call = _one(finished, "web", SpanKind.CLIENT)
    entry = _one(finished, "gateway", SpanKind.SERVER)
    assert page_span.name == "GET /verify"
    assert entry.name == "POST /graphql"
    assert entry.parent is not None
    assert call.context is not None
    assert entry.parent.span_id == call.context.span_id
    assert {s.context.trace_id for s in (page_span, call, entry) if s.context} == {
        call.context.trace_id
    }
