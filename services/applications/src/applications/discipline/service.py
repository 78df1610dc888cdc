"""Complaints and discipline: filed by anyone, taken up and decided by staff, each step
audited; a decision's effect on the certification applies at once, the holder is told, and
an appeal window is recorded."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from applications.ce.service import Proof
from applications.certification.models import Certification
from applications.certification.models import snapshot as certification_snapshot
from applications.certification.public import certification_numbered
from applications.certification.repository import CertificationRepository, StandingRepository
from applications.certification.rules import CertificationStatus
from applications.context import ActionContext
from applications.discipline import rules
from applications.discipline.models import Complaint, ComplaintAttachment, snapshot
from applications.discipline.repository import ComplaintRepository
from applications.discipline.rules import EFFECT, PUBLIC, ComplaintStatus, DisciplineOutcome
from applications.discipline.schemas import DecisionPublic, DecisionRequest, Investigation
from applications.errors import TransitionNotAllowed
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, send_notices
from certboard_core.audit import record_audit
from certboard_core.errors import InvalidInput, NotFound
from certboard_core.storage import DocumentStore, files_removed_on_failure
from certboard_core.versioned import Change, apply_change, check_version

RECEIVED_EVENT = "complaint.received"
DISCIPLINED_EVENT = "certification.disciplined"
OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.INVESTIGATING)


async def file_complaint(
    ctx: ActionContext,
    *,
    number: str,
    description: str,
    name: str | None,
    email: str | None,
    proofs: Sequence[Proof],
    store: DocumentStore,
) -> Complaint:
    """Record a complaint against the holder of ``number``, from anyone."""
    certification = await certification_numbered(ctx.session, number, field="certificate_number")
    complaint = Complaint(
        certification_id=certification.id,
        description=description,
        complainant_name=name,
        complainant_email=email,
        filed_by=ctx.actor,
        received_at=ctx.now,
        status=ComplaintStatus.RECEIVED,
    )
    async with files_removed_on_failure(store) as saved:
        attachments = []
        for proof in proofs:
            key = await store.save(proof.document.data)
            saved.append(key)
            attachments.append(
                ComplaintAttachment(
                    complaint_id=complaint.id,
                    storage_key=key,
                    content_type=proof.document.content_type,
                    sha256=proof.document.sha256,
                    name=proof.name,
                    size_bytes=len(proof.document.data),
                )
            )
        await ComplaintRepository(ctx.session).add(complaint, attachments)
        await record_audit(
            ctx.session,
            actor=ctx.actor,
            action=RECEIVED_EVENT,
            entity_type="complaint",
            entity_id=str(complaint.id),
            before=None,
            after=snapshot(complaint),
            at=ctx.now,
        )
        await ctx.outbox.publish(
            ctx.session,
            type=RECEIVED_EVENT,
            aggregate_type="complaint",
            aggregate_id=str(complaint.id),
            payload={"complaint_id": str(complaint.id), "certification_id": str(certification.id)},
            at=ctx.now,
        )
    return complaint


async def complaint(ctx: ActionContext, complaint_id: uuid.UUID) -> Complaint:
    found = await ComplaintRepository(ctx.session).get(complaint_id)
    if found is None:
        raise NotFound("no such complaint", field="complaint_id")
    return found


async def attachment_content(
    ctx: ActionContext, complaint_id: uuid.UUID, attachment_id: uuid.UUID, store: DocumentStore
) -> tuple[ComplaintAttachment, bytes]:
    """One file sent with a complaint, for staff."""
    found = await ComplaintRepository(ctx.session).attachment(complaint_id, attachment_id)
    if found is None:
        raise NotFound("no such attachment", field="attachment_id")
    return found, await store.read(found.storage_key)


async def take_up(ctx: ActionContext, complaint_id: uuid.UUID, body: Investigation) -> Complaint:
    """Staff start investigating a received complaint."""
    found = await complaint(ctx, complaint_id)
    if found.status is not ComplaintStatus.RECEIVED:
        raise TransitionNotAllowed.naming_state(
            "take up a complaint", found.status.value, ["received"]
        )
    return await apply_change(
        ctx,
        found,
        expected_version=body.expected_version,
        values={
            "status": ComplaintStatus.INVESTIGATING,
            "investigator": ctx.actor,
            "investigation_note": body.note,
            "investigation_started_at": ctx.now,
        },
        change=Change("complaint.investigating", "complaint"),
        snapshot=snapshot,
    )


async def decide(ctx: ActionContext, complaint_id: uuid.UUID, body: DecisionRequest) -> Complaint:
    """Staff decide a complaint: its effect on the certification applies at once, the holder is
    told, and the appeal window runs from today."""
    found = await complaint(ctx, complaint_id)
    if found.status not in OPEN:
        raise TransitionNotAllowed.naming_state(
            "decide a complaint", found.status.value, [s.value for s in OPEN]
        )
    check_version(found, body.expected_version, what="complaint")
    certification = await _certification(ctx, found.certification_id)
    problem = rules.check_decision(
        body.outcome,
        ends_on=body.ends_on,
        conditions=body.conditions,
        today=ctx.today,
        current=certification.status,
    )
    if problem is not None:
        raise InvalidInput(problem.message, field=problem.field)
    appeal_until = rules.appeal_until(ctx.today, ctx.policy.appeal_window_days)
    decided = await apply_change(
        ctx,
        found,
        expected_version=body.expected_version,
        values={
            "status": ComplaintStatus.DECIDED,
            "outcome": body.outcome,
            "reasons": body.reasons,
            "conditions": body.conditions,
            "ends_on": body.ends_on,
            "decided_on": ctx.today,
            "decided_by": ctx.actor,
            "decided_at": ctx.now,
            "appeal_until": appeal_until,
        },
        change=Change(f"complaint.{body.outcome.value}", "complaint"),
        snapshot=snapshot,
    )
    if body.outcome in EFFECT:
        await _apply_effect(ctx, certification, decided)
    elif body.outcome in PUBLIC:
        await _announce_probation(ctx, certification, decided)
    await _tell_holder(ctx, certification, decided)
    return decided


async def _certification(ctx: ActionContext, certification_id: uuid.UUID) -> Certification:
    found = await CertificationRepository(ctx.session).get(certification_id)
    assert found is not None  # a complaint is filed against an existing certification
    return found


def _disciplined(
    ctx: ActionContext,
    certification: Certification,
    decided: Complaint,
    status: CertificationStatus,
    through: date | None,
) -> dict[str, object]:
    """The payload of ``certification.disciplined``."""
    assert decided.outcome is not None
    return {
        "certification_id": str(certification.id),
        "number": certification.number,
        "applicant_id": certification.applicant_id,
        "complaint_id": str(decided.id),
        "outcome": decided.outcome.value,
        "status": status.value,
        "from": ctx.today.isoformat(),
        "through": through.isoformat() if through else None,
    }


async def _announce_probation(
    ctx: ActionContext, certification: Certification, decided: Complaint
) -> None:
    """Probation changes no status but is public discipline, so employers who enrolled the
    certification hear of it like a suspension (a letter of warning and a dismissal are not
    public, and are not published)."""
    await ctx.outbox.publish(
        ctx.session,
        type=DISCIPLINED_EVENT,
        aggregate_type="certification",
        aggregate_id=str(certification.id),
        payload=_disciplined(ctx, certification, decided, certification.status, decided.ends_on),
        at=ctx.now,
    )


async def _apply_effect(
    ctx: ActionContext, certification: Certification, decided: Complaint
) -> None:
    """Suspend, revoke or record the surrender: the status the decision leaves, audited and
    published for employers, exams, supervision and the credential's status list."""
    assert decided.outcome is not None
    status = EFFECT[decided.outcome]
    suspended_through = decided.ends_on if decided.outcome is DisciplineOutcome.SUSPENSION else None
    await apply_change(
        ctx,
        certification,
        expected_version=certification.version,
        values={"status": status, "suspended_through": suspended_through},
        change=Change(
            DISCIPLINED_EVENT,
            "certification",
            event_type=DISCIPLINED_EVENT,
            event_payload=_disciplined(ctx, certification, decided, status, suspended_through),
        ),
        snapshot=certification_snapshot,
    )


