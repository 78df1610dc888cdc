"""The applications service's tables, for Alembic and tests: importing this registers them."""

from __future__ import annotations

from applications.application.models import Application, ApplicationDocument, RevisionRequest
from applications.ce.models import CeCourse, CeRecord
from applications.ce_audit.models import AuditDraw, CeAudit
from applications.certificate.models import TrainingCertificate
from applications.certification.models import Certification
from applications.credential.models import CredentialStatus
from applications.discipline.models import Complaint, ComplaintAttachment
from applications.employer.models import Employer, EmployerAlert, Enrolment
from applications.notification.models import Notification
from applications.payment.models import Payment
from applications.provider.models import TrainingProgram, TrainingProvider
from applications.renewal.models import Renewal
from certboard_core.audit import AuditRecord
from certboard_core.db import metadata
from certboard_core.idempotency import IdempotencyRecord
from certboard_core.outbox import OutboxDelivery, OutboxEvent, ProcessedEvent

MODELS = (
    Application,
    ApplicationDocument,
    RevisionRequest,
    Notification,
    Payment,
    TrainingProvider,
    TrainingProgram,
    TrainingCertificate,
    Certification,
    CredentialStatus,
    CeCourse,
    CeRecord,
    Renewal,
    AuditDraw,
    CeAudit,
    Complaint,
    ComplaintAttachment,
    Employer,
    Enrolment,
    EmployerAlert,
    IdempotencyRecord,
    AuditRecord,
    OutboxEvent,
    OutboxDelivery,
    ProcessedEvent,
)
TABLES = frozenset(model.__tablename__ for model in MODELS)

__all__ = ["MODELS", "TABLES", "metadata"]
