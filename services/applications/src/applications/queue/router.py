"""The staff work queues, ordered by deadline, with counts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from applications.application.lifecycle import ApplicationStatus
from applications.application.schemas import ApplicationPage
from applications.application.views import to_summary
from applications.deps import STAFF_ONLY, Context
from applications.queue.history import QueueHistory, history
from applications.queue.repository import Filters, QueueName, QueueRepository, queue
from certboard_core.errors import AUTHENTICATED, InvalidInput, error_responses
from certboard_core.fields import IsoDate

router = APIRouter(
    prefix="/v1/queues",
    tags=["work queues"],
    responses=error_responses(*AUTHENTICATED),
    dependencies=STAFF_ONLY,
)


async def filters(
    status: ApplicationStatus | None = None,
    submitted_from: IsoDate | None = None,
    submitted_to: IsoDate | None = None,
    name: Annotated[
        str | None, Query(max_length=100, description="first or last name prefix")
    ] = None,
) -> Filters:
    """The filters a queue request names."""
    return Filters(status, submitted_from, submitted_to, name)


FiltersDep = Annotated[Filters, Depends(filters)]


class QueueDays(BaseModel):
    """Each queue's earliest deadline (null: the queue is empty)."""

    first_notification: date | None
    breaches: date | None
    incomplete: date | None
    expiring: date | None


class QueueCounts(BaseModel):
    today: date = Field(description="the day counted for, in the board's time zone")
    first_notification: int
    breaches: int
    incomplete: int
    expiring: int
    earliest_due_on: QueueDays = Field(
        description="per queue, the deadline it is ordered by, earliest first"
    )


@router.get("")
async def counts(ctx: Context, chosen: FiltersDep) -> QueueCounts:
    """How many applications each queue holds today (breaches: first notice missed or late),
    and each queue's earliest deadline."""
    repository = QueueRepository(ctx.session)
    found = {
        name.value.replace("-", "_"): await repository.count(
            queue(name, ctx.today, ctx.policy), chosen, today=ctx.today
        )
        for name in QueueName
    }
    return QueueCounts(
        today=ctx.today,
        **{name: n for name, (n, _) in found.items()},
        earliest_due_on=QueueDays(**{name: day for name, (_, day) in found.items()}),
    )


@router.get("/history")
async def queue_history(
    ctx: Context, days: Annotated[int, Query(ge=1, le=90, description="days back")] = 30
) -> QueueHistory:
    """The staff queues that keep their history (first notice, certificate review, unmatched
    certificates, CE verification, CE audits) at the end of each of the last days: how many
    waited and how many were past due (rebuilt from when each joined and left)."""
    return await history(ctx.session, ctx.today, days, ctx.policy)


# Declared after /history, which it would otherwise take for a queue's name.
@router.get("/{queue_name}", responses=error_responses(InvalidInput))
async def list_queue(
    queue_name: QueueName,
    ctx: Context,
    chosen: FiltersDep,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApplicationPage:
    """One queue, earliest deadline first."""
    page = await QueueRepository(ctx.session).page(
        queue(queue_name, ctx.today, ctx.policy), chosen, today=ctx.today, after=after, limit=limit
    )
    summaries = page.map(lambda a: to_summary(a, today=ctx.today, policy=ctx.policy))
    return ApplicationPage(items=summaries.items, next_cursor=summaries.next_cursor)
