"""The gateway: ``uvicorn --factory gateway.main:create_app``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI

from certboard_core.app import make_verifier
from certboard_core.docs import install_docs
from certboard_core.errors import declare_body_errors, install_error_handlers
from certboard_core.limits import BodyLimitMiddleware
from certboard_core.logging import RequestIdMiddleware, configure_logging
from certboard_core.metrics import install_metrics
from certboard_core.ratelimit import ANONYMOUS_PER_CLIENT, install_rate_limits
from certboard_core.tracing import shutdown, trace_app, trace_client, tracer_provider
from gateway.clients.backends import Backends
from gateway.config import Settings, get_settings
from gateway.documents import documents_router
from gateway.graphql import CertboardGraphQLRouter, GraphQLErrorShapeMiddleware
from gateway.ide import mount_ide_assets
from gateway.metrics import GraphQLMetrics
from gateway.routes import health_router, test_clock_router
from gateway.schema.build import build_schema

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


def create_app(
    settings: Settings | None = None,
    *,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
    tracing: TracerProvider | None = None,
) -> FastAPI:
    """Build the gateway; ``transports`` lets tests wire backends to in-process ASGI apps, and
    ``tracing`` replaces the tracer provider the settings would make."""
    settings = settings or get_settings()
    provider = tracing or tracer_provider(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(
            service="gateway",
            level=settings.log_level,
            json=settings.log_json,
            traced=provider is not None,
        )
        app.state.backends = Backends(
            settings.backends,
            timeout=settings.http_timeout_seconds,
            connections=settings.backend_connections,
            transports=transports,
        )
        for client in app.state.backends.clients:
            trace_client(client, provider)
        try:
            yield
        finally:
            await app.state.backends.aclose()
            await shutdown(provider)

    app = FastAPI(
        title="certboard gateway",
        description="One GraphQL schema over applications, exams and supervision.",
        version="0.1.0",
        lifespan=lifespan,
        # Served from the gateway's own files below, never a CDN's; none in production.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.verifier = make_verifier(settings)
    # Added innermost first: the request id wraps everything, and refusals by the body limit
    # still reach GraphQL clients as GraphQL errors.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(GraphQLErrorShapeMiddleware, path="/graphql")
    app.add_middleware(RequestIdMiddleware)
    metrics = install_metrics(app, settings)
    graphql_metrics = GraphQLMetrics(metrics) if metrics is not None else None
    app.state.graphql_metrics = graphql_metrics
    trace_app(app, provider)
    install_error_handlers(app)
    install_rate_limits(app, settings)
    app.include_router(health_router())
    app.include_router(documents_router())
    if settings.clock_controllable:
        app.include_router(test_clock_router())
    if not settings.is_production:
        install_docs(app)
    if settings.graphiql_enabled:
        mount_ide_assets(app)
    app.include_router(
        CertboardGraphQLRouter(build_schema(settings, graphql_metrics), settings),
        prefix="/graphql",
        dependencies=[ANONYMOUS_PER_CLIENT],
    )
    declare_body_errors(app)
    return app
