"""How stored rows become what the API shows: effective status, deadlines and days left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from applications import rules
from applications.application.lifecycle import ApplicationStatus, effective_status
from applications.application.models import Application
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
from applications.application.status_query import (
    CERTIFICATES,
    CERTIFICATION,
    DOCUMENTS,
    NOTIFICATIONS,
    PAYMENTS,
    REVISIONS,
    StatusRows,
    Values,
)
from applications.certificate.service import public_of as certificate_public
from applications.certification.views import public_of as certification_public
from applications.policy import ApplicationPolicy


class Dated(Protocol):
    """What an application's status and deadlines are computed from."""

    @property
    def status(self) -> ApplicationStatus: ...
    @property
    def first_notification_due_on(self) -> date: ...
    @property
    def first_notified_on(self) -> date | None: ...
    @property
    def last_day_to_complete(self) -> date: ...
    @property
    def valid_through(self) -> date | None: ...


@dataclass(frozen=True)
class Dates:
    """The fields of ``Dated`` from a plain row of the status view."""

    status: ApplicationStatus
    first_notification_due_on: date
    first_notified_on: date | None
    last_day_to_complete: date
    valid_through: date | None

    @classmethod
    def of(cls, values: Values) -> Dates:
        return cls(
            values["status"],
            values["first_notification_due_on"],
            values["first_notified_on"],
            values["last_day_to_complete"],
            values["valid_through"],
        )


def status_of(application: Dated, today: date) -> ApplicationStatus:
    """The application's status as of ``today``, deadlines applied."""
    return effective_status(
        application.status,
        today=today,
        last_day_to_complete=application.last_day_to_complete,
        valid_through=application.valid_through,
    )


def deadlines(application: Dated, today: date, policy: ApplicationPolicy) -> Deadlines:
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


def _documents(documents: list[Values]) -> list[DocumentPublic]:
    latest: dict[str, int] = {}
    for document in documents:
        latest[document["kind"]] = max(latest.get(document["kind"], 0), document["version"])
    return [
        DocumentPublic(**d, current=d["version"] == latest[d["kind"]])
        for d in sorted(documents, key=lambda d: (d["kind"], -d["version"]))
    ]


def to_public(rows: StatusRows, *, today: date, policy: ApplicationPolicy) -> ApplicationPublic:
    """The whole status view, from the rows of its one statement (plain values, no ORM)."""
    application = rows.application
    dates = Dates.of(application)
    revisions = rows.of(REVISIONS)
    open_request = next((r for r in revisions if r["resolved_at"] is None), None)
    owner = {"application_id": application["id"]}
    certification = rows.of(CERTIFICATION)
    return ApplicationPublic(
        # The stored status gives way to the status as of today.
        **{**application, "status": status_of(dates, today)},
        deadlines=deadlines(dates, today, policy),
        missing=[RevisionItem(i) for i in open_request["items"]] if open_request else [],
        documents=_documents(rows.of(DOCUMENTS)),
        revision_requests=[RevisionRequestPublic(**r) for r in revisions],
        notifications=[NotificationPublic(**n) for n in rows.of(NOTIFICATIONS)],
        payments=[PaymentPublic(**p) for p in rows.of(PAYMENTS)],
        training_certificates=[certificate_public({**c, **owner}) for c in rows.of(CERTIFICATES)],
        certification=(
            certification_public({**certification[0], **owner}, today, policy)
            if certification
            else None
        ),
    )
