"""Staff moves on an authorization: schedule, cancel the schedule, no-show, vendor fault, void.

Each goes through ``apply_change``: version checked, audited before and after. No event is
published: no other service consumes authorization changes yet.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from certboard_core.audit import record_audit
from certboard_core.errors import ErrorReason, NotFound
from certboard_core.versioned import Change, apply_change, check_version
from exams.accommodation.service import carry_accommodations
from exams.authorization import rules
from exams.authorization.models import AuthorizationStatus, DeliveryMode, ExamAuthorization
from exams.authorization.repository import AuthorizationRepository
from exams.authorization.schemas import (
    AuthorizationPublic,
    NoShow,
    ScheduleCreate,
    VendorFault,
    Versioned,
    Void,
)
from exams.authorization.views import snapshot, to_public
from exams.clients import ExamStanding
from exams.context import ActionContext
from exams.errors import (
    AccommodationPending,
    ExamNotEligible,
    ScheduleNotAllowed,
    TransitionNotAllowed,
)

S = AuthorizationStatus
ENTITY = "exam_authorization"


async def _load(
    ctx: ActionContext, authorization_id: uuid.UUID, doing: str, allowed: Collection[S]
) -> ExamAuthorization:
    """The authorization, if its status as of today allows ``doing``."""
    repository = AuthorizationRepository(ctx.session)
    authorization = await repository.get_readable(ctx.principal, authorization_id)
    if authorization is None:
        raise NotFound("no such authorization", field="authorization_id")
    attempted = authorization.id in await repository.attempts([authorization.id])
    status = rules.effective_status(
        authorization.status, authorization.valid_through, ctx.today, attempted=attempted
    )
    if status not in allowed:
        raise TransitionNotAllowed(
            f"cannot {doing} an authorization that is {status.value.replace('_', ' ')} "
            f"(only when: {', '.join(sorted(s.value for s in allowed))})",
            field="status",
        )
    return authorization


async def _move(
    ctx: ActionContext,
    authorization: ExamAuthorization,
    expected_version: int,
    action: str,
    values: Mapping[str, Any],
) -> AuthorizationPublic:
    await apply_change(
        ctx,
        authorization,
        expected_version=expected_version,
        values=values,
        change=Change(action=f"exam_authorization.{action}", entity_type=ENTITY),
        snapshot=snapshot,
    )
    attempts = await AuthorizationRepository(ctx.session).attempts([authorization.id])
    return to_public(
        authorization, attempts.get(authorization.id), today=ctx.today, policy=ctx.policy
    )


def _ended(ctx: ActionContext, status: S, reason: str | None) -> dict[str, Any]:
    return {
        "status": status,
        "ended_at": ctx.now,
        "ended_on": ctx.today,
        "ended_by": ctx.actor,
        "end_reason": reason,
    }


async def schedule(
    ctx: ActionContext, authorization_id: uuid.UUID, data: ScheduleCreate
) -> AuthorizationPublic:
    """Staff set the exam's day, local time and site, inside the window, with a live form."""
    authorization = await _load(ctx, authorization_id, "schedule", {S.GRANTED})
    check_version(authorization, data.expected_version, what="exam authorization")
    if not ctx.today <= data.scheduled_on <= authorization.valid_through:
        raise ScheduleNotAllowed(
            f"the exam day must be from today ({ctx.today.isoformat()}) through the "
            f"authorization's last day ({authorization.valid_through.isoformat()})",
            field="scheduled_on",
        )
    at_centre = authorization.delivery_mode is DeliveryMode.TEST_CENTRE
    if at_centre and data.site is None:
        raise ScheduleNotAllowed("an exam at a test centre needs its site", field="site")
    if not at_centre and data.site is not None:
        raise ScheduleNotAllowed("an online proctored exam has no site", field="site")
    repository = AuthorizationRepository(ctx.session)
    if await repository.has_pending_accommodation(authorization.id):
        raise AccommodationPending(
            "an accommodation request awaits review: decide it before scheduling",
            field="accommodation",
        )
    form = await repository.live_form(authorization.language)
    return await _move(
        ctx,
        authorization,
        data.expected_version,
        "scheduled",
        {
            "status": S.SCHEDULED,
            "scheduled_on": data.scheduled_on,
            "scheduled_at_time": data.scheduled_at_time,
            "site": data.site,
            "scheduled_by": ctx.actor,
            "schedule_recorded_at": ctx.now,
            "form_id": form.id if form else None,
        },
    )


