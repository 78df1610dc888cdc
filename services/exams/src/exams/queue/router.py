"""HTTP endpoint of staff's exam queue counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from certboard_core.errors import AUTHENTICATED, InvalidInput, error_responses
from certboard_core.queue_history import Span, days_back, history
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
    """The result-notice, accommodation and scheduling queues at the end of each of the last
    days: how many waited and how many were past due (rebuilt from when each joined and left)."""
    first_day = days_back(ctx.today, days)[0]
    since = ctx.policy.start_of_day(first_day)
    local = ctx.policy.local_date

    def spans(rows: Sequence[tuple[date, datetime | None, date]]) -> list[Span]:
        return [Span(joined, local(left) if left else None, due) for joined, left, due in rows]

    def waits(row: tuple[date, datetime | None, datetime | None, date | None, date, date]) -> Span:
        granted, scheduled, attempted, ended, valid_through, due = row
        # It leaves when scheduled, attempted, ended or past its window, whichever came first.
        exits = [local(at) for at in (scheduled, attempted) if at is not None]
        exits += [day for day in (ended, valid_through + timedelta(days=1)) if day is not None]
        return Span(granted, min(exits), due)

    queues = {
        "result_notices": spans(await repository.result_notice_spans(ctx.session, since)),
        "accommodations": spans(await repository.accommodation_spans(ctx.session, since)),
        "scheduling": [
            waits(row) for row in await repository.scheduling_spans(ctx.session, first_day)
        ],
    }
    counted = history(ctx.today, days, queues)
    return ExamQueueHistory(days=[ExamHistoryDay.model_validate(day) for day in counted])
