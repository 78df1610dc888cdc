"""The applications service: ``uvicorn --factory applications.main:create_app``."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import httpx
from fastapi import FastAPI

from applications.application.router import router as application_router
from applications.audit_trail.router import router as audit_trail_router
from applications.ce.provider_router import router as ce_provider_router
from applications.ce.router import router as ce_router
from applications.ce_audit.router import router as ce_audit_router
from applications.certificate.router import router as certificate_router
from applications.certification.events import exam_event_handlers
from applications.certification.router import router as certification_router
from applications.certification.standing import router as standing_router
from applications.config import Settings, get_settings
from applications.credential.keys import KeyFolder, ensure_key
from applications.credential.router import router as credential_router
from applications.credential.signing import CredentialIssuer
from applications.credential.vc import Board
from applications.discipline.router import internal as internal_discipline_router
from applications.discipline.router import router as discipline_router
from applications.employer.alerts import fan_out_subscriber
from applications.employer.delivery import alert_webhook_subscriber
from applications.employer.router import followers_router
from applications.employer.router import router as employer_router
from applications.notification.mailer import build_sender, mailer
from applications.notification.router import router as notification_router
from applications.notification.supervision_reminders import WEEK_SHORT, week_short_handler
from applications.payment.router import router as payment_router
from applications.policy import ApplicationPolicy, build_policy
from applications.policy_router import router as policy_router
from applications.provider.delivery import webhook_subscriber
from applications.provider.router import router as provider_router
from applications.queue.metrics import watch_queues
from applications.queue.router import router as queue_router
from applications.renewal.router import router as renewal_router
from applications.sweep.router import router as sweep_router
from applications.sweep.runner import sweep_forever
from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.clock import Clock
from certboard_core.settings import Environment
from certboard_core.storage import DocumentStore

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
    """Build the applications service."""
    settings = settings or get_settings()
    # Development and tests receive webhooks on this machine; production never calls itself.
    loopback = settings.environment is not Environment.PRODUCTION
    app = create_service_app(
        ServiceSpec(
            title="certboard applications",
            description="Applications to the board: submission, review, windows, notices, fees.",
            settings=settings,
            routers=[
                application_router,
                audit_trail_router,
                payment_router,
                notification_router,
                queue_router,
                provider_router,
                certificate_router,
                policy_router,
                sweep_router,
                certification_router,
                renewal_router,
                ce_audit_router,
                discipline_router,
                internal_discipline_router,
                standing_router,
                ce_provider_router,
                ce_router,
                credential_router,
                employer_router,
                followers_router,
            ],
            event_handlers={
                **exam_event_handlers(lambda: app.state),
                WEEK_SHORT: week_short_handler(lambda: app.state),
            },
            local_subscribers={
                "mailer": mailer(build_sender(settings)),
                "webhooks": webhook_subscriber(lambda: app.state, allow_loopback=loopback),
                "employer_alerts": fan_out_subscriber(lambda: app.state),
                "employer_webhooks": alert_webhook_subscriber(
                    lambda: app.state, allow_loopback=loopback
                ),
            },
            background=[partial(sweep_forever, interval_seconds=settings.sweep_interval_seconds)],
        ),
        clock=clock,
        http_transport=http_transport,
        run_background=run_background,
        tracing=tracing,
    )
    app.state.policy = build_policy(settings.policy_preset, settings.policy_overrides)
    app.state.store = DocumentStore(settings.documents_path)
    app.state.credential_issuer = credential_issuer(settings, app.state.policy)
    watch_queues(app)
    return app


def credential_issuer(settings: Settings, policy: ApplicationPolicy) -> CredentialIssuer:
    """The board as it signs credentials: a mounted key folder, or one made on first run."""
    if settings.credential_key_dir is None:
        ensure_key(settings.credential_keys_path)
    board = Board(settings.credential_base_url, settings.credential_issuer_name, policy.zone)
    return CredentialIssuer(KeyFolder(settings.credential_keys_path), board)
