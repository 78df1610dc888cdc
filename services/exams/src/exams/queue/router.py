"""HTTP endpoint of staff's exam queue counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from certboard_core.errors import AUTHENTICATED, InvalidInput, error_responses
from certboard_core.queue_history import Span, counts_by_day, days_back
from exams.deps import STAFF_ONLY, Context
from exams.queue import repository
from exams.queue.schemas import ExamHistoryDay, ExamQueueCounts, ExamQueueHistory

router = APIRouter(
    prefix="/v1/exam-queues", tags=["exam queues"], responses=error_responses(*AUTHENTICATED)
)


@router.get("/counts", dependencies=STAFF_ONLY)
async def queue_counts(ctx: Context) -> ExamQueueCounts:
    """Staff: how much waits in each exams queue today, how much is late, the earliest due day."""
    return ExamQueueCounts(
        result_notices=await repository.result_notices(ctx.session, ctx.today),
        accommodations=await repository.accommodations(ctx.session, ctx.today),
        scheduling=await repository.scheduling(ctx.session, ctx.today),
    )


@router.get("/history", dependencies=STAFF_ONLY, responses=error_responses(InvalidInput))
async def queue_history(
    ctx: Context, days: Annotated[int, Query(ge=1, le=90, description="days back")] = 30
) -> ExamQueueHistory:
    """The result-notice and accommodation queues at the end of each of the last days: how
    many waited and how many were past due (rebuilt from when each joined and left)."""
    first_day = days_back(ctx.today, days)[0]
    since = ctx.policy.start_of_day(first_day)
    local = ctx.policy.local_date

    def spans(rows: Sequence[tuple[date, datetime | None, date]]) -> list[Span]:
        return [Span(joined, local(left) if left else None, due) for joined, left, due in rows]

    notices = spans(await repository.result_notice_spans(ctx.session, since))
    requests = spans(await repository.accommodation_spans(ctx.session, since))
    every_day = days_back(ctx.today, days)
    return ExamQueueHistory(
        days=[
            ExamHistoryDay(
                day=day,
                result_notices=unsent,
                result_notices_late=unsent_late,
                accommodations=pending,
                accommodations_late=pending_late,
            )
            for day, (unsent, unsent_late), (pending, pending_late) in zip(
                every_day,
                counts_by_day(notices, every_day),
                counts_by_day(requests, every_day),
                strict=True,
            )
        ]
    )
