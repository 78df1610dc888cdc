"""Staff and applicant actions that move an application: guarded, versioned, audited, published."""

from __future__ import annotations

import uuid
from typing import Any

from applications import rules
from applications.application.context import ActionContext
from applications.application.lifecycle import Action, ApplicationStatus, next_status
from applications.application.models import Application, BackgroundCheck, RevisionRequest, snapshot
from applications.application.repository import ApplicationRepository
from applications.application.schemas import (
    BackgroundCheckResult,
    Decision,
    Denial,
    RevisionRequestCreate,
)
from applications.application.views import status_of
from applications.clients import SupervisionClient
from applications.notification import templates
from applications.notification.models import NotificationReason
from applications.notification.service import Notice, send_notice
from applications.payment.models import FeeKind
from applications.payment.service import has_paid
from applications.sweep.service import Closed, record_closures
from certboard_core.audit import record_audit
from certboard_core.auth import Role
from certboard_core.errors import Conflict, InvalidInput, NotFound

S = ApplicationStatus


class StaleVersion(Conflict):
    code = "VERSION_CONFLICT"


class RevisionWouldVoid(Conflict):
    code = "REVISION_WOULD_VOID"


class ApprovalRequirementUnmet(Conflict):
    code = "APPROVAL_REQUIREMENT_UNMET"


async def load(ctx: ActionContext, application_id: uuid.UUID) -> Application:
    """The application, if the caller may see it: staff any, an applicant their own."""
    application = await ApplicationRepository(ctx.session).get(application_id)
    visible = application is not None and (
        ctx.principal.has(Role.STAFF)
        or (ctx.principal.has(Role.APPLICANT) and application.applicant_id == ctx.principal.subject)
    )
    if application is None or not visible:
        raise NotFound("no such application", field="application_id")
    return application


def _check_version(application: Application, expected: int) -> None:
    if application.version != expected:
        raise StaleVersion(
            f"the application changed since you read it (you have version {expected}, "
            f"it is now {application.version}); reload and try again",
            field="expected_version",
        )


async def _move(
    ctx: ActionContext,
    application: Application,
    *,
    action: Action | None,
    expected_version: int,
    values: dict[str, Any] | None = None,
    event: dict[str, Any] | None = None,
    target: ApplicationStatus | None = None,
    audit_action: str | None = None,
) -> None:
    """Apply one change if the state and the version allow it, audited; publish ``event``.

    ``action`` moves the status by the lifecycle's table; without one, ``target`` (or no
    status change at all) is applied as given.
    """
    if action is not None:
        target = next_status(action, status_of(application, ctx.today))
    _check_version(application, expected_version)
    before = snapshot(application)
    changes = {**(values or {}), **({"status": target} if target is not None else {})}
    repository = ApplicationRepository(ctx.session)
    if not await repository.update_versioned(application.id, expected_version, changes):
        raise StaleVersion(
            "the application was changed at the same moment; reload and try again",
            field="expected_version",
        )
    await repository.refresh(application)
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action=audit_action or f"application.{target.value if target else 'updated'}",
        entity_type="application",
        entity_id=str(application.id),
        before=before,
        after=snapshot(application),
        at=ctx.now,
    )
    if event is not None and target is not None:
        await ctx.outbox.publish(
            ctx.session,
            type=f"application.{target.value}",
            aggregate_type="application",
            aggregate_id=str(application.id),
            payload={
                "application_id": str(application.id),
                "applicant_id": application.applicant_id,
                **event,
            },
            at=ctx.now,
        )


async def _notify(ctx: ActionContext, application: Application, notice: Notice) -> None:
    await send_notice(
        ctx.session,
        application=application,
        notice=notice,
        actor=ctx.actor,
        at=ctx.now,
        today=ctx.today,
        outbox=ctx.outbox,
    )


async def start_review(
    ctx: ActionContext, application_id: uuid.UUID, expected_version: int
) -> Application:
    """Staff take the application up."""
    application = await load(ctx, application_id)
    await _move(
        ctx, application, action=Action.START_REVIEW, expected_version=expected_version, event={}
    )
    return application


async def request_revision(
    ctx: ActionContext, application_id: uuid.UUID, data: RevisionRequestCreate
) -> Application:
    """Staff ask for what is missing; after the 90-day hold this voids it, once confirmed."""
    application = await load(ctx, application_id)
    current = status_of(application, ctx.today)
    hold_over = rules.is_past(application.last_day_to_complete, ctx.today)
    if hold_over and current in (S.SUBMITTED, S.UNDER_REVIEW, S.RESUBMITTED):
        if not data.confirm_void:
            raise RevisionWouldVoid(
                f"the 90-day hold ended on {application.last_day_to_complete.isoformat()}: a "
                "revision request now voids the application and forfeits its fees. Send "
                "confirm_void=true to go ahead.",
                field="confirm_void",
            )
        await _move(
            ctx,
            application,
            action=None,
            target=S.VOID,
            expected_version=data.expected_version,
            values={"closed_at": ctx.now},
        )
        closed = Closed(
            application.id,
            application.applicant_id,
            application.email,
            application.version,
            application.last_day_to_complete,
            None,
        )
        # Audited by the move above; the rest (fees, event, notice) is what every void does.
        await record_closures(
            ctx.session,
            [closed],
            source=current,
            target=S.VOID,
            actor=ctx.actor,
            now=ctx.now,
            today=ctx.today,
            outbox=ctx.outbox,
            audit=False,
        )
        return application
    repository = ApplicationRepository(ctx.session)
    await repository.resolve_open_revisions(application.id, ctx.now)
    await _move(
        ctx,
        application,
        action=Action.REQUEST_REVISION,
        expected_version=data.expected_version,
        event={"items": [i.value for i in data.items]},
    )
    repository.add(
        RevisionRequest(
            application_id=application.id,
            items=[i.value for i in data.items],
            note=data.note,
            requested_by=ctx.actor,
            requested_at=ctx.now,
        )
    )
    await ctx.session.flush()
    await _notify(
        ctx,
        application,
        Notice(
            NotificationReason.REVISION_REQUESTED,
            *templates.revision_requested(
                [i.value for i in data.items], data.note, application.last_day_to_complete
            ),
        ),
    )
    return application


