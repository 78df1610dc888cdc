"""Authorizations to test in GraphQL: requests, staff moves, summaries and the scheduling queue."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.common import (
    After,
    Ctx,
    ExpectedVersion,
    First,
    day,
    instant,
    maybe_day,
    maybe_id,
)
from gateway.schema.exams.accommodations import AccommodationRequest
from gateway.schema.exams.attempts import ExamAttempt
from gateway.schema.exams.enums import ExamLanguage


@strawberry.enum
class DeliveryMode(Enum):
    ONLINE_PROCTORED = "online_proctored"
    TEST_CENTRE = "test_centre"


@strawberry.enum(description="A first request, or a retake after an attempt was used.")
class ExamRequestKind(Enum):
    FIRST = "first"
    RETAKE = "retake"


@strawberry.enum(
    description="Open (granted, scheduled) or the one outcome it ended in, as of today."
)
class AuthorizationStatus(Enum):
    GRANTED = "granted"
    SCHEDULED = "scheduled"
    ATTEMPTED = "attempted"
    EXPIRED_UNUSED = "expired_unused"
    NO_SHOW = "no_show"
    VENDOR_FAULT = "vendor_fault"
    VOIDED = "voided"


@strawberry.type(description="An authorization to test: one attempt in a window never extended.")
class ExamAuthorization:
    id: strawberry.ID
    application_id: strawberry.ID
    applicant_id: str
    kind: ExamRequestKind
    language: ExamLanguage
    delivery_mode: DeliveryMode
    fee_reference: str
    status: AuthorizationStatus
    granted_at: datetime.datetime
    granted_on: datetime.date
    valid_through: datetime.date = strawberry.field(
        description="The last day it may be used: granted day + the policy's window, or the "
        "approval's valid-through day if earlier."
    )
    review_due_on: datetime.date = strawberry.field(
        description="Scheduling details are due from staff by this day."
    )
    scheduled_on: datetime.date | None
    scheduled_at_time: str | None = strawberry.field(description="Local time, HH:MM:SS.")
    site: str | None
    form_id: strawberry.ID | None
    ended_on: datetime.date | None
    end_reason: str | None
    vendor_incident: str | None
    replaces_id: strawberry.ID | None
    replaced_by_id: strawberry.ID | None
    counts_as_attempt: bool = strawberry.field(description="Whether it uses one of the attempts.")
    result: ExamAttempt | None = strawberry.field(
        description="The attempt's result (the candidate's own, or staff); null until one is "
        "recorded. Read with the authorization, in the same backend call."
    )
    version: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamAuthorization:
        return cls(
            id=strawberry.ID(data["id"]),
            application_id=strawberry.ID(data["application_id"]),
            applicant_id=data["applicant_id"],
            kind=ExamRequestKind(data["kind"]),
            language=ExamLanguage(data["language"]),
            delivery_mode=DeliveryMode(data["delivery_mode"]),
            fee_reference=data["fee_reference"],
            status=AuthorizationStatus(data["status"]),
            granted_at=instant(data["granted_at"]),
            granted_on=day(data["granted_on"]),
            valid_through=day(data["valid_through"]),
            review_due_on=day(data["review_due_on"]),
            scheduled_on=maybe_day(data["scheduled_on"]),
            scheduled_at_time=data["scheduled_at_time"],
            site=data["site"],
            form_id=maybe_id(data["form_id"]),
            ended_on=maybe_day(data["ended_on"]),
            end_reason=data["end_reason"],
            vendor_incident=data["vendor_incident"],
            replaces_id=maybe_id(data["replaces_id"]),
            replaced_by_id=maybe_id(data["replaced_by_id"]),
            counts_as_attempt=data["counts_as_attempt"],
            result=ExamAttempt.from_json(data["result"]) if data["result"] else None,
            version=data["version"],
        )


@strawberry.type(description="An application's exams: attempts used and left, every authorization.")
class ExamSummary:
    attempts_used: int
    attempts_left: int
    attempts_limit: int
    authorizations: list[ExamAuthorization]
    accommodations: list[AccommodationRequest] = strawberry.field(
        description="Every accommodation request made for its authorizations, oldest first."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamSummary:
        return cls(
            attempts_used=data["attempts_used"],
            attempts_left=data["attempts_left"],
            attempts_limit=data["attempts_limit"],
            authorizations=[ExamAuthorization.from_json(a) for a in data["authorizations"]],
            # An empty summary (no authorization yet) is made by the gateway without it.
            accommodations=[
                AccommodationRequest.from_json(r) for r in data.get("accommodations", [])
            ],
        )


@strawberry.type
class ExamAuthorizationConnection:
    items: list[ExamAuthorization]
    next_cursor: str | None
    breaches: int = strawberry.field(description="Past their review day (the whole queue).")


async def application_exams(root: strawberry.Parent[Any], info: Ctx) -> ExamSummary | None:
    """The ``exams`` field of an application: read in batches for every application shown,
    counted by the exams service exactly as ``examSummary`` and a request are."""
    return ExamSummary.from_json(await info.context.exam_summaries.load(str(root.id)))


@strawberry.input(description="Request the exam for an application.")
class RequestExamInput:
    application_id: strawberry.ID
    language: ExamLanguage
    delivery_mode: DeliveryMode


@strawberry.input(description="The exam day (inside the window), local time, and site.")
class ScheduleExamInput:
    scheduled_on: datetime.date
    scheduled_at_time: str = strawberry.field(description="Local time, HH:MM.")
    site: str | None = strawberry.field(
        default=None, description="The test centre; absent for online proctored exams."
    )


@strawberry.type
class AuthorizationQueries:
    @strawberry.field(description="One authorization: the applicant's own, or any for staff.")
    async def exam_authorization(self, info: Ctx, id: strawberry.ID) -> ExamAuthorization:
        ctx = info.context
        ctx.require(Role.APPLICANT, Role.STAFF)
        return ExamAuthorization.from_json(await ctx.backends.exams.get_authorization(id))

    @strawberry.field(
        description="An application's exams (owner or staff): attempts used, left, the limit, "
        "and each authorization with its window and status."
    )
    async def exam_summary(self, info: Ctx, application_id: strawberry.ID) -> ExamSummary:
        ctx = info.context
        ctx.require(Role.APPLICANT, Role.STAFF)
        return ExamSummary.from_json(await ctx.backends.exams.exam_summary(application_id))

    @strawberry.field(
        description="Staff: authorizations awaiting scheduling, earliest review day first."
    )
    async def exam_scheduling_queue(
        self, info: Ctx, first: First = 50, after: After = None
    ) -> ExamAuthorizationConnection:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.exams.scheduling_queue(first=first, after=after)
        return ExamAuthorizationConnection(
            items=[ExamAuthorization.from_json(a) for a in page["items"]],
            next_cursor=page["next_cursor"],
            breaches=page["breaches"],
        )


async def _move(
    info: Ctx, id: strawberry.ID, action: str, body: dict[str, Any]
) -> ExamAuthorization:
    ctx = info.context
    ctx.require(Role.STAFF)
    moved = await ctx.backends.exams.move_authorization(id, action, body)
    return ExamAuthorization.from_json(moved)


@strawberry.type
class AuthorizationMutations:
    @strawberry.mutation(
        description="Applicant (own application) or staff: request the exam. Refused with "
        "EXAM_NOT_ELIGIBLE and `extensions.reasons` listing every unmet condition."
    )
    async def request_exam(
        self, info: Ctx, input: RequestExamInput, idempotency_key: str | None = None
    ) -> ExamAuthorization:
        ctx = info.context
        ctx.require(Role.APPLICANT, Role.STAFF)
        granted = await ctx.backends.exams.request_exam(
            application=input.application_id,
            language=input.language.value,
            delivery_mode=input.delivery_mode.value,
            idempotency_key=idempotency_key,
        )
        return ExamAuthorization.from_json(granted)

    @strawberry.mutation(description="Staff: schedule the exam inside the authorization's window.")
    async def schedule_exam(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        input: ScheduleExamInput,
    ) -> ExamAuthorization:
        body: dict[str, Any] = {
            "expected_version": expected_version,
            "scheduled_on": input.scheduled_on.isoformat(),
            "scheduled_at_time": input.scheduled_at_time,
        }
        if input.site is not None:
            body["site"] = input.site
        return await _move(info, id, "schedule", body)

    @strawberry.mutation(description="Staff: cancel the schedule; the window stays as granted.")
    async def cancel_exam_schedule(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> ExamAuthorization:
        return await _move(info, id, "cancel-schedule", {"expected_version": expected_version})

    @strawberry.mutation(description="Staff: the candidate did not sit the exam (attempt used).")
    async def record_exam_no_show(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        reason: str | None = None,
    ) -> ExamAuthorization:
        body = {"expected_version": expected_version, "reason": reason}
        return await _move(info, id, "no-show", body)

    @strawberry.mutation(
        description="Staff: the test vendor caused the failure (no attempt or fee used)."
    )
    async def record_exam_vendor_fault(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        incident: str,
        reason: str | None = None,
    ) -> ExamAuthorization:
        body = {"expected_version": expected_version, "incident": incident, "reason": reason}
        return await _move(info, id, "vendor-fault", body)

    @strawberry.mutation(
        description="Staff: void an open authorization with a reason; answers the new one "
        "issued in its place (same fee, window from today)."
    )
    async def void_exam_authorization(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, reason: str
    ) -> ExamAuthorization:
        return await _move(
            info, id, "void", {"expected_version": expected_version, "reason": reason}
        )
