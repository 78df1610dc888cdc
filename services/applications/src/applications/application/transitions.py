"""Staff and applicant actions that move an application: guarded, versioned, audited, published."""

from __future__ import annotations

import uuid
from typing import Any

from applications import rules
from applications.application.closing import Closed, record_closures
from applications.application.lifecycle import (
    WAITING_ON_STAFF,
    Action,
    ApplicationStatus,
    next_status,
)
from applications.application.models import Application, RevisionRequest, snapshot
from applications.application.repository import ApplicationRepository
from applications.application.schemas import (
    RevisionRequestCreate,
)
from applications.application.views import status_of
from applications.context import ActionContext
from applications.notification import templates
from applications.notification.models import NotificationReason
from applications.notification.service import Notice, send_notice
from certboard_core.audit import record_audit
from certboard_core.errors import Conflict, NotFound
from certboard_core.versioned import Change, apply_change

S = ApplicationStatus


class RevisionWouldVoid(Conflict):
    code = "REVISION_WOULD_VOID"


async def load(ctx: ActionContext, application_id: uuid.UUID) -> Application:
    """The application, if the caller may see it: staff any, an applicant their own."""
    application = await ApplicationRepository(ctx.session).get_readable(
        ctx.principal, application_id
    )
    if application is None:
        raise NotFound("no such application", field="application_id")
    return application


async def move(
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
    publish = event is not None and target is not None
    await apply_change(
        ctx,
        application,
        expected_version=expected_version,
        values={**(values or {}), **({"status": target} if target is not None else {})},
        change=Change(
            audit_action or f"application.{target.value if target else 'updated'}",
            "application",
            event_type=f"application.{target.value}" if publish and target else None,
            event_payload={
                "application_id": str(application.id),
                "applicant_id": application.applicant_id,
                **(event or {}),
            },
        ),
        snapshot=snapshot,
    )


async def notify(ctx: ActionContext, application: Application, notice: Notice) -> uuid.UUID:
    """Send ``notice`` to the applicant as part of this action; return the notice's id."""
    return await send_notice(
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
    await move(
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
    if hold_over and current in WAITING_ON_STAFF:
        await _void_after_hold(ctx, application, current, data)
    else:
        await _ask_for_revision(ctx, application, data)
    return application


async def _void_after_hold(
    ctx: ActionContext,
    application: Application,
    current: ApplicationStatus,
    data: RevisionRequestCreate,
) -> None:
    """Past the hold a revision request voids the application: refused until confirmed."""
    if not data.confirm_void:
        raise RevisionWouldVoid(
            f"the 90-day hold ended on {application.last_day_to_complete.isoformat()}: a "
            "revision request now voids the application and forfeits its fees. Send "
            "confirm_void=true to go ahead.",
            field="confirm_void",
        )
    await move(
        ctx,
        application,
        action=None,
        target=S.VOID,
        expected_version=data.expected_version,
        values={
            "closed_at": ctx.now,
            # The void notice below counts toward the first-notification window.
            "first_notified_on": application.first_notified_on or ctx.today,
        },
    )
    closed = Closed(
        application.id.hex,
        application.applicant_id,
        application.email,
        application.version,
        application.last_day_to_complete,
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


async def _ask_for_revision(
    ctx: ActionContext, application: Application, data: RevisionRequestCreate
) -> None:
    """The application waits on the applicant: the request replaces any open one, and is sent."""
    items = [i.value for i in data.items]
    repository = ApplicationRepository(ctx.session)
    await repository.resolve_open_revisions(application.id, ctx.now)
    await move(
        ctx,
        application,
        action=Action.REQUEST_REVISION,
        expected_version=data.expected_version,
        event={"items": items},
    )
    repository.add(
        RevisionRequest(
            application_id=application.id,
            items=items,
            note=data.note,
            requested_by=ctx.actor,
            requested_at=ctx.now,
        )
    )
    await ctx.session.flush()
    notice = templates.revision_requested(items, data.note, application.last_day_to_complete)
    await notify(ctx, application, Notice(NotificationReason.REVISION_REQUESTED, *notice))


async def resubmit(
    ctx: ActionContext, application_id: uuid.UUID, expected_version: int
) -> Application:
    """The applicant sends the application back after fixing what was asked."""
    application = await load(ctx, application_id)
    await move(
        ctx, application, action=Action.RESUBMIT, expected_version=expected_version, event={}
    )
    await ApplicationRepository(ctx.session).resolve_open_revisions(application.id, ctx.now)
    return application


async def withdraw(
    ctx: ActionContext, application_id: uuid.UUID, expected_version: int
) -> Application:
    """The applicant withdraws their own application."""
    application = await load(ctx, application_id)
    if application.applicant_id != ctx.principal.subject:
        raise NotFound("no such application", field="application_id")
    await move(
        ctx,
        application,
        action=Action.WITHDRAW,
        expected_version=expected_version,
        values={"closed_at": ctx.now},
        event={},
    )
    await notify(ctx, application, Notice(NotificationReason.WITHDRAWN, *templates.withdrawn()))
    return application


async def send_status_message(
    ctx: ActionContext, application_id: uuid.UUID, subject: str, body: str
) -> Application:
    """Staff tell the applicant where things stand (counts as a notice), audited."""
    application = await load(ctx, application_id)
    notice_id = await notify(
        ctx, application, Notice(NotificationReason.STATUS_MESSAGE, subject, body)
    )
    # Unlike the notices that come with a move, this one has no audited status change of its
    # own: the record says who told the applicant what (the body stays in the notice).
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="application.status_message_sent",
        entity_type="application",
        entity_id=str(application.id),
        before=None,
        after={
            "notification_id": str(notice_id),
            "reason": NotificationReason.STATUS_MESSAGE.value,
            "subject": subject,
            "first_notified_on": (
                application.first_notified_on.isoformat() if application.first_notified_on else None
            ),
        },
        at=ctx.now,
    )
    return application
