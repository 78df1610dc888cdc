"""The exams service's tables, for Alembic and the tests: importing this registers them all."""

from __future__ import annotations

from certboard_core.audit import AuditRecord
from certboard_core.db import metadata
from certboard_core.idempotency import IdempotencyRecord
from certboard_core.outbox import OutboxDelivery, OutboxEvent, ProcessedEvent
from exams.accommodation.models import AccommodationRequest
from exams.attempt.models import ExamAttempt, ResultChange
from exams.authorization.models import ExamAuthorization
from exams.form.models import ExamForm, ExamItem

MODELS = (
    ExamForm,
    ExamItem,
    ExamAuthorization,
    ExamAttempt,
    ResultChange,
    AccommodationRequest,
    IdempotencyRecord,
    AuditRecord,
    OutboxEvent,
    OutboxDelivery,
    ProcessedEvent,
)
TABLES = frozenset(model.__tablename__ for model in MODELS)

__all__ = ["MODELS", "TABLES", "metadata"]
