"""Supervision agreements as GraphQL: drafted by the peer, signed by both, amended, ended.

There is no delete: supervision records are kept and corrected by amendment.
"""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON

from certboard_core.auth import Role
from gateway.schema.common import (
    After,
    Ctx,
    ExpectedVersion,
    First,
    day,
    instant,
    maybe_day,
    maybe_instant,
)
from gateway.schema.supervision.agreement_loaders import DEFAULT_PERIOD
from gateway.schema.supervision.sessions import SupervisionSession


@strawberry.enum(description="Where an agreement stands today.")
class AgreementStatus(Enum):
    AWAITING_SIGNATURES = "awaiting_signatures"
    SIGNED = "signed"
    ACTIVE = "active"
    ENDED = "ended"
    TERMINATED = "terminated"


@strawberry.enum(description="What an amendment did: changed the terms, or ended it.")
class AmendmentKind(Enum):
    AMENDED = "amended"
    TERMINATED = "terminated"


@strawberry.type(description="One change to an agreement, keeping the earlier terms.")
class AgreementAmendment:
    number: int
    kind: AmendmentKind
    earlier_terms: JSON
    terms: JSON
    reason: str | None
    amended_by: str
    amended_at: datetime.datetime


@strawberry.type(description="A written supervision agreement between a peer and a supervisor.")
class SupervisionAgreement:
    id: strawberry.ID
    peer_applicant_id: str
    supervisor_id: str
    employer: str
    starts_on: datetime.date
    ends_on: datetime.date | None = strawberry.field(description="Inclusive; null: open-ended.")
    relationship_attested: bool
    not_family_attested: bool
    signed_by_peer_at: datetime.datetime | None
    signed_by_supervisor_at: datetime.datetime | None
    terminated_on: datetime.date | None
    termination_reason: str | None
    status: AgreementStatus
    at_risk_from: datetime.date | None = strawberry.field(
        description="The first day without a valid supervisor license; null: none."
    )
    at_risk: bool
    created_at: datetime.datetime
    version: int = strawberry.field(
        description="Send back as `expectedVersion` with every change; a stale one is refused."
    )
    amendments: list[AgreementAmendment] | None = strawberry.field(
        description="Every change, earliest first (null in lists)."
    )

    @strawberry.field(
        description="Its current session logs, by start time (read in batches for every "
        "agreement shown; null, with an error, while supervision cannot be reached)."
    )
    async def sessions(self, info: Ctx) -> list[SupervisionSession] | None:
        rows = await info.context.agreement_sessions.load(str(self.id))
        return [SupervisionSession.from_json(row) for row in rows]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SupervisionAgreement:
        amendments = data.get("amendments")
        return cls(
            id=strawberry.ID(data["id"]),
            peer_applicant_id=data["peer_applicant_id"],
            supervisor_id=data["supervisor_id"],
            employer=data["employer"],
            starts_on=day(data["starts_on"]),
            ends_on=maybe_day(data["ends_on"]),
            relationship_attested=data["relationship_attested"],
            not_family_attested=data["not_family_attested"],
            signed_by_peer_at=maybe_instant(data["signed_by_peer_at"]),
            signed_by_supervisor_at=maybe_instant(data["signed_by_supervisor_at"]),
            terminated_on=maybe_day(data["terminated_on"]),
            termination_reason=data["termination_reason"],
            status=AgreementStatus(data["status"]),
            at_risk_from=maybe_day(data["at_risk_from"]),
            at_risk=data["at_risk"],
            created_at=instant(data["created_at"]),
            version=data["version"],
            amendments=None
            if amendments is None
            else [
                AgreementAmendment(
                    number=a["number"],
                    kind=AmendmentKind(a["kind"]),
                    earlier_terms=a["earlier_terms"],
                    terms=a["terms"],
                    reason=a["reason"],
                    amended_by=a["amended_by"],
                    amended_at=instant(a["amended_at"]),
                )
                for a in amendments
            ],
        )


@strawberry.type
class AgreementPage:
    items: list[SupervisionAgreement]
    next_cursor: str | None


@strawberry.input(description="The terms a peer drafts; both attestations must be true.")
class AgreementInput:
    supervisor_id: str
    employer: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    relationship_attested: bool = strawberry.field(
        description="No prior therapeutic or personal relationship between the two."
    )
    not_family_attested: bool = strawberry.field(
        description="The supervisor is not the peer's parent, child, spouse or sibling."
    )


