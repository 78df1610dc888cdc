"""CE audits: drawn at random once renewals close (the seed recorded), mandatory for a
reinstatement; the holder sends proof, staff accept it or find it deficient, a first
deficiency gets a cure period, and what is still deficient or never came goes to staff for
action."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence

from applications.application.models import Application
from applications.ce.service import Proof
from applications.ce_audit import rules
from applications.ce_audit.models import AuditDraw, CeAudit, snapshot
from applications.ce_audit.repository import AuditRepository
from applications.ce_audit.rules import AuditOutcome, AuditStatus
from applications.ce_audit.schemas import AuditDecision, DrawRequest
from applications.certification.models import Certification
from applications.context import ActionContext
from applications.errors import TransitionNotAllowed
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, send_notices
from applications.renewal.models import Renewal
from certboard_core.audit import AuditEntry, record_audits
from certboard_core.errors import Conflict, InvalidInput, NotFound
from certboard_core.storage import DocumentStore, files_removed_on_failure
from certboard_core.versioned import Change, apply_change, check_version

OPENED_EVENT = "ce_audit.opened"


class AuditPeriodOpen(Conflict):
    """Renewals of those periods may still come (the lapse grace is not over)."""

    code = "AUDIT_PERIOD_OPEN"


async def readable(ctx: ActionContext, audit_id: uuid.UUID) -> CeAudit:
    """The audit, if the caller may read it (its holder, or staff); else NOT_FOUND."""
    found = await AuditRepository(ctx.session).get_readable(ctx.principal, audit_id)
    if found is None:
        raise NotFound("no such CE audit", field="audit_id")
    return found


async def draw(ctx: ActionContext, request: DrawRequest) -> tuple[AuditDraw, list[CeAudit]]:
    """Draw the policy's share of the renewals of periods that ended in the span asked."""
    if request.periods_to < request.periods_from:
        raise InvalidInput("the span ends before it starts", field="periods_to")
    closes = rules.due_on(request.periods_to, ctx.policy.lapse_grace_days)
    if ctx.today <= closes:
        raise AuditPeriodOpen(
            f"renewals of periods ending by {request.periods_to} are possible through {closes}",
            field="periods_to",
        )
    repository = AuditRepository(ctx.session)
    population = await repository.unaudited_renewals(request.periods_from, request.periods_to)
    seed = secrets.randbits(63) if request.seed is None else request.seed
    chosen = rules.draw(population, ctx.policy.audit_share_percent, seed)
    made = AuditDraw(
        periods_from=request.periods_from,
        periods_to=request.periods_to,
        seed=seed,
        share_percent=ctx.policy.audit_share_percent,
        population=len(population),
        selected=len(chosen),
        drawn_by=ctx.actor,
        drawn_at=ctx.now,
    )
    await repository.add(made)
    audits = await _open(ctx, chosen, draw_id=made.id)
    return made, audits


async def mandatory(ctx: ActionContext, renewal: Renewal) -> CeAudit:
    """The audit a reinstatement always gets."""
    (audit,) = await _open(ctx, [renewal.id], draw_id=None)
    return audit


async def _open(
    ctx: ActionContext, renewal_ids: Sequence[uuid.UUID], *, draw_id: uuid.UUID | None
) -> list[CeAudit]:
    """Open an audit per renewal, audited, published, and told to each holder."""
    repository = AuditRepository(ctx.session)
    parties = await repository.addressees(renewal_ids)
    due = rules.due_on(ctx.today, ctx.policy.audit_proof_days)
    audits = [
        CeAudit(
            renewal_id=renewal_id,
            certification_id=parties[renewal_id][0].id,
            applicant_id=parties[renewal_id][0].applicant_id,
            draw_id=draw_id,
            status=AuditStatus.AWAITING_PROOF,
            proof_due_on=due,
            due_on=due,
            created_at=ctx.now,
        )
        for renewal_id in renewal_ids
    ]
    await repository.add(*audits)
    entries = [
        AuditEntry(ctx.actor, "ce_audit.opened", "ce_audit", str(a.id), None, snapshot(a))
        for a in audits
    ]
    await record_audits(ctx.session, entries, at=ctx.now)
    for audit in audits:
        await ctx.outbox.publish(
            ctx.session,
            type=OPENED_EVENT,
            aggregate_type="ce_audit",
            aggregate_id=str(audit.id),
            payload={
                "audit_id": str(audit.id),
                "certification_id": str(audit.certification_id),
                "applicant_id": audit.applicant_id,
                "proof_due_on": audit.proof_due_on.isoformat(),
                "drawn": draw_id is not None,
            },
            at=ctx.now,
        )
    await send_notices(
        ctx.session,
        [_selected(a, *parties[a.renewal_id]) for a in audits],
        actor=ctx.actor,
        at=ctx.now,
        today=ctx.today,
        outbox=ctx.outbox,
    )
    return audits


