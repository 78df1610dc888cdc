"""The gateway: ``uvicorn --factory gateway.main:create_app``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI

from certboard_core.app import make_verifier
from certboard_core.docs import install_docs
from certboard_core.errors import declare_body_errors, install_error_handlers
from certboard_core.limits import BodyLimitMiddleware
from certboard_core.logging import RequestIdMiddleware, configure_logging
from certboard_core.ratelimit import ANONYMOUS_PER_CLIENT, install_rate_limits
from gateway.clients.backends import Backends
from gateway.config import Settings, get_settings
from gateway.documents import documents_router
from gateway.graphql import CertboardGraphQLRouter, GraphQLErrorShapeMiddleware
from gateway.ide import mount_ide_assets
from gateway.routes import health_router, test_clock_router
from gateway.schema.build import build_schema


def create_app(
    settings: Settings | None = None,
    *,
    transports: dict[str, httpx.AsyncBaseTransport] | None = None,
) -> FastAPI:
    """Build the gateway; ``transports`` lets tests wire backends to in-process ASGI apps."""
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(service="gateway", level=settings.log_level, json=settings.log_json)
        app.state.backends = Backends(
            settings.backends,
            timeout=settings.http_timeout_seconds,
            connections=settings.backend_connections,
            transports=transports,
        )
        try:
            yield
        finally:
            await app.state.backends.aclose()

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
    install_error_handlers(app)
    install_rate_limits(app, settings)
    app.include_router(health_router())
    app.include_router(documents_router())
    if settings.clock_controllable:
        app.include_router(test_clock_router())
    if not settings.is_production:
        install_docs(app)
        mount_ide_assets(app)
    app.include_router(
        CertboardGraphQLRouter(build_schema(settings), settings),
        prefix="/graphql",
        dependencies=[ANONYMOUS_PER_CLIENT],
    )
    declare_body_errors(app)
    return app