@strawberry.input(description="New terms; what is left out stays as it is.")
class AgreementAmendInput:
    employer: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    open_ended: bool = strawberry.field(default=False, description="Remove the end date.")
    reason: str | None = None


def _wire(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in values.items()
        if value is not None
    }


PARTIES = (Role.APPLICANT, Role.SUPERVISOR)
READERS = (Role.STAFF, Role.APPLICANT, Role.SUPERVISOR)


@strawberry.type
class AgreementQueries:
    @strawberry.field(
        description="An agreement with its amendments: staff any, a peer or a supervisor "
        "their own (others: NOT_FOUND)."
    )
    async def supervision_agreement(self, info: Ctx, id: strawberry.ID) -> SupervisionAgreement:
        ctx = info.context
        ctx.require(*READERS)
        found = await ctx.backends.supervision.get_agreement(id)
        return SupervisionAgreement.from_json(found)

    @strawberry.field(
        description="Agreements, oldest first: staff all, a peer or a supervisor their own."
    )
    async def supervision_agreements(
        self, info: Ctx, first: First = 50, after: After = None
    ) -> AgreementPage:
        ctx = info.context
        ctx.require(*READERS)
        page = await ctx.backends.supervision.list_agreements(first=first, after=after)
        return AgreementPage(
            items=[SupervisionAgreement.from_json(a) for a in page["items"]],
            next_cursor=page["next_cursor"],
        )


@strawberry.type
class AgreementMutations:
    @strawberry.mutation(
        description="Peer: draft an agreement with a qualified supervisor (refused with "
        "SUPERVISOR_NOT_QUALIFIED listing every unmet condition); both sign it next."
    )
    async def draft_supervision_agreement(
        self, info: Ctx, input: AgreementInput
    ) -> SupervisionAgreement:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        body = _wire(strawberry.asdict(input))
        return SupervisionAgreement.from_json(await ctx.backends.supervision.draft_agreement(body))

    @strawberry.mutation(
        description="Peer or supervisor: change the terms; the earlier ones are kept and both "
        "must sign again."
    )
    async def amend_supervision_agreement(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        input: AgreementAmendInput,
    ) -> SupervisionAgreement:
        ctx = info.context
        ctx.require(*PARTIES)
        amended = await ctx.backends.supervision.amend_agreement(
            id, expected_version=expected_version, changes=_wire(strawberry.asdict(input))
        )
        return SupervisionAgreement.from_json(amended)

    @strawberry.mutation(
        description="Peer or supervisor: sign for your own side; with both it is active "
        "(AGREEMENT_ALREADY_ACTIVE if the peer has one with the employer for those days)."
    )
    async def sign_supervision_agreement(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> SupervisionAgreement:
        ctx = info.context
        ctx.require(*PARTIES)
        signed = await ctx.backends.supervision.sign_agreement(
            id, expected_version=expected_version
        )
        return SupervisionAgreement.from_json(signed)

    @strawberry.mutation(description="Peer, supervisor or staff: end the agreement on a day.")
    async def terminate_supervision_agreement(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        terminated_on: datetime.date,
        reason: str,
    ) -> SupervisionAgreement:
        ctx = info.context
        ctx.require(*READERS)
        ended = await ctx.backends.supervision.terminate_agreement(
            id, expected_version=expected_version, terminated_on=terminated_on, reason=reason
        )
        return SupervisionAgreement.from_json(ended)


async def peer_agreements_of(
    root: strawberry.Parent[Any], info: Ctx
) -> list[SupervisionAgreement] | None:
    """The ``supervisionAgreements`` field of an application: its applicant's agreements, read
    in batches for every application shown (amendments are on ``supervisionAgreement``)."""
    ctx = info.context
    caller = ctx.principal
    if caller is not None and caller.has(Role.APPLICANT) and caller.subject == root.applicant_id:
        # The applicant's own: the overview that ``me { supervision }`` reads holds them, so a
        # whole ``me`` view asks supervision once.
        overview = await ctx.supervision_overviews.load(DEFAULT_PERIOD)
        agreements = [
            a for a in overview["agreements"] if a["peer_applicant_id"] == root.applicant_id
        ]
    else:
        agreements = await ctx.peer_agreements.load(root.applicant_id)
    return [SupervisionAgreement.from_json(a) for a in agreements]