async def resubmit(
    ctx: ActionContext, application_id: uuid.UUID, expected_version: int
) -> Application:
    """The applicant sends the application back after fixing what was asked."""
    application = await load(ctx, application_id)
    await _move(
        ctx, application, action=Action.RESUBMIT, expected_version=expected_version, event={}
    )
    await ApplicationRepository(ctx.session).resolve_open_revisions(application.id, ctx.now)
    return application


async def _unmet_requirements(
    ctx: ActionContext, application: Application, supervision: SupervisionClient
) -> list[tuple[str, str]]:
    unmet: list[tuple[str, str]] = []
    if not await has_paid(ctx.session, application.id, FeeKind.APPLICATION):
        unmet.append(("application_fee", "the application fee has not been recorded"))
    policy = ctx.policy
    if policy.requires_recovery_attestations and not (
        application.recovery_two_years_attested and application.diagnosis_treatment_attested
    ):
        unmet.append(("attestation", "the recovery attestations are missing"))
    if (
        policy.requires_background_check
        and application.background_check is not BackgroundCheck.PASSED
    ):
        unmet.append(
            ("background_check", "the fingerprint background check is not verified as passed")
        )
    if policy.requires_supervision_agreement and not await supervision.has_active_agreement(
        application.applicant_id, ctx.today
    ):
        unmet.append(
            (
                "supervision_agreement",
                "there is no active supervision agreement signed by both sides",
            )
        )
    return unmet


async def approve(
    ctx: ActionContext, application_id: uuid.UUID, data: Decision, supervision: SupervisionClient
) -> Application:
    """Staff approve: valid for the approval period from today."""
    application = await load(ctx, application_id)
    next_status(Action.APPROVE, status_of(application, ctx.today))
    _check_version(application, data.expected_version)
    unmet = await _unmet_requirements(ctx, application, supervision)
    if unmet:
        raise ApprovalRequirementUnmet(
            "cannot approve yet: " + "; ".join(message for _, message in unmet),
            field=unmet[0][0],
        )
    valid_through = rules.valid_through(ctx.now, ctx.policy)
    cutoff = rules.exam_request_cutoff(valid_through, ctx.policy)
    await _move(
        ctx,
        application,
        action=Action.APPROVE,
        expected_version=data.expected_version,
        values={
            "approved_at": ctx.now,
            "decided_at": ctx.now,
            "valid_through": valid_through,
            "decision_reason": data.reason,
        },
        event={
            "valid_through": valid_through.isoformat(),
            "exam_request_cutoff": cutoff.isoformat(),
        },
    )
    await _notify(
        ctx,
        application,
        Notice(NotificationReason.APPROVED, *templates.approved(valid_through, cutoff)),
    )
    return application


async def deny(ctx: ActionContext, application_id: uuid.UUID, data: Denial) -> Application:
    """Staff deny, with the reason recorded and sent (a case-by-case decision)."""
    application = await load(ctx, application_id)
    await _move(
        ctx,
        application,
        action=Action.DENY,
        expected_version=data.expected_version,
        values={"decided_at": ctx.now, "closed_at": ctx.now, "decision_reason": data.reason},
        event={"reason": data.reason},
    )
    await _notify(
        ctx, application, Notice(NotificationReason.DENIED, *templates.denied(data.reason))
    )
    return application


async def withdraw(
    ctx: ActionContext, application_id: uuid.UUID, expected_version: int
) -> Application:
    """The applicant withdraws their own application."""
    application = await load(ctx, application_id)
    if application.applicant_id != ctx.principal.subject:
        raise NotFound("no such application", field="application_id")
    await _move(
        ctx,
        application,
        action=Action.WITHDRAW,
        expected_version=expected_version,
        values={"closed_at": ctx.now},
        event={},
    )
    await _notify(ctx, application, Notice(NotificationReason.WITHDRAWN, *templates.withdrawn()))
    return application


async def verify_background_check(
    ctx: ActionContext, application_id: uuid.UUID, data: BackgroundCheckResult
) -> Application:
    """Staff record the fingerprint background check's result, with who and when."""
    application = await load(ctx, application_id)
    if data.result is BackgroundCheck.NOT_VERIFIED:
        raise InvalidInput("record passed or failed", field="result")
    if status_of(application, ctx.today) not in (
        S.SUBMITTED,
        S.UNDER_REVIEW,
        S.INCOMPLETE,
        S.RESUBMITTED,
    ):
        raise Conflict(
            f"the application is {status_of(application, ctx.today).value}", field="status"
        )
    await _move(
        ctx,
        application,
        action=None,
        expected_version=data.expected_version,
        values={
            "background_check": data.result,
            "background_check_by": ctx.actor,
            "background_check_at": ctx.now,
            "background_check_note": data.note,
        },
        audit_action="application.background_check_recorded",
    )
    return application


async def send_status_message(
    ctx: ActionContext, application_id: uuid.UUID, subject: str, body: str
) -> Application:
    """Staff tell the applicant where things stand (counts as a notice)."""
    application = await load(ctx, application_id)
    await _notify(ctx, application, Notice(NotificationReason.STATUS_MESSAGE, subject, body))
    return application