async def _tell_holder(
    ctx: ActionContext, certification: Certification, decided: Complaint
) -> None:
    assert decided.outcome is not None
    assert decided.appeal_until is not None
    application = await StandingRepository(ctx.session).application(certification.application_id)
    assert application is not None
    outcome = decided.outcome.value.replace("_", " ")
    until = f" through {decided.ends_on.isoformat()}" if decided.ends_on else ""
    body = (
        f"A complaint about certificate {certification.number} was decided: {outcome}{until}.\n\n"
        f"Reasons: {decided.reasons}\n\n"
        f"You may appeal this decision through {decided.appeal_until.isoformat()}."
    )
    notice = Notice(
        NotificationReason.DISCIPLINE_DECISION,
        "A decision about your certification",
        body,
        once_per=str(decided.id),
    )
    await send_notices(
        ctx.session,
        [(Addressee(application.id, application.email), notice)],
        actor=ctx.actor,
        at=ctx.now,
        today=ctx.today,
        outbox=ctx.outbox,
    )


def decision_public(decided: Complaint, today: date) -> DecisionPublic:
    assert decided.outcome is not None
    assert decided.decided_on
    assert decided.appeal_until
    return DecisionPublic(
        outcome=decided.outcome,
        reasons=decided.reasons or "",
        conditions=decided.conditions,
        ends_on=decided.ends_on,
        decided_on=decided.decided_on,
        appeal_until=decided.appeal_until,
        in_force=rules.in_force(decided.outcome, decided.ends_on, today),
    )
