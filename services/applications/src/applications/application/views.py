"""How stored rows become what the API shows: effective status, deadlines and days left."""

from __future__ import annotations

from datetime import date

from applications import rules
from applications.application.lifecycle import ApplicationStatus, effective_status
from applications.application.models import Application, ApplicationDocument, RevisionRequest
from applications.application.schemas import (
    ApplicationPublic,
    ApplicationSummary,
    Deadlines,
    DocumentPublic,
    NotificationPublic,
    PaymentPublic,
    RevisionItem,
    RevisionRequestPublic,
)
from applications.certificate.models import TrainingCertificate
from applications.certificate.service import to_public as certificate_public
from applications.certification.models import Certification
from applications.certification.views import status_today as certification_public
from applications.notification.models import Notification
from applications.payment.models import Payment
from applications.policy import ApplicationPolicy


def status_of(application: Application, today: date) -> ApplicationStatus:
    """The application's status as of ``today``, deadlines applied."""
    return effective_status(
        application.status,
        today=today,
        last_day_to_complete=application.last_day_to_complete,
        valid_through=application.valid_through,
    )


def deadlines(application: Application, today: date, policy: ApplicationPolicy) -> Deadlines:
    """Every date of the application, each from its rule, and the days left as of ``today``."""
    status = status_of(application, today)
    valid_through = application.valid_through
    waiting_on_applicant = status is ApplicationStatus.INCOMPLETE
    approved = status is ApplicationStatus.APPROVED and valid_through is not None
    cutoff = rules.exam_request_cutoff(valid_through, policy) if valid_through else None
    return Deadlines(
        today=today,
        first_notification_due_on=application.first_notification_due_on,
        first_notification_days_left=rules.days_left(application.first_notification_due_on, today),
        first_notified_on=application.first_notified_on,
        first_notification_on_time=rules.notified_on_time(
            application.first_notified_on, application.first_notification_due_on, today
        ),
        last_day_to_complete=application.last_day_to_complete,
        void_from=rules.void_from(application.last_day_to_complete),
        days_left_to_complete=(
            rules.days_left(application.last_day_to_complete, today)
            if waiting_on_applicant
            else None
        ),
        valid_through=valid_through,
        days_left_valid=rules.days_left(valid_through, today)
        if approved and valid_through
        else None,
        exam_request_cutoff=cutoff,
        days_left_to_request_exam=rules.days_left(cutoff, today) if approved and cutoff else None,
    )


def to_summary(
    application: Application, *, today: date, policy: ApplicationPolicy
) -> ApplicationSummary:
    """The application as a list shows it."""
    return ApplicationSummary(
        **application.model_dump(exclude={"status"}),
        status=status_of(application, today),
        deadlines=deadlines(application, today, policy),
    )


def _documents(documents: list[ApplicationDocument]) -> list[DocumentPublic]:
    latest: dict[str, int] = {}
    for document in documents:
        latest[document.kind] = max(latest.get(document.kind, 0), document.version)
    return [
        DocumentPublic(**d.model_dump(), current=d.version == latest[d.kind])
        for d in sorted(documents, key=lambda d: (d.kind, -d.version))
    ]


def to_public(
    application: Application,
    *,
    documents: list[ApplicationDocument],
    revisions: list[RevisionRequest],
    notifications: list[Notification],
    payments: list[Payment],
    certificates: list[TrainingCertificate],
    certification: Certification | None,
    today: date,
    policy: ApplicationPolicy,
) -> ApplicationPublic:
    """The whole status view, from the application and its rows of each kind."""
    summary = to_summary(application, today=today, policy=policy)
    open_request = next((r for r in revisions if r.resolved_at is None), None)
    return ApplicationPublic(
        **summary.model_dump(),
        code_of_ethics_agreed=application.code_of_ethics_agreed,
        willing_to_share_experience=application.willing_to_share_experience,
        recovery_two_years_attested=application.recovery_two_years_attested,
        diagnosis_treatment_attested=application.diagnosis_treatment_attested,
        missing=[RevisionItem(i) for i in open_request.items] if open_request else [],
        documents=_documents(documents),
        revision_requests=[RevisionRequestPublic(**r.model_dump()) for r in revisions],
        notifications=[NotificationPublic(**n.model_dump()) for n in notifications],
        payments=[PaymentPublic(**p.model_dump()) for p in payments],
        training_certificates=[certificate_public(c) for c in certificates],
        certification=certification_public(certification, today) if certification else None,
    )
