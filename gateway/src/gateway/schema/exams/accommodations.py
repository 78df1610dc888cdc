"""Accommodation requests in GraphQL: the applicant asks with a document, staff decide."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from certboard_core.auth import Role
from gateway.schema.common import (
    After,
    Ctx,
    ExpectedVersion,
    First,
    day,
    file_part,
    instant,
    maybe_instant,
)


@strawberry.enum
class AccommodationStatus(Enum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


@strawberry.type(description="A reasonable-accommodation request for an authorization to test.")
class AccommodationRequest:
    id: strawberry.ID
    authorization_id: strawberry.ID
    application_id: strawberry.ID
    applicant_id: str
    description: str
    document_content_type: str
    document_name: str
    submitted_at: datetime.datetime
    submitted_on: datetime.date
    review_due_on: datetime.date
    status: AccommodationStatus
    decided_at: datetime.datetime | None
    decision_reason: str | None
    overdue: bool = strawberry.field(description="Still pending past its review day.")
    version: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AccommodationRequest:
        return cls(
            id=strawberry.ID(data["id"]),
            authorization_id=strawberry.ID(data["authorization_id"]),
            application_id=strawberry.ID(data["application_id"]),
            applicant_id=data["applicant_id"],
            description=data["description"],
            document_content_type=data["document_content_type"],
            document_name=data["document_name"],
            submitted_at=instant(data["submitted_at"]),
            submitted_on=day(data["submitted_on"]),
            review_due_on=day(data["review_due_on"]),
            status=AccommodationStatus(data["status"]),
            decided_at=maybe_instant(data["decided_at"]),
            decision_reason=data["decision_reason"],
            overdue=data["overdue"],
            version=data["version"],
        )


@strawberry.type
class AccommodationConnection:
    items: list[AccommodationRequest]
    next_cursor: str | None
    breaches: int = strawberry.field(description="Pending past their review day (whole queue).")


@strawberry.type
class AccommodationQueries:
    @strawberry.field(description="One accommodation request: the applicant's own, or staff.")
    async def accommodation_request(self, info: Ctx, id: strawberry.ID) -> AccommodationRequest:
        ctx = info.context
        ctx.require(Role.APPLICANT, Role.STAFF)
        return AccommodationRequest.from_json(await ctx.backends.exams.get_accommodation(id))

    @strawberry.field(description="Staff: accommodation requests to review, earliest due first.")
    async def accommodation_queue(
        self, info: Ctx, first: First = 50, after: After = None
    ) -> AccommodationConnection:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.exams.accommodation_queue(first=first, after=after)
        return AccommodationConnection(
            items=[AccommodationRequest.from_json(r) for r in page["items"]],
            next_cursor=page["next_cursor"],
            breaches=page["breaches"],
        )


@strawberry.type
class AccommodationMutations:
    @strawberry.mutation(
        description="Applicant: request an accommodation for an authorization not yet "
        "scheduled, with the supporting document (JPEG or PDF)."
    )
    async def request_accommodation(
        self, info: Ctx, authorization_id: strawberry.ID, description: str, document: Upload
    ) -> AccommodationRequest:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        request = await ctx.backends.exams.submit_accommodation(
            authorization_id,
            description=description,
            document=await file_part(document, "document"),
        )
        return AccommodationRequest.from_json(request)

    @strawberry.mutation(description="Staff: approve an accommodation request.")
    async def approve_accommodation(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        reason: str | None = None,
    ) -> AccommodationRequest:
        ctx = info.context
        ctx.require(Role.STAFF)
        decided = await ctx.backends.exams.decide_accommodation(
            id, approve=True, expected_version=expected_version, reason=reason
        )
        return AccommodationRequest.from_json(decided)

    @strawberry.mutation(description="Staff: deny an accommodation request, with the reason.")
    async def deny_accommodation(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, reason: str
    ) -> AccommodationRequest:
        ctx = info.context
        ctx.require(Role.STAFF)
        decided = await ctx.backends.exams.decide_accommodation(
            id, approve=False, expected_version=expected_version, reason=reason
        )
        return AccommodationRequest.from_json(decided)
