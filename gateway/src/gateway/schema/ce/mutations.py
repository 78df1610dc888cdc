"""Changing the CE ledger: each mutation is one call to the applications service, which decides."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from certboard_core.auth import Role
from gateway.clients.ce import SelfReportForm
from gateway.schema.ce.types import CeCourse, CeRecord, CeUploadResult
from gateway.schema.common import Ctx, ExpectedVersion, file_part
from gateway.schema.renewal.types import CeCategory

Hours = Annotated[
    str,
    strawberry.argument(description='Exact, at most two decimal places: "6", "1.5", "0.25".'),
]


@strawberry.input(
    description="One completion as the provider's records hold it. The date and the course id "
    "are plain strings: a malformed one is rejected for its row, not for the whole report. "
    "Hours and category come from the course."
)
class CeCompletionInput:
    completion_id: str = strawberry.field(description="The provider's own id; stored once.")
    course_id: str = strawberry.field(description="An approved CE course of this provider.")
    certificate_number: str = strawberry.field(
        description="As printed on the person's certificate."
    )
    completed_on: str = strawberry.field(description="YYYY-MM-DD.")

    def to_row(self) -> dict[str, Any]:
        """The row as the service takes it."""
        return {
            "completion_id": self.completion_id,
            "course_id": self.course_id,
            "certificate_number": self.certificate_number,
            "completed_on": self.completed_on,
        }


@strawberry.type
class CeMutations:
    @strawberry.mutation(
        description="Staff: approve a CE course of a provider, with its hours and category."
    )
    async def add_ce_course(
        self,
        info: Ctx,
        provider_id: strawberry.ID,
        name: str,
        hours: Hours,
        category: CeCategory,
    ) -> CeCourse:
        ctx = info.context
        ctx.require(Role.STAFF)
        course = await ctx.backends.applications.add_ce_course(
            provider_id, name=name, hours=hours, category=category.value
        )
        return CeCourse.from_json(course)

    @strawberry.mutation(
        description="Staff: withdraw a CE course (completions of it are refused from then on) "
        "or approve it again."
    )
    async def update_ce_course(
        self,
        info: Ctx,
        provider_id: strawberry.ID,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        active: bool,
    ) -> CeCourse:
        ctx = info.context
        ctx.require(Role.STAFF)
        course = await ctx.backends.applications.update_ce_course(
            provider_id, id, expected_version=expected_version, active=active
        )
        return CeCourse.from_json(course)

    @strawberry.mutation(
        description="Provider: report one CE completion or up to 1,000; each row comes back "
        "accepted (it counts at once), duplicate (its completion id was received before) or "
        "rejected with the field at fault. Retry with the same idempotencyKey and rows to get "
        "the first answer again (IDEMPOTENCY_KEY_REUSED for other rows, "
        "IDEMPOTENCY_IN_PROGRESS while the first still runs)."
    )
    async def report_ce_completions(
        self,
        info: Ctx,
        provider_id: strawberry.ID,
        completions: list[CeCompletionInput],
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(description="Kept 24 hours per provider; any unique string."),
        ] = None,
    ) -> CeUploadResult:
        ctx = info.context
        ctx.require(Role.PROVIDER)
        answer = await ctx.backends.applications.report_ce_completions(
            provider_id, [c.to_row() for c in completions], idempotency_key
        )
        return CeUploadResult.from_json(answer.body, replayed=answer.replayed)

    @strawberry.mutation(
        description="Holder: report a CE completion with its certificate (JPEG or PDF); it "
        "counts once staff verify it."
    )
    async def self_report_ce(
        self,
        info: Ctx,
        certification_id: strawberry.ID,
        course_title: str,
        provider_name: str,
        hours: Hours,
        category: CeCategory,
        completed_on: datetime.date,
        document: Upload,
    ) -> CeRecord:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        report = SelfReportForm(
            course_title=course_title,
            provider_name=provider_name,
            hours=hours,
            category=category.value,
            completed_on=completed_on,
            document=await file_part(document, "document"),
        )
        record = await ctx.backends.applications.self_report_ce(certification_id, report)
        return CeRecord.from_json(record)

    @strawberry.mutation(description="Staff: verify a self-reported completion: it counts now.")
    async def accept_ce_record(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        reason: str | None = None,
    ) -> CeRecord:
        ctx = info.context
        ctx.require(Role.STAFF)
        record = await ctx.backends.applications.review_ce_record(
            id, accept=True, expected_version=expected_version, reason=reason
        )
        return CeRecord.from_json(record)

    @strawberry.mutation(description="Staff: reject a self-reported completion, saying why.")
    async def reject_ce_record(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, reason: str
    ) -> CeRecord:
        ctx = info.context
        ctx.require(Role.STAFF)
        record = await ctx.backends.applications.review_ce_record(
            id, accept=False, expected_version=expected_version, reason=reason
        )
        return CeRecord.from_json(record)