def _selected(
    audit: CeAudit, certification: Certification, application: Application
) -> tuple[Addressee, Notice]:
    body = (
        f"Your renewal of certificate {certification.number} was selected for a continuing "
        f"education audit. Send proof of the CE hours you attested to by "
        f"{audit.proof_due_on.isoformat()}."
    )
    notice = Notice(NotificationReason.CE_AUDIT, "Your CE audit", body, once_per=str(audit.id))
    return Addressee(application.id, application.email), notice


async def submit_proof(
    ctx: ActionContext, audit_id: uuid.UUID, proof: Proof, store: DocumentStore
) -> CeAudit:
    """The holder sends proof (or, in the cure period, better proof) for staff to review."""
    audit = await readable(ctx, audit_id)
    if audit.status not in rules.WAITING_ON_HOLDER:
        raise TransitionNotAllowed.naming_state(
            "send proof for an audit",
            audit.status.value,
            [s.value for s in rules.WAITING_ON_HOLDER],
        )
    async with files_removed_on_failure(store) as saved:
        key = await store.save(proof.document.data)
        saved.append(key)
        return await apply_change(
            ctx,
            audit,
            expected_version=audit.version,
            values={
                "status": AuditStatus.PROOF_SUBMITTED,
                "due_on": ctx.today,
                "proof_storage_key": key,
                "proof_content_type": proof.document.content_type,
                "proof_sha256": proof.document.sha256,
                "proof_name": proof.name,
                "proof_received_at": ctx.now,
            },
            change=Change("ce_audit.proof_submitted", "ce_audit"),
            snapshot=snapshot,
        )


async def proof_content(
    ctx: ActionContext, audit_id: uuid.UUID, store: DocumentStore
) -> tuple[CeAudit, bytes]:
    """The proof sent for an audit, for its holder or staff."""
    audit = await readable(ctx, audit_id)
    if audit.proof_storage_key is None:
        raise NotFound("no proof was sent for this CE audit", field="audit_id")
    return audit, await store.read(audit.proof_storage_key)


async def decide(ctx: ActionContext, audit_id: uuid.UUID, decision: AuditDecision) -> CeAudit:
    """Staff's finding: accepted; deficient (a cure period, or referred after one); or
    referred outright once the holder let the day pass."""
    audit = await readable(ctx, audit_id)
    check_version(audit, decision.expected_version, what="CE audit")
    late = rules.overdue(audit.status, audit.proof_due_on, audit.cure_due_on, ctx.today)
    submitted = audit.status is AuditStatus.PROOF_SUBMITTED
    if not (submitted or (late and decision.outcome is AuditOutcome.REFERRED)):
        raise TransitionNotAllowed(
            f"a {audit.status.value.replace('_', ' ')} audit cannot be found "
            f"{decision.outcome.value} (proof must be submitted, or its day passed to refer)",
            field="status",
        )
    status = rules.after_review(decision.outcome, audit.cure_due_on)
    values: dict[str, object] = {
        "status": status,
        "reviewed_by": ctx.actor,
        "reviewed_at": ctx.now,
        "review_reason": decision.reason,
    }
    if status is AuditStatus.DEFICIENT:
        cure = rules.due_on(ctx.today, ctx.policy.audit_cure_days)
        values |= {"cure_due_on": cure, "due_on": cure}
    return await apply_change(
        ctx,
        audit,
        expected_version=decision.expected_version,
        values=values,
        change=Change(
            f"ce_audit.{status.value}",
            "ce_audit",
            event_type=f"ce_audit.{status.value}",
            event_payload={"audit_id": str(audit.id), "applicant_id": audit.applicant_id},
        ),
        snapshot=snapshot,
    )
