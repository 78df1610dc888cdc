"""The exams service: ``uvicorn --factory exams.main:create_app``."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.clock import Clock
from certboard_core.storage import DocumentStore
from exams.accommodation.router import router as accommodation_router
from exams.attempt.router import router as attempt_router
from exams.authorization.router import router as authorization_router
from exams.config import Settings, get_settings
from exams.form.router import router as form_router
from exams.policy import build_policy
from exams.policy_router import router as policy_router
from exams.queue.router import router as queue_router
from exams.sweep.router import router as sweep_router
from exams.sweep.runner import sweep_forever

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
    run_background: bool = True,
    tracing: TracerProvider | None = None,
) -> FastAPI:
    """Build the exams service."""
    settings = settings or get_settings()
    app = create_service_app(
        ServiceSpec(
            title="certboard exams",
            description="Exams: requests, attempts, scores, retakes and accommodations.",
            settings=settings,
            routers=[
                policy_router,
                form_router,
                attempt_router,
                authorization_router,
                accommodation_router,
                sweep_router,
                queue_router,
            ],
            background=[partial(sweep_forever, interval_seconds=settings.sweep_interval_seconds)],
        ),
        clock=clock,
        http_transport=http_transport,
        run_background=run_background,
        tracing=tracing,
    )
    app.state.policy = build_policy(settings.policy_preset, settings.policy_overrides)
    app.state.store = DocumentStore(settings.documents_path)
    return app
