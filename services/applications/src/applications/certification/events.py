"""What applications does with exams' events: each handled once (the inbox records its id),
in the transaction that records it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import structlog
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import State

from applications.certification import notices
from applications.certification.repository import StandingRepository
from applications.certification.service import Pass, issue_on_pass
from applications.context import ActionContext
from applications.notification.models import NotificationReason
from applications.notification.service import Addressee, Notice, send_notices
from certboard_core.auth import Principal, Role
from certboard_core.outbox import EventEnvelope, EventHandler

log = structlog.get_logger(__name__)

PASSED = "exam.passed"
RESULT_NOTICE_SENT = "exam.result_notice_sent"
RESULT_CHANGED = "exam.result_changed"


def _context(state: State, session: AsyncSession, envelope: EventEnvelope) -> ActionContext:
    """The action's context: the sending service acts, at this process's instant and policy."""
    principal = Principal(
        subject=envelope.source, roles=frozenset({Role.SERVICE}), claims={}, token=""
    )
    return ActionContext(
        session=session,
        principal=principal,
        clock=state.clock,
        policy=state.policy,
        outbox=state.outbox,
    )


async def _notify(
    ctx: ActionContext, application_id: str, notice: Notice, *, event: EventEnvelope
) -> None:
    """Record and mail ``notice`` to the application's applicant (nothing if it is unknown)."""
    application = await StandingRepository(ctx.session).application(uuid.UUID(application_id))
    if application is None:
        log.warning("exam event for an unknown application", event_id=str(event.id))
        return
    await send_notices(
        ctx.session,
        [(Addressee(application.id, application.email), notice)],
        actor=ctx.actor,
        at=ctx.now,
        today=ctx.today,
        outbox=ctx.outbox,
    )


def exam_event_handlers(state_of: Callable[[], State]) -> dict[str, EventHandler]:
    """The handlers of exams' events, reading the app's clock, policy and outbox when called."""

    async def passed(session: AsyncSession, event: EventEnvelope) -> None:
        """Issue the certification the pass earns."""
        await issue_on_pass(_context(state_of(), session, event), Pass(**event.payload))

    async def result_notice_sent(session: AsyncSession, event: EventEnvelope) -> None:
        """Tell the applicant their formal result."""
        result = notices.ResultNotice(**event.payload)
        subject, body = notices.exam_result(result)
        notice = Notice(NotificationReason.EXAM_RESULT, subject, body, once_per=result.attempt_id)
        ctx = _context(state_of(), session, event)
        await _notify(ctx, result.application_id, notice, event=event)

    async def result_changed(session: AsyncSession, event: EventEnvelope) -> None:
        """Tell the applicant their result was corrected."""
        change = notices.ResultChange(**event.payload)
        subject, body = notices.result_changed(change)
        # A result may be corrected more than once: each change is its own notice.
        key = f"{change.attempt_id}:{event.id}"
        notice = Notice(NotificationReason.EXAM_RESULT_CHANGED, subject, body, once_per=key)
        ctx = _context(state_of(), session, event)
        await _notify(ctx, change.application_id, notice, event=event)

    return {PASSED: passed, RESULT_NOTICE_SENT: result_notice_sent, RESULT_CHANGED: result_changed}
