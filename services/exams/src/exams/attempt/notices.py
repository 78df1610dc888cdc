"""The formal result notice: a staff queue by due day, and sending (never before the policy's
minimum days, so the candidate's immediate result is never overtaken by a hasty notice)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from certboard_core.errors import NotFound
from certboard_core.pagination import Page
from certboard_core.versioned import Change, apply_change
from exams.attempt.models import ExamAttempt
from exams.attempt.repository import AttemptRepository
from exams.attempt.views import notice_payload, snapshot
from exams.context import ActionContext
from exams.errors import ResultNoticeAlreadySent, ResultNoticeTooEarly


async def notice_queue(
    ctx: ActionContext, *, after: str | None, limit: int
) -> tuple[Page[ExamAttempt], int, int]:
    """One page of unsent notices (earliest due first), all unsent, and those past due."""
    repository = AttemptRepository(ctx.session)
    page = await repository.notice_queue(after=after, limit=limit)
    unsent, breaches = await repository.notice_counts(ctx.today)
    return page, unsent, breaches


async def send_result_notice(
    ctx: ActionContext, attempt_id: uuid.UUID, *, expected_version: int
) -> ExamAttempt:
    """Mark the formal notice sent and publish it for applications to mail."""
    attempt = await AttemptRepository(ctx.session).get_readable(ctx.principal, attempt_id)
    if attempt is None:
        raise NotFound("no such attempt")
    if attempt.result_notice_sent_at is not None:
        raise ResultNoticeAlreadySent(
            f"the result notice was sent at {attempt.result_notice_sent_at.isoformat()}",
            field="result_notice_sent_at",
        )
    earliest = attempt.taken_on + timedelta(days=ctx.policy.result_notice_min_days)
    if ctx.today < earliest:
        raise ResultNoticeTooEarly(
            f"the formal result notice is sent no sooner than {earliest} "
            f"({ctx.policy.result_notice_min_days} days after the attempt)",
            field="taken_on",
        )
    return await apply_change(
        ctx,
        attempt,
        expected_version=expected_version,
        values={"result_notice_sent_at": ctx.now, "result_notice_sent_by": ctx.actor},
        change=Change(
            action="attempt.result_notice_sent",
            entity_type="exam_attempt",
            event_type="exam.result_notice_sent",
            event_payload=notice_payload(attempt),
        ),
        snapshot=snapshot,
    )
