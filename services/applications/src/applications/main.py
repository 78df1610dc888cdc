"""The applications service: ``uvicorn --factory applications.main:create_app``."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from applications.application.router import router as application_router
from applications.config import Settings, get_settings
from applications.policy import build_policy
from applications.policy_router import router as policy_router
from applications.storage import DocumentStore
from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.clock import Clock


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """Build the applications service."""
    settings = settings or get_settings()
    app = create_service_app(
        ServiceSpec(
            title="certboard applications",
            description="Applications to the board: submission, documents, review windows.",
            settings=settings,
            routers=[application_router, policy_router],
        ),
        clock=clock,
        http_transport=http_transport,
    )
    app.state.policy = build_policy(settings.policy_preset, settings.policy_overrides)
    app.state.store = DocumentStore(settings.documents_path)
    return app
