"""The supervision service: ``uvicorn --factory supervision.main:create_app``."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.clock import Clock
from supervision.agreement.router import internal as internal_agreement_router
from supervision.agreement.router import peers as peer_agreement_router
from supervision.agreement.router import router as agreement_router
from supervision.compliance.router import router as compliance_router
from supervision.compliance.sweep import sweep_forever
from supervision.compliance.sweep_router import router as sweep_router
from supervision.config import Settings, get_settings
from supervision.hours.router import router as hours_router
from supervision.overview.router import router as overview_router
from supervision.policy import build_policy
from supervision.policy_router import router as policy_router
from supervision.session.router import by_agreement as agreement_session_router
from supervision.session.router import router as session_router
from supervision.supervisor.router import router as supervisor_router

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
    """Build the supervision service."""
    settings = settings or get_settings()
    app = create_service_app(
        ServiceSpec(
            title="certboard supervision",
            description="Clinical supervision: agreements, session logs, hours and sign-offs.",
            settings=settings,
            routers=[
                internal_agreement_router,
                agreement_router,
                peer_agreement_router,
                supervisor_router,
                session_router,
                agreement_session_router,
                hours_router,
                compliance_router,
                overview_router,
                sweep_router,
                policy_router,
            ],
            background=[partial(sweep_forever, interval_seconds=settings.sweep_interval_seconds)],
        ),
        clock=clock,
        http_transport=http_transport,
        run_background=run_background,
        tracing=tracing,
    )
    app.state.policy = build_policy(settings.policy_preset, settings.policy_overrides)
    return app
