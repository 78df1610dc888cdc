"""Complaints and discipline through the gateway: filing needs no token; staff decide."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from certboard_core.auth import Role
from gateway.errors import CodedError
from gateway.schema.common import After, Ctx, ExpectedVersion, First, file_part
from gateway.schema.discipline.types import (
    Complaint,
    ComplaintPage,
    ComplaintReceipt,
    DisciplineDecision,
    DisciplineOutcome,
)

MAX_ATTACHMENTS = 5


async def discipline_of(root: Any, info: Ctx) -> list[DisciplineDecision]:
    """The ``discipline`` field of a certification: its holder's or staff's."""
    found = await info.context.backends.applications.discipline_of(root.id)
    return [DisciplineDecision.from_json(d) for d in found]


@strawberry.type
class DisciplineQueries:
    @strawberry.field(description="Staff: complaints oldest first, the open ones unless decided.")
    async def complaints(
        self, info: Ctx, decided: bool = False, first: First = 50, after: After = None
    ) -> ComplaintPage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.applications.complaints(decided=decided, first=first, after=after)
        return ComplaintPage.from_json(page)

    @strawberry.field(description="Staff: one complaint with its attachments.")
    async def complaint(self, info: Ctx, id: strawberry.ID) -> Complaint:
        ctx = info.context
        ctx.require(Role.STAFF)
        return Complaint.from_json(await ctx.backends.applications.complaint(id))


@strawberry.type
class DisciplineMutations:
    @strawberry.mutation(
        description="Anyone, no token needed: a complaint against a certified person by "
        "certificate number, with up to 5 attachments (JPEG or PDF). Rate limited per client."
    )
    async def file_complaint(
        self,
        info: Ctx,
        certificate_number: str,
        description: str,
        complainant_name: str | None = None,
        complainant_email: str | None = None,
        attachments: list[Upload] | None = None,
    ) -> ComplaintReceipt:
        uploads = attachments or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise CodedError(
                "INVALID_INPUT", f"at most {MAX_ATTACHMENTS} attachments", field="attachments"
            )
        form = {"certificate_number": certificate_number, "description": description}
        if complainant_name is not None:
            form["complainant_name"] = complainant_name
        if complainant_email is not None:
            form["complainant_email"] = complainant_email
        parts = [await file_part(u, "attachments") for u in uploads]
        receipt = await info.context.backends.applications.file_complaint(form, parts)
        return ComplaintReceipt(
            reference=strawberry.ID(receipt["reference"]),
            received_at=datetime.datetime.fromisoformat(receipt["received_at"]),
        )

    @strawberry.mutation(description="Staff: start investigating a received complaint.")
    async def take_up_complaint(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, note: str
    ) -> Complaint:
        ctx = info.context
        ctx.require(Role.STAFF)
        body = {"expected_version": expected_version, "note": note}
        return Complaint.from_json(await ctx.backends.applications.take_up_complaint(id, body))

    @strawberry.mutation(
        description="Staff: decide a complaint; suspension, revocation and surrender apply to "
        "the certification at once, the holder is told, and the appeal window is recorded."
    )
    async def decide_complaint(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        outcome: DisciplineOutcome,
        reasons: str,
        conditions: str | None = None,
        ends_on: Annotated[
            datetime.date | None,
            strawberry.argument(description="Probation's last day, or a suspension's."),
        ] = None,
    ) -> Complaint:
        ctx = info.context
        ctx.require(Role.STAFF)
        body = {
            "expected_version": expected_version,
            "outcome": outcome.value,
            "reasons": reasons,
            "conditions": conditions,
            "ends_on": ends_on.isoformat() if ends_on else None,
        }
        return Complaint.from_json(await ctx.backends.applications.decide_complaint(id, body))
