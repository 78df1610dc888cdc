"""The one way a certboard service is assembled, so that every service has the same skeleton."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from fastapi import APIRouter, FastAPI

from certboard_core.auth import TokenVerifier
from certboard_core.clock import Clock, SystemClock, TestClock
from certboard_core.db import create_engine, session_factory
from certboard_core.dispatcher import OutboxDispatcher
from certboard_core.docs import install_docs
from certboard_core.errors import declare_body_errors, install_error_handlers
from certboard_core.identity import ServiceTokens
from certboard_core.internal import events_router, health_router, test_clock_router
from certboard_core.limits import BodyLimitMiddleware
from certboard_core.logging import RequestIdMiddleware, configure_logging
from certboard_core.metrics import install_metrics
from certboard_core.outbox import EventHandler, LocalSubscriber, Outbox
from certboard_core.ratelimit import install_rate_limits
from certboard_core.service_metrics import SweepMetrics, watch_outbox
from certboard_core.settings import ProcessSettings, ServiceSettings
from certboard_core.tracing import shutdown, trace_app, trace_client, tracer_provider

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


@dataclass
class ServiceSpec:
    """What makes one service different from the others."""

    title: str
    description: str
    settings: ServiceSettings
    routers: Sequence[APIRouter]
    event_handlers: dict[str, EventHandler] = field(default_factory=dict)
    local_subscribers: dict[str, LocalSubscriber] = field(default_factory=dict)
    # Loops run for the app's life (a periodic sweep, say), started after its state is ready.
    background: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = ()
    version: str = "0.1.0"


def make_clock(settings: ProcessSettings) -> Clock:
    return TestClock() if settings.clock_controllable else SystemClock()


def make_verifier(settings: ProcessSettings) -> TokenVerifier:
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        algorithm=settings.jwt_algorithm,
        jwks_url=settings.jwt_jwks_url,
        public_key_file=None if settings.jwt_jwks_url else settings.jwt_public_key_file,
        leeway_seconds=settings.jwt_leeway_seconds,
    )


def create_service_app(
    spec: ServiceSpec,
    *,
    clock: Clock | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
    run_background: bool = True,
    tracing: TracerProvider | None = None,
) -> FastAPI:
    """Build a service: routes, errors, logging, metrics, traces, auth, database, outbox and
    lifespan.

    ``http_transport`` lets tests wire outgoing calls to other services' ASGI apps,
    ``run_background=False`` leaves delivery and sweeps to the test to drive, and ``tracing``
    replaces the tracer provider the settings would make.
    """
    settings = spec.settings
    provider = tracing or tracer_provider(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(
            service=settings.service_name,
            level=settings.log_level,
            json=settings.log_json,
            traced=provider is not None,
        )
        engine = create_engine(settings.database_url)
        client = httpx.AsyncClient(transport=http_transport, timeout=settings.http_timeout_seconds)
        trace_client(client, provider)
        tokens = ServiceTokens(settings)
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        app.state.http = client
        app.state.service_tokens = tokens
        dispatcher = OutboxDispatcher(
            sessions=app.state.sessions,
            client=client,
            subscribers=settings.outbox_subscribers,
            source=settings.service_name,
            token=tokens.token,
            local=spec.local_subscribers,
            delivery_timeout=timedelta(seconds=settings.outbox_delivery_timeout_seconds),
            lease_margin=timedelta(seconds=settings.outbox_lease_margin_seconds),
            concurrency=settings.outbox_concurrency,
        )
        app.state.dispatcher = dispatcher
        tasks: list[asyncio.Task[None]] = []
        if run_background:
            if settings.outbox_subscribers or spec.local_subscribers:
                tasks.append(
                    asyncio.create_task(dispatcher.run(poll_seconds=settings.outbox_poll_seconds))
                )
            tasks += [asyncio.create_task(loop(app)) for loop in spec.background]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await client.aclose()
            await engine.dispose()
            await shutdown(provider)

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        # Served from the process's own files (``docs.install_docs``), never a CDN's.
        docs_url=None,
        redoc_url=None,
    )
    install_docs(app)
    # Available before the lifespan runs, so tests and dependencies can always reach them.
    app.state.settings = settings
    app.state.clock = clock or make_clock(settings)
    app.state.verifier = make_verifier(settings)
    app.state.outbox = Outbox(
        source=settings.service_name,
        subscribers=settings.outbox_subscribers,
        local=spec.local_subscribers,
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(RequestIdMiddleware)
    metrics = install_metrics(app, settings)
    app.state.sweep_metrics = None
    if metrics is not None:
        watch_outbox(metrics, app)
        app.state.sweep_metrics = SweepMetrics(metrics)
    trace_app(app, provider)
    install_error_handlers(app)
    install_rate_limits(app, settings)
    app.include_router(health_router())
    app.include_router(events_router(spec.event_handlers))
    if settings.clock_controllable:
        app.include_router(test_clock_router())
    for router in spec.routers:
        app.include_router(router)
    declare_body_errors(app)
    return app
