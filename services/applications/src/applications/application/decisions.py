"""Staff decisions: approval with its requirements, denial, the background check."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.application.lifecycle import (
    OPEN,
    Action,
    ApplicationStatus,
    allows,
    next_status,
)
from applications.application.models import Application, BackgroundCheck
from applications.application.repository import ApplicationRepository
from applications.application.schemas import BackgroundCheckResult, Decision, Denial
from applications.application.transitions import load, move, notify
from applications.application.views import status_of
from applications.clients import SupervisionClient
from applications.context import ActionContext
from applications.errors import TransitionNotAllowed
from applications.notification import templates
from applications.notification.models import NotificationReason
from applications.notification.service import Notice
from applications.payment.models import FeeKind
from applications.payment.repository import PaymentRepository
from certboard_core.errors import Conflict, InvalidInput
from certboard_core.sqlite import READ_ONLY
from certboard_core.versioned import check_version

S = ApplicationStatus


class ApprovalRequirementUnmet(Conflict):
    code = "APPROVAL_REQUIREMENT_UNMET"


async def ask_supervision(
    ctx: ActionContext,
    application_id: uuid.UUID,
    expected_version: int,
    supervision: SupervisionClient,
    sessions: async_sessionmaker[AsyncSession],
) -> bool | None:
    """Whether the applicant has an active supervision agreement, asked before the approval's
    write transaction begins; None when this approval does not need to know."""
    if not ctx.policy.requires_supervision_agreement:
        return None
    # An HTTP call inside a write transaction would hold SQLite's write lock for its whole
    # length, stopping every other writer: read in a snapshot of its own, then ask.
    async with sessions() as session:
        await session.connection(execution_options={READ_ONLY: True})
        application = await ApplicationRepository(session).get_readable(
            ctx.principal, application_id
        )
    if (
        application is None
        or application.version != expected_version
        or not allows(Action.APPROVE, status_of(application, ctx.today))
    ):
        return None  # the approval itself refuses it, naming why
    return await supervision.has_active_agreement(application.applicant_id, ctx.today)


async def _unmet_requirements(
    ctx: ActionContext, application: Application, agreement: bool | None
) -> list[tuple[str, str]]:
    unmet: list[tuple[str, str]] = []
    if not await PaymentRepository(ctx.session).has_paid(application.id, FeeKind.APPLICATION):
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
    if policy.requires_supervision_agreement and not agreement:
        unmet.append(
            (
                "supervision_agreement",
                "there is no active supervision agreement signed by both sides",
            )
        )
    return unmet


async def approve(
    ctx: ActionContext, application_id: uuid.UUID, data: Decision, agreement: bool | None
) -> Application:
    """Staff approve: valid for the approval period from today (``agreement``: what
    ``ask_supervision`` answered)."""
    application = await load(ctx, application_id)
    next_status(Action.APPROVE, status_of(application, ctx.today))
    check_version(application, data.expected_version, what="application")
    unmet = await _unmet_requirements(ctx, application, agreement)
    if unmet:
        raise ApprovalRequirementUnmet(
            "cannot approve yet: " + "; ".join(message for _, message in unmet),
            field=unmet[0][0],
        )
    valid_through = rules.valid_through(ctx.now, ctx.policy)
    cutoff = rules.exam_request_cutoff(valid_through, ctx.policy)
    await move(
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
    await notify(
        ctx,
        application,
        Notice(NotificationReason.APPROVED, *templates.approved(valid_through, cutoff)),
    )
    return application


async def deny(ctx: ActionContext, application_id: uuid.UUID, data: Denial) -> Application:
    """Staff deny, with the reason recorded and sent (a case-by-case decision)."""
    application = await load(ctx, application_id)
    await move(
        ctx,
        application,
        action=Action.DENY,
        expected_version=data.expected_version,
        values={"decided_at": ctx.now, "closed_at": ctx.now, "decision_reason": data.reason},
        event={"reason": data.reason},
    )
    await notify(
        ctx, application, Notice(NotificationReason.DENIED, *templates.denied(data.reason))
    )
    return application


async def verify_background_check(
    ctx: ActionContext, application_id: uuid.UUID, data: BackgroundCheckResult
) -> Application:
    """Staff record the fingerprint background check's result, with who and when."""
    application = await load(ctx, application_id)
    if data.result is BackgroundCheck.NOT_VERIFIED:
        raise InvalidInput("record passed or failed", field="result")
    current = status_of(application, ctx.today)
    if current not in OPEN:
        raise TransitionNotAllowed.naming_state(
            "record a background check on an application", current, (s.value for s in OPEN)
        )
    await move(
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
