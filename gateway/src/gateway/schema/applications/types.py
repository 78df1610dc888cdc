"""The application as GraphQL shows it: summary fields at once, the status view on demand."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from graphql.pyutils import AwaitableOrValue

from gateway.schema.applications.audit import AuditEvent, application_audit_trail
from gateway.schema.applications.certification import Certification, certification_of
from gateway.schema.applications.enums import (
    ApplicationStatus,
    BackgroundCheck,
    LivedExperience,
    RevisionItem,
)
from gateway.schema.applications.parts import (
    Attestations,
    Deadlines,
    Document,
    Notification,
    Payment,
    RevisionRequest,
)
from gateway.schema.certificates.types import TrainingCertificate
from gateway.schema.common import Ctx, day, instant, maybe_day, maybe_instant
from gateway.schema.exams.authorizations import ExamSummary, application_exams
from gateway.schema.supervision.agreements import SupervisionAgreement, peer_agreements_of

T = TypeVar("T")


@strawberry.type(
    description="An application. Lists carry its summary; the status view (missing, documents, "
    "revision requests, notifications, payments, attestations) is read on demand, once per "
    "application and request."
)
class Application:
    id: strawberry.ID
    applicant_id: str
    status: ApplicationStatus
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    email: str
    lived_experience: LivedExperience
    submitted_at: datetime.datetime
    submitted_on: datetime.date = strawberry.field(
        description="The local day of submission in the board's time zone (day 0 of every window)."
    )
    approved_at: datetime.datetime | None
    decision_reason: str | None = strawberry.field(
        description="The reason staff recorded with an approval or a denial."
    )
    background_check: BackgroundCheck
    version: int = strawberry.field(
        description="Send back as `expectedVersion` with every change; a stale one is refused."
    )
    deadlines: Deadlines
    # The service's whole status view, when the response that built this object carried it.
    detail: strawberry.Private[dict[str, Any] | None] = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Application:
        """From a summary, or from a whole status view (kept, so no second read is needed)."""
        return cls(
            id=strawberry.ID(data["id"]),
            applicant_id=data["applicant_id"],
            status=ApplicationStatus(data["status"]),
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=day(data["date_of_birth"]),
            email=data["email"],
            lived_experience=LivedExperience(data["lived_experience"]),
            submitted_at=instant(data["submitted_at"]),
            submitted_on=day(data["submitted_on"]),
            approved_at=maybe_instant(data["approved_at"]),
            decision_reason=data["decision_reason"],
            background_check=BackgroundCheck(data["background_check"]),
            version=data["version"],
            deadlines=Deadlines.from_json(data["deadlines"]),
            detail=data if "documents" in data else None,
        )

    async def _detail(self, info: Ctx) -> dict[str, Any]:
        if self.detail is None:
            self.detail = await info.context.application_views.load(str(self.id))
        return self.detail

    def _part(self, info: Ctx, part: Callable[[dict[str, Any]], T]) -> AwaitableOrValue[T]:
        """A part of the status view: at once when this object carries the view (a read of
        one application does), else once the request's batch of views is read. Answering at
        once spares graphql-core an asyncio task per field."""
        if self.detail is not None:
            return part(self.detail)
        return self._part_later(info, part)

    async def _part_later(self, info: Ctx, part: Callable[[dict[str, Any]], T]) -> T:
        return part(await self._detail(info))

    @strawberry.field(
        description="Use deadlines.firstNotificationDueOn.",
        deprecation_reason="Moved to `deadlines.firstNotificationDueOn`.",
    )
    def first_notification_due_on(self) -> datetime.date:
        return self.deadlines.first_notification_due_on

    @strawberry.field(
        graphql_type=list[RevisionItem],
        description="What the open revision request asks for; empty when none.",
    )
    def missing(self, info: Ctx) -> AwaitableOrValue[list[RevisionItem]]:
        return self._part(info, lambda view: [RevisionItem(i) for i in view["missing"]])

    @strawberry.field(
        graphql_type=list[Document],
        description="Every document, each kind's newest version first.",
    )
    def documents(self, info: Ctx) -> AwaitableOrValue[list[Document]]:
        return self._part(info, lambda view: [Document.from_json(d) for d in view["documents"]])

    @strawberry.field(
        graphql_type=list[RevisionRequest], description="Every revision request, open and settled."
    )
    def revision_requests(self, info: Ctx) -> AwaitableOrValue[list[RevisionRequest]]:
        return self._part(
            info, lambda view: [RevisionRequest.from_json(r) for r in view["revision_requests"]]
        )

    @strawberry.field(
        graphql_type=list[Notification], description="Every notice sent to the applicant."
    )
    def notifications(self, info: Ctx) -> AwaitableOrValue[list[Notification]]:
        return self._part(
            info, lambda view: [Notification.from_json(n) for n in view["notifications"]]
        )

    @strawberry.field(
        graphql_type=list[Payment], description="Every fee recorded, forfeited ones included."
    )
    def payments(self, info: Ctx) -> AwaitableOrValue[list[Payment]]:
        return self._part(info, lambda view: [Payment.from_json(p) for p in view["payments"]])

    @strawberry.field(
        graphql_type=list[TrainingCertificate],
        description="Completion certificates training providers sent for this application, "
        "and their review outcome.",
    )
    def training_certificates(self, info: Ctx) -> AwaitableOrValue[list[TrainingCertificate]]:
        return self._part(
            info,
            lambda view: [TrainingCertificate.from_json(c) for c in view["training_certificates"]],
        )

    @strawberry.field(
        graphql_type=Certification | None,
        description="The certification a pass earned; null until then.",
    )
    def certification(self, info: Ctx) -> AwaitableOrValue[Certification | None]:
        return self._part(info, certification_of)

    @strawberry.field(
        graphql_type=Attestations, description="What the applicant attested to when submitting."
    )
    def attestations(self, info: Ctx) -> AwaitableOrValue[Attestations]:
        return self._part(info, Attestations.from_json)

    # Fields from another service are nullable: when it cannot be reached only they are null
    # (with an UPSTREAM_UNAVAILABLE error at their path), and the rest of the view still shows.
    exams: ExamSummary | None = strawberry.field(
        resolver=application_exams,
        description="Exams: attempts used and left, each authorization with its window and "
        "status (read in batches from the exams service; null, with an error, while it cannot "
        "be reached).",
    )
    audit_trail: list[AuditEvent] = strawberry.field(
        resolver=application_audit_trail,
        description="Staff: every recorded change, oldest first (read in batches).",
    )
    supervision_agreements: list[SupervisionAgreement] | None = strawberry.field(
        resolver=peer_agreements_of,
        description="The applicant's supervision agreements as a peer, oldest first (read in "
        "batches from the supervision service; null, with an error, while it cannot be "
        "reached).",
    )


@strawberry.type
class ApplicationConnection:
    items: list[Application]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )

    @classmethod
    def from_json(cls, page: dict[str, Any]) -> ApplicationConnection:
        return cls(
            items=[Application.from_json(item) for item in page["items"]],
            next_cursor=page["next_cursor"],
        )


@strawberry.type(description="The numbers this board decides applications with.")
class ApplicationPolicy:
    board: str
    time_zone: str
    min_applicant_age_years: int
    first_notification_days: int
    incomplete_hold_days: int
    approval_valid_months: int
    exam_request_min_days_before_expiry: int
    void_reminder_days_before: list[int]
    expiry_reminder_days_before: list[int]
    expiry_warning_days: int
    requires_background_check: bool
    requires_recovery_attestations: bool
    requires_supervision_agreement: bool
    training_min_hours: int
    training_valid_years: int
    certificate_review_days: int
    application_fee_cents: int = strawberry.field(
        description="The application fee in cents; 0 when the board's policy sets no amount."
    )
    currency: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ApplicationPolicy:
        # Only the fields this type declares: a field the service adds later breaks nothing.
        names = cls.__annotations__.keys()
        return cls(**{name: data[name] for name in names})


@strawberry.type(description="Each work queue's earliest deadline; null when it is empty.")
class WorkQueueDays:
    first_notification: datetime.date | None
    breaches: datetime.date | None
    incomplete: datetime.date | None
    expiring: datetime.date | None


@strawberry.type(description="How many applications each work queue holds today.")
class WorkQueueCounts:
    today: datetime.date = strawberry.field(
        description="The day counted for, in the board's time zone: every list's clock."
    )
    first_notification: int = strawberry.field(description="Waiting on staff and not yet notified.")
    breaches: int = strawberry.field(description="First notice missed or sent late.")
    incomplete: int = strawberry.field(description="Waiting on the applicant.")
    expiring: int = strawberry.field(description="Approvals close to their valid-through day.")
    earliest_due_on: WorkQueueDays = strawberry.field(
        description="Per queue, the deadline it is ordered by, earliest first."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WorkQueueCounts:
        days = data["earliest_due_on"]
        return cls(
            today=day(data["today"]),
            first_notification=data["first_notification"],
            breaches=data["breaches"],
            incomplete=data["incomplete"],
            expiring=data["expiring"],
            earliest_due_on=WorkQueueDays(**{name: maybe_day(days[name]) for name in days}),
        )
