"""Renewing through the gateway, and CE audits: the holder's and staff's operations."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from certboard_core.auth import Role
from gateway.errors import CodedError
from gateway.schema.common import After, Ctx, ExpectedVersion, First, file_part
from gateway.schema.renewal.types import (
    AuditOutcome,
    CeAudit,
    CeAuditDraw,
    CeAuditPage,
    Renewal,
    RenewalView,
)

HOLDER_OR_STAFF = (Role.APPLICANT, Role.STAFF)


async def renewal_of(root: Any, info: Ctx) -> RenewalView:
    """The ``renewal`` field of a certification."""
    return RenewalView.from_json(await info.context.backends.applications.renewal_view(root.id))


async def renewals_of(root: Any, info: Ctx) -> list[Renewal]:
    """The ``renewals`` field of a certification."""
    found = await info.context.backends.applications.renewals(root.id)
    return [Renewal.from_json(r) for r in found]


def _seed(seed: str | None) -> int | None:
    if seed is None:
        return None
    if not (seed.isascii() and seed.isdigit() and int(seed) < 2**63):
        raise CodedError("INVALID_INPUT", "a seed is a whole number below 2^63", field="seed")
    return int(seed)


@strawberry.type
class RenewalQueries:
    @strawberry.field(
        description="CE audits by due day: staff all (openOnly: the queue), a holder their own."
    )
    async def ce_audits(
        self, info: Ctx, open_only: bool = False, first: First = 50, after: After = None
    ) -> CeAuditPage:
        ctx = info.context
        ctx.require(*HOLDER_OR_STAFF)
        page = await ctx.backends.applications.ce_audits(
            open_only=open_only, first=first, after=after
        )
        return CeAuditPage.from_json(page)

    @strawberry.field(description="One CE audit: its holder's, or any for staff.")
    async def ce_audit(self, info: Ctx, id: strawberry.ID) -> CeAudit:
        ctx = info.context
        ctx.require(*HOLDER_OR_STAFF)
        return CeAudit.from_json(await ctx.backends.applications.ce_audit(id))


@strawberry.type
class RenewalMutations:
    @strawberry.mutation(
        description="Holder or staff: renew inside the window (late while lapsed, or by "
        "reinstatement); refused with RENEWAL_REFUSED listing every unmet condition in "
        "`extensions.reasons`, or with why it cannot be renewed at all."
    )
    async def renew_certification(
        self,
        info: Ctx,
        certification_id: strawberry.ID,
        expected_version: ExpectedVersion,
        ce_attested: Annotated[
            bool, strawberry.argument(description="I completed the CE required.")
        ],
        code_of_ethics_signed: Annotated[
            bool, strawberry.argument(description="I sign the Code of Ethics again.")
        ],
    ) -> Renewal:
        ctx = info.context
        ctx.require(*HOLDER_OR_STAFF)
        body = {
            "expected_version": expected_version,
            "ce_attested": ce_attested,
            "code_of_ethics_signed": code_of_ethics_signed,
        }
        return Renewal.from_json(await ctx.backends.applications.renew(certification_id, body))

    @strawberry.mutation(
        description="Staff: draw the board's share of the renewals of periods that ended in a "
        "span, once they have closed; give a seed to repeat a draw."
    )
    async def draw_ce_audits(
        self,
        info: Ctx,
        periods_from: datetime.date,
        periods_to: datetime.date,
        seed: Annotated[
            str | None, strawberry.argument(description="A whole number below 2^63.")
        ] = None,
    ) -> CeAuditDraw:
        ctx = info.context
        ctx.require(Role.STAFF)
        made = await ctx.backends.applications.draw_ce_audits(
            periods_from=periods_from, periods_to=periods_to, seed=_seed(seed)
        )
        return CeAuditDraw.from_json(made)

    @strawberry.mutation(description="Holder: send proof of the CE hours (JPEG or PDF).")
    async def submit_ce_audit_proof(
        self, info: Ctx, id: strawberry.ID, document: Upload
    ) -> CeAudit:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        part = await file_part(document, "document")
        return CeAudit.from_json(await ctx.backends.applications.submit_ce_audit_proof(id, part))

    @strawberry.mutation(
        description="Staff: accepted; deficient (one cure period, then referred); or referred "
        "once the holder let the day pass. A reason unless accepted."
    )
    async def decide_ce_audit(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        outcome: AuditOutcome,
        reason: str | None = None,
    ) -> CeAudit:
        ctx = info.context
        ctx.require(Role.STAFF)
        body = {"expected_version": expected_version, "outcome": outcome.value, "reason": reason}
        return CeAudit.from_json(await ctx.backends.applications.decide_ce_audit(id, body))
