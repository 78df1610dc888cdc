"""The supervision service's tables, for Alembic and the tests: importing registers them all."""

from __future__ import annotations

from certboard_core.audit import AuditRecord
from certboard_core.db import metadata
from certboard_core.outbox import OutboxDelivery, OutboxEvent, ProcessedEvent
from supervision.agreement.models import AgreementAmendment, SupervisionAgreement
from supervision.compliance.models import PeerWeek, ShortWeekReminder
from supervision.hours.models import HoursWorked
from supervision.session.models import SupervisionSession
from supervision.supervisor.models import Supervisor

MODELS = (
    Supervisor,
    SupervisionAgreement,
    AgreementAmendment,
    SupervisionSession,
    HoursWorked,
    ShortWeekReminder,
    PeerWeek,
    AuditRecord,
    OutboxEvent,
    OutboxDelivery,
    ProcessedEvent,
)
TABLES = frozenset(model.__tablename__ for model in MODELS)

__all__ = ["MODELS", "TABLES", "metadata"]
