"""HTTP endpoint of staff's exam queue counts."""

from __future__ import annotations

from fastapi import APIRouter

from certboard_core.errors import AUTHENTICATED, error_responses
from exams.deps import STAFF_ONLY, Context
from exams.queue import repository
from exams.queue.schemas import ExamQueueCounts

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
