"""Decisions about supervision agreements; the request's session commits what these flush."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from certboard_core.audit import record_audit
from certboard_core.auth import Role
from certboard_core.errors import InvalidInput, NotFound
from certboard_core.pagination import Page
from certboard_core.versioned import Change, apply_change, check_version
from supervision.agreement.models import AgreementAmendment, AmendmentKind, SupervisionAgreement
from supervision.agreement.repository import AgreementRepository
from supervision.agreement.schemas import (
    AgreementAmend,
    AgreementCreate,
    AgreementDetail,
    AgreementList,
    AgreementPage,
    AmendmentPublic,
    Signature,
    Termination,
)
from supervision.agreement.views import last_day, to_public
from supervision.deps import ActionContext
from supervision.errors import (
    AgreementActiveElsewhere,
    AgreementClosed,
    AgreementRetained,
    AlreadySigned,
    AttestationMissing,
)
from supervision.supervisor.models import Supervisor
from supervision.supervisor.repository import SupervisorRepository
from supervision.supervisor.service import require_qualified

ENTITY = "supervision_agreement"
# What an amendment may change; a change to any of them needs both signatures again.
TERMS = ("employer", "starts_on", "ends_on")


def _snapshot(agreement: SupervisionAgreement) -> dict[str, Any]:
    return agreement.model_dump(mode="json")


def _terms(agreement: SupervisionAgreement, *names: str) -> dict[str, Any]:
    return {name: v for name, v in _snapshot(agreement).items() if name in names}


def _check_end(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("the agreement cannot end before it starts", field="ends_on")


async def _supervisor(ctx: ActionContext, supervisor_id: str) -> Supervisor:
    found = await SupervisorRepository(ctx.session).get(supervisor_id)
    if found is None:
        raise NotFound("no such supervisor", field="supervisor_id")
    return found


async def create(ctx: ActionContext, data: AgreementCreate) -> SupervisionAgreement:
    """A peer drafts an agreement with a qualified supervisor; neither has signed yet."""
    for attestation in ("relationship_attested", "not_family_attested"):
        if not getattr(data, attestation):
            raise AttestationMissing(
                "the agreement must attest no prior therapeutic or personal relationship and "
                "that the supervisor is not the peer's parent, child, spouse or sibling",
                field=attestation,
            )
    _check_end(data.starts_on, data.ends_on)
    if data.supervisor_id == ctx.principal.subject:
        raise InvalidInput("a peer cannot supervise themself", field="supervisor_id")
    require_qualified(await _supervisor(ctx, data.supervisor_id), ctx.today, ctx.policy)
    agreement = SupervisionAgreement(
        **data.model_dump(),
        peer_applicant_id=ctx.principal.subject,
        created_by=ctx.actor,
        created_at=ctx.now,
    )
    AgreementRepository(ctx.session).add(agreement)
    await ctx.session.flush()
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="agreement.drafted",
        entity_type=ENTITY,
        entity_id=str(agreement.id),
        before=None,
        after=_snapshot(agreement),
        at=ctx.now,
    )
    return agreement


async def readable(ctx: ActionContext, agreement_id: uuid.UUID) -> SupervisionAgreement:
    """The agreement, if the caller may read it; else NOT_FOUND."""
    found = await AgreementRepository(ctx.session).readable_one(ctx.principal, agreement_id)
    if found is None:
        raise NotFound("no such agreement", field="agreement_id")
    return found


async def detail(ctx: ActionContext, agreement: SupervisionAgreement) -> AgreementDetail:
    """The agreement with every amendment, as the API shows it."""
    supervisor = await SupervisorRepository(ctx.session).get(agreement.supervisor_id)
    amendments = await AgreementRepository(ctx.session).amendments(agreement.id)
    return AgreementDetail(
        **to_public(agreement, supervisor, ctx.today).model_dump(),
        amendments=[AmendmentPublic.model_validate(a, from_attributes=True) for a in amendments],
    )


async def agreements_of_peers(ctx: ActionContext, peer_ids: list[str]) -> AgreementList:
    """Every agreement of these peers the caller may read, oldest first (for batched reads)."""
    agreements = await AgreementRepository(ctx.session).of_peers(ctx.principal, peer_ids)
    supervisors = await SupervisorRepository(ctx.session).get_many(
        a.supervisor_id for a in agreements
    )
    return AgreementList(
        items=[to_public(a, supervisors.get(a.supervisor_id), ctx.today) for a in agreements]
    )


async def list_agreements(ctx: ActionContext, *, after: str | None, limit: int) -> AgreementPage:
    """Readable agreements, oldest first."""
    page: Page[SupervisionAgreement] = await AgreementRepository(ctx.session).page(
        ctx.principal, after=after, limit=limit
    )
    supervisors = await SupervisorRepository(ctx.session).get_many(
        a.supervisor_id for a in page.items
    )
    public = page.map(lambda a: to_public(a, supervisors.get(a.supervisor_id), ctx.today))
    return AgreementPage(items=public.items, next_cursor=public.next_cursor)


def _open(agreement: SupervisionAgreement, doing: str) -> None:
    if agreement.terminated_on is not None:
        raise AgreementClosed(f"cannot {doing} a terminated agreement", field="status")


async def _amendment(
    ctx: ActionContext,
    agreement: SupervisionAgreement,
    kind: AmendmentKind,
    earlier: dict[str, Any],
    reason: str | None,
) -> None:
    repository = AgreementRepository(ctx.session)
    number = await repository.amendment_count(agreement.id) + 1
    repository.add(
        AgreementAmendment(
            agreement_id=agreement.id,
            number=number,
            kind=kind,
            earlier_terms=earlier,
            terms=_terms(agreement, *earlier),
            reason=reason,
            amended_by=ctx.actor,
            amended_at=ctx.now,
        )
    )


async def amend(
    ctx: ActionContext, agreement_id: uuid.UUID, data: AgreementAmend
) -> SupervisionAgreement:
    """A party changes the terms: the earlier ones are kept, and both must sign again."""
    agreement = await readable(ctx, agreement_id)
    check_version(agreement, data.expected_version, what="supervision agreement")
    _open(agreement, "amend")
    given = data.model_dump(include=set(TERMS), exclude_none=True)
    if data.open_ended:
        given["ends_on"] = None
    changed = {k: v for k, v in given.items() if getattr(agreement, k) != v}
    if not changed:
        return agreement
    _check_end(
        changed.get("starts_on", agreement.starts_on), given.get("ends_on", agreement.ends_on)
    )
    signatures = ("signed_by_peer_at", "signed_by_supervisor_at")
    earlier = _terms(agreement, *TERMS, *signatures)
    agreement = await apply_change(
        ctx,
        agreement,
        expected_version=data.expected_version,
        values={**changed, "signed_by_peer_at": None, "signed_by_supervisor_at": None},
        change=Change(
            "agreement.amended",
            ENTITY,
            event_type="supervision_agreement.amended",
            event_payload={"agreement_id": str(agreement.id), "changed": sorted(changed)},
        ),
        snapshot=_snapshot,
    )
    await _amendment(ctx, agreement, AmendmentKind.AMENDED, earlier, data.reason)
    return agreement


async def sign(
    ctx: ActionContext, agreement_id: uuid.UUID, data: Signature
) -> SupervisionAgreement:
    """The caller signs for their own side; with both signatures the agreement is active."""
    agreement = await readable(ctx, agreement_id)
    check_version(agreement, data.expected_version, what="supervision agreement")
    _open(agreement, "sign")
    principal = ctx.principal
    as_peer = principal.has(Role.APPLICANT) and agreement.peer_applicant_id == principal.subject
    side, other = (
        ("signed_by_peer_at", "signed_by_supervisor_at")
        if as_peer
        else ("signed_by_supervisor_at", "signed_by_peer_at")
    )
    if getattr(agreement, side) is not None:
        raise AlreadySigned("you have already signed this agreement", field=side)
    if not as_peer:
        # Entering the agreement is the supervisor's signature: they must qualify today.
        require_qualified(await _supervisor(ctx, agreement.supervisor_id), ctx.today, ctx.policy)
    completes = getattr(agreement, other) is not None
    if completes:
        repository = AgreementRepository(ctx.session)
        await repository.lock_peer(agreement.peer_applicant_id)
        clash = await repository.overlapping(agreement, last_day(agreement))
        if clash is not None:
            raise AgreementActiveElsewhere(
                f"agreement {clash.id} with the same peer and employer is signed for days this "
                "one covers; terminate or amend it first",
                field="agreement_id",
            )
    return await apply_change(
        ctx,
        agreement,
        expected_version=data.expected_version,
        values={side: ctx.now},
        change=Change(
            "agreement.signed",
            ENTITY,
            event_type="supervision_agreement.signed",
            event_payload={
                "agreement_id": str(agreement.id),
                "peer_applicant_id": agreement.peer_applicant_id,
                "supervisor_id": agreement.supervisor_id,
                "side": "peer" if as_peer else "supervisor",
                "signed_by_both": completes,
            },
        ),
        snapshot=_snapshot,
    )


async def terminate(
    ctx: ActionContext, agreement_id: uuid.UUID, data: Termination
) -> SupervisionAgreement:
    """A party or staff end the agreement on a day, saying why (an amendment, kept)."""
    agreement = await readable(ctx, agreement_id)
    check_version(agreement, data.expected_version, what="supervision agreement")
    _open(agreement, "terminate")
    if data.terminated_on < agreement.starts_on:
        raise InvalidInput("termination cannot precede the start", field="terminated_on")
    if agreement.ends_on is not None and data.terminated_on > agreement.ends_on:
        raise InvalidInput("the agreement ends before that day", field="terminated_on")
    earlier = _terms(agreement, "terminated_on", "termination_reason")
    agreement = await apply_change(
        ctx,
        agreement,
        expected_version=data.expected_version,
        values={
            "terminated_on": data.terminated_on,
            "termination_reason": data.reason,
            "terminated_by": ctx.actor,
            "terminated_at": ctx.now,
        },
        change=Change(
            "agreement.terminated",
            ENTITY,
            event_type="supervision_agreement.terminated",
            event_payload={
                "agreement_id": str(agreement.id),
                "terminated_on": data.terminated_on.isoformat(),
            },
        ),
        snapshot=_snapshot,
    )
    await _amendment(ctx, agreement, AmendmentKind.TERMINATED, earlier, data.reason)
    return agreement


async def refuse_deletion(ctx: ActionContext, agreement_id: uuid.UUID) -> None:
    """Agreements are never deleted: kept at least the policy's years after they end."""
    await readable(ctx, agreement_id)
    years = ctx.policy.records_retention_years
    kept = f"at least {years} years after it ends" if years else "for good"
    raise AgreementRetained(
        f"supervision agreements are never deleted (kept {kept}); terminate it instead",
        field="agreement_id",
    )
