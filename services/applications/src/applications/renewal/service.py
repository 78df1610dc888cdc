"""Renewing a certification: what it takes today (the view) and the renewal itself.

The holder (or staff for them) renews inside the window, late while lapsed, or by
reinstatement once expired; the period always extends from the old valid-through day. Every
unmet condition is refused at once, listed: the attestations, the fees recorded and unused,
and the CE the policy makes a condition (CA's ledger; all accrued CE to reinstate under MT).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from applications.application.models import Application
from applications.ce.sums import LedgerSums
from applications.ce_audit import service as ce_audit
from applications.certification import notices
from applications.certification.models import Certification
from applications.certification.models import snapshot as certification_snapshot
from applications.certification.repository import CertificationRepository, StandingRepository
from applications.certification.rules import CertificationStatus
from applications.certification.views import standing_of
from applications.context import ActionContext
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, send_notices
from applications.payment.models import Payment
from applications.renewal import rules
from applications.renewal.ce_rules import (
    CeProgress,
    CeRecord,
    ce_progress,
    format_hours,
    still_needed_from,
)
from applications.renewal.models import Renewal, RenewalKind, snapshot
from applications.renewal.repository import RenewalRepository
from applications.renewal.schemas import RenewalRequest
from applications.renewal.terms import FeeDue, RenewalTerms, renewal_terms
from certboard_core.audit import record_audit
from certboard_core.errors import Conflict, ErrorReason, NotFound
from certboard_core.versioned import Change, VersionConflict, apply_change, check_version

RENEWED_EVENT = "certification.renewed"
KINDS = {
    "RENEWAL_OPEN": RenewalKind.ON_TIME,
    "RENEWAL_LATE": RenewalKind.LATE,
    "REINSTATEMENT": RenewalKind.REINSTATEMENT,
}


class RenewalRefused(Conflict):
    """The certification cannot be renewed today; ``code`` says why, ``reasons`` list all."""

    code = "RENEWAL_REFUSED"


@dataclass(frozen=True)
class Assessment:
    """What renewing one certification takes today, and what it has."""

    certification: Certification
    standing: rules.Standing
    terms: RenewalTerms
    # The CE of the cycle the current period closes, carry-over included.
    ce: CeProgress
    # A reinstatement's missing hours over every cycle since the period ended; else None.
    accrued_still_needed: int | None
    fees: list[tuple[FeeDue, Payment | None]]


async def certification_of(
    ctx: ActionContext, certification_id: uuid.UUID
) -> tuple[Application, Certification]:
    """The certification and its application, if the caller may read it (its holder, or
    staff); else NOT_FOUND."""
    repository = CertificationRepository(ctx.session)
    certification = await repository.readable(ctx.principal, certification_id)
    if certification is None:
        raise NotFound("no such certification", field="certification_id")
    application = await StandingRepository(ctx.session).application(certification.application_id)
    assert application is not None  # a certification's application is never deleted
    return application, certification


async def assess(ctx: ActionContext, certification: Certification) -> Assessment:
    """The standing, the terms, the CE and the fees of renewing ``certification`` today."""
    policy, issued_on = ctx.policy, certification.issued_on
    standing = standing_of(certification.model_dump(), ctx.today, policy)
    terms = renewal_terms(standing, policy)
    repository = RenewalRepository(ctx.session)
    counted = await LedgerSums(ctx.session).counted_hours([certification.id])
    records = [
        CeRecord(c.completed_on, c.hours, c.category) for c in counted.get(certification.id, [])
    ]
    closing = rules.cycle_containing(issued_on, certification.valid_through, policy).number
    accrued = None
    if terms.all_accrued_ce:
        # Every full cycle missed: the one that ended and each since, before today's.
        through = max(closing, rules.cycle_containing(issued_on, ctx.today, policy).number - 1)
        progress = ce_progress(records, issued_on, through, policy)
        accrued = still_needed_from(progress, closing)
    else:
        progress = ce_progress(records, issued_on, closing, policy)
    unused = await repository.unused_fees(certification.application_id)
    fees: list[tuple[FeeDue, Payment | None]] = []
    for due in terms.fees:
        paid = _paying(unused, due)
        if paid is not None:
            unused.remove(paid)
        fees.append((due, paid))
    return Assessment(certification, standing, terms, progress[closing], accrued, fees)


def _paying(unused: list[Payment], due: FeeDue) -> Payment | None:
    """The first unused payment of the fee's kind that covers its amount."""
    return next(
        (
            p
            for p in unused
            if p.kind.value == due.kind.value and p.amount_cents >= due.amount_cents
        ),
        None,
    )