async def cancel_schedule(
    ctx: ActionContext, authorization_id: uuid.UUID, data: Versioned
) -> AuthorizationPublic:
    """Staff clear the schedule; the window stays as granted."""
    authorization = await _load(ctx, authorization_id, "cancel the schedule of", {S.SCHEDULED})
    cleared = ("scheduled_on", "scheduled_at_time", "site", "scheduled_by", "form_id")
    values = dict.fromkeys((*cleared, "schedule_recorded_at"))
    return await _move(
        ctx,
        authorization,
        data.expected_version,
        "schedule_cancelled",
        {**values, "status": S.GRANTED},
    )


def _held(authorization: ExamAuthorization, ctx: ActionContext, doing: str) -> None:
    # Only an exam whose day has come can be missed or fail at the vendor's end.
    if authorization.scheduled_on is None or authorization.scheduled_on > ctx.today:
        raise TransitionNotAllowed(
            f"cannot {doing} before the scheduled exam day", field="scheduled_on"
        )


async def no_show(
    ctx: ActionContext, authorization_id: uuid.UUID, data: NoShow
) -> AuthorizationPublic:
    """Staff record that the candidate did not sit the scheduled exam: the attempt is used."""
    authorization = await _load(ctx, authorization_id, "record a no-show for", {S.SCHEDULED})
    _held(authorization, ctx, "record a no-show")
    return await _move(
        ctx, authorization, data.expected_version, "no_show", _ended(ctx, S.NO_SHOW, data.reason)
    )


async def vendor_fault(
    ctx: ActionContext, authorization_id: uuid.UUID, data: VendorFault
) -> AuthorizationPublic:
    """Staff record a failure caused by the test vendor: neither attempt nor fee is used."""
    authorization = await _load(
        ctx, authorization_id, "record a vendor fault for", {S.SCHEDULED, S.ATTEMPTED}
    )
    attempt = (await AuthorizationRepository(ctx.session).attempts([authorization.id])).get(
        authorization.id
    )
    if attempt is None:
        _held(authorization, ctx, "record a vendor fault")
    elif attempt.passed:
        # A pass stands: only a failure can be the vendor's fault.
        raise TransitionNotAllowed(
            "the attempt passed: a vendor fault voids only a failed or interrupted attempt",
            field="status",
        )
    values = {**_ended(ctx, S.VENDOR_FAULT, data.reason), "vendor_incident": data.incident}
    return await _move(ctx, authorization, data.expected_version, "vendor_fault", values)


def _replacement_window(ctx: ActionContext, standing: ExamStanding) -> date:
    """A replacement's last day; it needs an application still approved today."""
    if standing.valid_through is None or standing.valid_through < ctx.today:
        unmet = [u for u in standing.unmet if u.code.startswith("APPLICATION_")]
        reasons = [ErrorReason(code=u.code, message=u.message, field=u.field) for u in unmet]
        raise ExamNotEligible(
            "no authorization can replace it: the application is not approved today",
            field="application_id",
            reasons=reasons
            or [ErrorReason(code="APPLICATION_NOT_APPROVED", message="not approved today")],
        )
    return rules.authorization_valid_through(ctx.today, standing.valid_through, ctx.policy)


async def void(
    ctx: ActionContext, authorization_id: uuid.UUID, data: Void, standing: ExamStanding
) -> AuthorizationPublic:
    """Staff void an open authorization with a reason and issue a new one in its place: same
    fee, a window counted from today, never past the approval's valid-through day."""
    authorization = await _load(ctx, authorization_id, "void", {S.GRANTED, S.SCHEDULED})
    check_version(authorization, data.expected_version, what="exam authorization")
    valid_through = _replacement_window(ctx, standing)
    replacement = ExamAuthorization(
        application_id=authorization.application_id,
        applicant_id=authorization.applicant_id,
        kind=authorization.kind,
        language=authorization.language,
        delivery_mode=authorization.delivery_mode,
        fee_reference=authorization.fee_reference,
        requested_by=ctx.actor,
        granted_at=ctx.now,
        granted_on=ctx.today,
        valid_through=valid_through,
        review_due_on=authorization.review_due_on,
        replaces_id=authorization.id,
    )
    ctx.session.add(replacement)
    await ctx.session.flush()
    await carry_accommodations(ctx, authorization.id, replacement.id)
    await _move(
        ctx,
        authorization,
        data.expected_version,
        "voided",
        {**_ended(ctx, S.VOIDED, data.reason), "replaced_by_id": replacement.id},
    )
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="exam_authorization.granted",
        entity_type=ENTITY,
        entity_id=str(replacement.id),
        before=None,
        after=snapshot(replacement),
        at=ctx.now,
    )
    return to_public(replacement, None, today=ctx.today, policy=ctx.policy)
