"""The applications service's tables, for Alembic and tests: importing this registers them."""

from __future__ import annotations

from applications.application.models import Application, ApplicationDocument, RevisionRequest
from applications.notification.models import Notification
from applications.payment.models import Payment
from certboard_core.audit import AuditRecord
from certboard_core.db import metadata
from certboard_core.outbox import OutboxDelivery, OutboxEvent, ProcessedEvent

MODELS = (
    Application,
    ApplicationDocument,
    RevisionRequest,
    Notification,
    Payment,
    AuditRecord,
    OutboxEvent,
    OutboxDelivery,
    ProcessedEvent,
)
TABLES = frozenset(model.__tablename__ for model in MODELS)

__all__ = ["MODELS", "TABLES", "metadata"]