def unmet(assessment: Assessment, request: RenewalRequest) -> list[ErrorReason]:
    """Every condition of the renewal not met, in the order a person would fix them."""
    reasons = []
    if not request.ce_attested:
        reasons.append(_reason("CE_NOT_ATTESTED", "attest to the CE hours", "ce_attested"))
    if not request.code_of_ethics_signed:
        reasons.append(
            _reason("ETHICS_NOT_SIGNED", "sign the Code of Ethics again", "code_of_ethics_signed")
        )
    for due, paid in assessment.fees:
        if paid is None:
            amount = f" of {due.amount_cents / 100:.2f}" if due.amount_cents else ""
            reasons.append(
                _reason("FEE_NOT_PAID", f"the {due.kind.value} fee{amount} is not recorded", "fees")
            )
    ce = assessment.ce
    if assessment.terms.ce_proof_required and not ce.met:
        missing = [
            f"{format_hours(c.still_needed_hundredths)} h of {c.category.value.replace('_', ' ')}"
            for c in ce.categories
            if c.still_needed_hundredths
        ]
        detail = f" (including {', '.join(missing)})" if missing else ""
        reasons.append(
            _reason(
                "CE_HOURS_MISSING",
                f"the CE ledger is {format_hours(ce.still_needed_hundredths)} h short{detail}",
                "ce",
            )
        )
    if assessment.accrued_still_needed:
        hours = format_hours(assessment.accrued_still_needed)
        reasons.append(
            _reason(
                "ACCRUED_CE_MISSING", f"reinstatement needs every cycle's CE: {hours} h short", "ce"
            )
        )
    return reasons


def _reason(code: str, message: str, field: str) -> ErrorReason:
    return ErrorReason(code=code, message=message, field=field)


async def renew(
    ctx: ActionContext, certification_id: uuid.UUID, request: RenewalRequest
) -> Renewal:
    """Renew the application's certification, or refuse with every reason it cannot."""
    application, certification = await certification_of(ctx, certification_id)
    check_version(certification, request.expected_version, what="certification")
    assessment = await assess(ctx, certification)
    terms = assessment.terms
    if not terms.allowed:
        raise RenewalRefused(terms.message, code=terms.code, field="status")
    reasons = unmet(assessment, request)
    if reasons:
        raise RenewalRefused(
            "the certification cannot be renewed yet: " + "; ".join(r.message for r in reasons),
            field=reasons[0].field,
            reasons=reasons,
        )
    renewal = await _record(ctx, assessment, request)
    await apply_change(
        ctx,
        certification,
        expected_version=request.expected_version,
        values={"valid_through": renewal.valid_through, "status": CertificationStatus.ACTIVE},
        change=Change(
            RENEWED_EVENT,
            "certification",
            event_type=RENEWED_EVENT,
            event_payload={
                "certification_id": str(certification.id),
                "number": certification.number,
                "application_id": str(certification.application_id),
                "applicant_id": certification.applicant_id,
                "kind": renewal.kind.value,
                "previous_valid_through": renewal.previous_valid_through.isoformat(),
                "valid_through": renewal.valid_through.isoformat(),
                "audit_required": renewal.audit_required,
            },
        ),
        snapshot=certification_snapshot,
    )
    if renewal.audit_required:
        await ce_audit.mandatory(ctx, renewal)
    subject, body = notices.renewed(
        certification.number, renewal.valid_through, renewal.audit_required
    )
    notice = Notice(NotificationReason.RENEWED, subject, body, once_per=str(renewal.id))
    await send_notices(
        ctx.session,
        [(Addressee(application.id, application.email), notice)],
        actor=ctx.actor,
        at=ctx.now,
        today=ctx.today,
        outbox=ctx.outbox,
    )
    return renewal


async def _record(ctx: ActionContext, assessment: Assessment, request: RenewalRequest) -> Renewal:
    """Store the renewal and mark its fees used, audited; a racing renewal of the same period
    is refused as a version conflict."""
    certification, ce = assessment.certification, assessment.ce
    renewal = Renewal(
        certification_id=certification.id,
        kind=KINDS[assessment.terms.code],
        renewed_on=ctx.today,
        previous_valid_through=certification.valid_through,
        valid_through=rules.valid_through_after_renewal(
            certification.valid_through, ctx.today, ctx.policy
        ),
        ce_attested=request.ce_attested,
        code_of_ethics_signed=request.code_of_ethics_signed,
        ce_earned_hundredths=ce.earned_hundredths,
        ce_still_needed_hundredths=ce.still_needed_hundredths,
        fees_cents=sum(paid.amount_cents for _, paid in assessment.fees if paid is not None),
        audit_required=assessment.terms.mandatory_audit,
        created_by=ctx.actor,
        created_at=ctx.now,
    )
    repository = RenewalRepository(ctx.session)
    paid = [p.id for _, p in assessment.fees if p is not None]
    if not await repository.add(renewal) or await repository.use_fees(paid, renewal.id) < len(paid):
        raise VersionConflict(
            "the certification was renewed at the same moment; reload it", field="expected_version"
        )
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="renewal.recorded",
        entity_type="certification_renewal",
        entity_id=str(renewal.id),
        before=None,
        after=snapshot(renewal) | {"fees": [str(p) for p in paid]},
        at=ctx.now,
    )
    return renewal
