"""The ``me`` entry point's parts: a party's supervision, and staff's every queue with counts."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from gateway.clients.applications import QueueFilters
from gateway.errors import CodedError
from gateway.schema.applications.types import WorkQueueCounts
from gateway.schema.ce.types import CeVerificationCounts
from gateway.schema.certificates.types import CertificateCounts
from gateway.schema.common import Ctx, day, maybe_day
from gateway.schema.renewal.types import CeAuditCounts
from gateway.schema.supervision.agreements import SupervisionAgreement
from gateway.schema.supervision.compliance import ComplianceReport, ShortfallPage
from gateway.schema.supervision.sessions import SupervisionSession


@strawberry.type(description="A peer's or a supervisor's supervision, read in one call.")
class MySupervision:
    agreements: list[SupervisionAgreement] = strawberry.field(
        description="Oldest first, each with its `sessions` (no further call)."
    )
    agreements_complete: bool = strawberry.field(
        description="False when there were more than one read holds (200): page "
        "`supervisionAgreements` for the rest."
    )
    sessions_to_sign: list[SupervisionSession] = strawberry.field(
        description="Current sessions not yet signed off, by start time."
    )
    compliance: ComplianceReport

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MySupervision:
        return cls(
            agreements=[SupervisionAgreement.from_json(a) for a in data["agreements"]],
            agreements_complete=data["agreements_complete"],
            sessions_to_sign=[
                SupervisionSession.from_json(s)
                for s in data["sessions"]
                if s["signed_off_at"] is None
            ],
            compliance=ComplianceReport.from_json(data["compliance"]),
        )


@strawberry.type(description="One queue today: what waits, what is late, the earliest day due.")
class QueueCount:
    waiting: int
    breaches: int = strawberry.field(description="Waiting past the day it was due.")
    next_due_on: datetime.date | None = strawberry.field(
        description="The earliest day due; null when the queue is empty."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueueCount:
        return cls(
            waiting=data["waiting"],
            breaches=data["breaches"],
            next_due_on=maybe_day(data["next_due_on"]),
        )


@strawberry.type(description="The applications service's queues at the end of one day.")
class QueueDay:
    day: datetime.date
    first_notification: int = strawberry.field(
        description="Applications waiting for their first notice."
    )
    first_notification_late: int = strawberry.field(
        description="Of those, past the notice's due day."
    )
    certificates: int = strawberry.field(description="Training certificates waiting for review.")
    certificates_late: int = strawberry.field(description="Of those, past their review day.")
    unmatched: int = strawberry.field(description="Training certificates linked to no application.")
    ce_verification: int = strawberry.field(description="Self-reported CE waiting to be verified.")
    ce_audits: int = strawberry.field(
        description="CE audits open: awaiting proof, to review, in a cure period."
    )
    incomplete: int = strawberry.field(description="Applications waiting on their applicant.")
    expiring: int = strawberry.field(description="Approvals whose window ends soon.")
    expiring_this_month: int = strawberry.field(
        description="Certifications ending in that day's month, each as it stands today."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueueDay:
        return cls(
            day=day(data["day"]),
            first_notification=data["first_notification"],
            first_notification_late=data["first_notification_late"],
            certificates=data["certificates"],
            certificates_late=data["certificates_late"],
            unmatched=data["unmatched"],
            ce_verification=data["ce_verification"],
            ce_audits=data["ce_audits"],
            incomplete=data["incomplete"],
            expiring=data["expiring"],
            expiring_this_month=data["expiring_this_month"],
        )


@strawberry.type(description="The exams service's queues at the end of one day.")
class ExamQueueDay:
    day: datetime.date
    result_notices: int = strawberry.field(description="Formal result notices unsent.")
    result_notices_late: int = strawberry.field(description="Of those, past their due day.")
    accommodations: int = strawberry.field(description="Accommodation requests to review.")
    accommodations_late: int = strawberry.field(description="Of those, past their review day.")
    scheduling: int = strawberry.field(description="Authorizations awaiting scheduling.")
    scheduling_late: int = strawberry.field(description="Of those, past their review day.")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamQueueDay:
        return cls(
            day=day(data["day"]),
            result_notices=data["result_notices"],
            result_notices_late=data["result_notices_late"],
            accommodations=data["accommodations"],
            accommodations_late=data["accommodations_late"],
            scheduling=data["scheduling"],
            scheduling_late=data["scheduling_late"],
        )


@strawberry.type(description="The supervision shortfall queue at the end of one day.")
class ShortfallQueueDay:
    day: datetime.date
    shortfalls: int = strawberry.field(description="Short weeks in the 8 complete weeks before.")
    shortfalls_late: int = strawberry.field(description="Of those, past their follow-up day.")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShortfallQueueDay:
        return cls(
            day=day(data["day"]),
            shortfalls=data["shortfalls"],
            shortfalls_late=data["shortfalls_late"],
        )


def _days(days: int) -> int:
    if not 1 <= days <= 90:
        raise CodedError("INVALID_INPUT", "days: from 1 to 90", field="days", status=422)
    return days


@strawberry.type(description="The exams service's work queues.")
class ExamQueueCounts:
    result_notices: QueueCount = strawberry.field(description="Formal result notices unsent.")
    accommodations: QueueCount = strawberry.field(description="Accommodation requests to review.")
    scheduling: QueueCount = strawberry.field(description="Authorizations awaiting scheduling.")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamQueueCounts:
        return cls(
            result_notices=QueueCount.from_json(data["result_notices"]),
            accommodations=QueueCount.from_json(data["accommodations"]),
            scheduling=QueueCount.from_json(data["scheduling"]),
        )


@strawberry.type(
    description="Every staff work queue today with its counts; each list is its own query "
    "(`workQueue`, `certificateReviewQueue`, `ceVerificationQueue`, `certificationsExpiring`, "
    "`resultNoticeQueue`, `accommodationQueue`, `examSchedulingQueue`, `supervisionShortfalls`). "
    "A service that cannot be reached nulls only its part."
)
class StaffQueues:
    @strawberry.field(description="Applications, per work queue.")
    async def applications(self, info: Ctx) -> WorkQueueCounts | None:
        counts = await info.context.backends.applications.work_queue_counts(QueueFilters())
        return WorkQueueCounts.from_json(counts)

    @strawberry.field(
        description="The applications service's queues (first notice, certificate review, "
        "unmatched certificates, CE verification and audits, incomplete, expiring approvals, "
        "certifications ending each month) at the end of each of the last days "
        "(at most 90), oldest first, rebuilt from when each item joined and left; one call to "
        "the service whatever is asked."
    )
    async def history(self, info: Ctx, days: int = 30) -> list[QueueDay] | None:
        found = await info.context.backends.applications.queue_history(_days(days))
        return [QueueDay.from_json(d) for d in found]

    @strawberry.field(
        description="The result-notice, accommodation and scheduling queues at the end of each "
        "of the last days (at most 90), oldest first, rebuilt from when each item joined and left; "
        "one call to the service."
    )
    async def exam_history(self, info: Ctx, days: int = 30) -> list[ExamQueueDay] | None:
        found = await info.context.backends.exams.queue_history(_days(days))
        return [ExamQueueDay.from_json(d) for d in found]

    @strawberry.field(
        description="The supervision shortfall queue at the end of each of the last days (at "
        "most 90), oldest first; each week as it stands today."
    )
    async def supervision_history(
        self, info: Ctx, days: int = 30
    ) -> list[ShortfallQueueDay] | None:
        found = await info.context.backends.supervision.shortfall_history(_days(days))
        return [ShortfallQueueDay.from_json(d) for d in found]

    @strawberry.field(description="Training certificates to review or match.")
    async def certificates(self, info: Ctx) -> CertificateCounts | None:
        return CertificateCounts.from_json(
            await info.context.backends.applications.certificate_counts()
        )

    @strawberry.field(description="CE audits: awaiting proof, to review, in a cure period.")
    async def ce_audits(self, info: Ctx) -> CeAuditCounts | None:
        return CeAuditCounts.from_json(await info.context.backends.applications.ce_audit_counts())

    @strawberry.field(
        description="Certifications whose period ends this month (list: `certificationsExpiring`)."
    )
    async def expiring_this_month(self, info: Ctx) -> int | None:
        page = await info.context.backends.applications.expiring(
            first_day=None, last_day=None, first=1, after=None
        )
        total: int = page["total"]
        return total

    @strawberry.field(description="Self-reported CE waiting for staff to verify it.")
    async def ce_verification(self, info: Ctx) -> CeVerificationCounts | None:
        return CeVerificationCounts.from_json(
            await info.context.backends.applications.ce_record_counts()
        )

    @strawberry.field(description="Result notices, accommodations and scheduling.")
    async def exams(self, info: Ctx) -> ExamQueueCounts | None:
        return ExamQueueCounts.from_json(await info.context.backends.exams.queue_counts())

    @strawberry.field(
        description="Short supervision weeks of the last 8 complete weeks; `nextDueOn` is "
        "the earliest follow-up day."
    )
    async def supervision_shortfalls(self, info: Ctx) -> QueueCount | None:
        page = ShortfallPage.from_json(
            await info.context.backends.supervision.shortfalls(weeks=8, first=1, after=None)
        )
        return QueueCount(
            waiting=page.total,
            breaches=page.overdue,
            next_due_on=page.items[0].follow_up_by if page.items else None,
        )
