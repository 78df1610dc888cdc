"""Exam attempts and results, result notices, item analysis and key corrections, as GraphQL.

The exams service decides everything; these resolvers check the role early and reshape JSON.
No type here has a field for a key or for the candidate's responses.
"""

from __future__ import annotations

import datetime
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
    maybe_id,
    maybe_instant,
)


@strawberry.type(description="The score in one content domain.")
class DomainResult:
    domain: str
    correct: int
    total: int
    percent: str = strawberry.field(description="Exact percentage, rounded down to 2 decimals.")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DomainResult:
        return cls(
            domain=data["domain"],
            correct=data["correct"],
            total=data["total"],
            percent=data["percent"],
        )


@strawberry.type(description="An exam attempt's result: shown to the candidate at once.")
class ExamAttempt:
    id: strawberry.ID
    authorization_id: strawberry.ID
    application_id: strawberry.ID
    applicant_id: str
    form_id: strawberry.ID | None
    source: str = strawberry.field(description="`responses` (scored here) or `vendor`.")
    taken_at: datetime.datetime
    taken_on: datetime.date
    correct: int
    total: int
    percent: str = strawberry.field(description="Exact percentage, rounded down to 2 decimals.")
    passed: bool
    pass_mark_percent: int
    domains: list[DomainResult]
    vendor_reference: str | None
    result_notice_due_on: datetime.date
    result_notice_sent_at: datetime.datetime | None
    version: int = strawberry.field(
        description="Send back as `expectedVersion` with every change; a stale one is refused."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamAttempt:
        return cls(
            id=strawberry.ID(data["id"]),
            authorization_id=strawberry.ID(data["authorization_id"]),
            application_id=strawberry.ID(data["application_id"]),
            applicant_id=data["applicant_id"],
            form_id=maybe_id(data["form_id"]),
            source=data["source"],
            taken_at=instant(data["taken_at"]),
            taken_on=day(data["taken_on"]),
            correct=data["correct"],
            total=data["total"],
            percent=data["percent"],
            passed=data["passed"],
            pass_mark_percent=data["pass_mark_percent"],
            domains=[DomainResult.from_json(d) for d in data["domains"]],
            vendor_reference=data["vendor_reference"],
            result_notice_due_on=day(data["result_notice_due_on"]),
            result_notice_sent_at=maybe_instant(data["result_notice_sent_at"]),
            version=data["version"],
        )


@strawberry.type
class ExamAttemptConnection:
    items: list[ExamAttempt]
    next_cursor: str | None


@strawberry.type(description="Results whose formal notice is unsent, earliest due first.")
class ResultNoticeQueue:
    items: list[ExamAttempt]
    next_cursor: str | None
    unsent: int
    breaches: int = strawberry.field(description="Unsent notices already past their due day.")


@strawberry.type(description="One item's statistics.")
class ItemStatistics:
    number: int
    domain: str
    correct: int
    p: str | None = strawberry.field(description="Proportion correct, 4 decimals; null: none.")
    point_biserial: str | None = strawberry.field(
        description="Corrected item-total correlation, 4 decimals; null: no variance."
    )
    flags: list[str] = strawberry.field(
        description="too_easy, too_hard, low_discrimination, likely_miskey."
    )


@strawberry.type(description="A form's item analysis over its attempts scored from responses.")
class ItemAnalysis:
    form_id: strawberry.ID
    attempts: int
    items: list[ItemStatistics]
    kr20: str | None = strawberry.field(description="KR-20, 4 decimals; null: no variance.")
    flags: list[str] = strawberry.field(description="low_reliability.")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ItemAnalysis:
        return cls(
            form_id=strawberry.ID(data["form_id"]),
            attempts=data["attempts"],
            items=[ItemStatistics(**item) for item in data["items"]],
            kr20=data["kr20"],
            flags=data["flags"],
        )


@strawberry.type(description="What a key correction did; the key itself is never shown.")
class KeyCorrection:
    form_id: strawberry.ID
    item_number: int
    form_version: int
    rescored: int
    changed: int
    outcome_changed: int


@strawberry.input(description="One response: the option chosen for an item.")
class ResponseInput:
    item: int
    option: str


@strawberry.input(description="A content domain's score as the test vendor reported it.")
class DomainCountInput:
    domain: str
    correct: int
    total: int


@strawberry.input(description="A score the test vendor reported; it must add up.")
class VendorScoreInput:
    correct: int
    total: int
    domains: list[DomainCountInput]
    reference: str


@strawberry.input(description="An attempt: either the responses or the vendor's score.")
class ExamAttemptInput:
    authorization_id: strawberry.ID
    taken_at: datetime.datetime
    form_id: strawberry.ID | None = None
    responses: list[ResponseInput] | None = None
    vendor_score: VendorScoreInput | None = None

    def to_body(self) -> dict[str, Any]:
        """The service's request body."""
        body: dict[str, Any] = {
            "authorization_id": str(self.authorization_id),
            "taken_at": self.taken_at.isoformat(),
        }
        if self.form_id is not None:
            body["form_id"] = str(self.form_id)
        if self.responses is not None:
            body["responses"] = {str(r.item): r.option for r in self.responses}
        if self.vendor_score is not None:
            vendor = self.vendor_score
            body["vendor_score"] = {
                "correct": vendor.correct,
                "total": vendor.total,
                "domains": [vars(d) for d in vendor.domains],
                "reference": vendor.reference,
            }
        return body


@strawberry.type
class ExamAttemptQueries:
    @strawberry.field(description="One exam result: a candidate's own, or any for staff.")
    async def exam_attempt(self, info: Ctx, id: strawberry.ID) -> ExamAttempt:
        info.context.require(Role.APPLICANT, Role.STAFF)
        return ExamAttempt.from_json(await info.context.backends.exams.get_attempt(str(id)))

    @strawberry.field(
        description="Exam results: a candidate's own, or any for staff; oldest first."
    )
    async def exam_attempts(
        self,
        info: Ctx,
        application_id: strawberry.ID | None = None,
        first: First = 50,
        after: After = None,
    ) -> ExamAttemptConnection:
        ctx = info.context
        ctx.require(Role.APPLICANT, Role.STAFF)
        page = await ctx.backends.exams.list_attempts(
            application_id=None if application_id is None else str(application_id),
            first=first,
            after=after,
        )
        return ExamAttemptConnection(
            items=[ExamAttempt.from_json(a) for a in page["items"]],
            next_cursor=page["next_cursor"],
        )

    @strawberry.field(description="Staff: results whose formal notice is unsent, by due day.")
    async def result_notice_queue(
        self, info: Ctx, first: First = 50, after: After = None
    ) -> ResultNoticeQueue:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.exams.result_notice_queue(first=first, after=after)
        return ResultNoticeQueue(
            items=[ExamAttempt.from_json(a) for a in page["items"]],
            next_cursor=page["next_cursor"],
            unsent=page["unsent"],
            breaches=page["breaches"],
        )

    @strawberry.field(description="Staff: a form's item statistics and KR-20 reliability.")
    async def item_analysis(self, info: Ctx, form_id: strawberry.ID) -> ItemAnalysis:
        ctx = info.context
        ctx.require(Role.STAFF)
        return ItemAnalysis.from_json(await ctx.backends.exams.item_analysis(str(form_id)))


@strawberry.type
class ExamAttemptMutations:
    @strawberry.mutation(
        description="Staff or a vendor's service identity: record the one attempt of an "
        "authorization; answers the result (a pass is published for certification)."
    )
    async def record_exam_attempt(self, info: Ctx, attempt: ExamAttemptInput) -> ExamAttempt:
        ctx = info.context
        ctx.require(Role.STAFF, Role.SERVICE)
        return ExamAttempt.from_json(await ctx.backends.exams.record_attempt(attempt.to_body()))

    @strawberry.mutation(
        description="Staff: send the formal result notice (from the policy's minimum day)."
    )
    async def send_result_notice(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> ExamAttempt:
        ctx = info.context
        ctx.require(Role.STAFF)
        sent = await ctx.backends.exams.send_result_notice(
            str(id), expected_version=expected_version
        )
        return ExamAttempt.from_json(sent)

    @strawberry.mutation(
        description="Staff: correct one item's key on a form in use, with a reason; every "
        "attempt on it is rescored and each changed outcome notified."
    )
    async def correct_item_key(
        self,
        info: Ctx,
        form_id: strawberry.ID,
        item_number: int,
        expected_version: ExpectedVersion,
        key: str,
        reason: str,
    ) -> KeyCorrection:
        ctx = info.context
        ctx.require(Role.STAFF)
        done = await ctx.backends.exams.correct_key(
            str(form_id), item_number, expected_version=expected_version, key=key, reason=reason
        )
        return KeyCorrection(
            form_id=strawberry.ID(done["form_id"]),
            item_number=done["item_number"],
            form_version=done["form_version"],
            rescored=done["rescored"],
            changed=done["changed"],
            outcome_changed=done["outcome_changed"],
        )
