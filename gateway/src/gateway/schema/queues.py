"""The staff work queues: applications ordered by their deadline, and how many each holds."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.application_enums import ApplicationStatus, WorkQueue
from gateway.schema.application_types import ApplicationConnection, Ctx


@strawberry.type(description="How many applications each work queue holds today.")
class WorkQueueCounts:
    first_notification: int = strawberry.field(description="Waiting on staff and not yet notified.")
    breaches: int = strawberry.field(description="First notice missed or sent late.")
    incomplete: int = strawberry.field(description="Waiting on the applicant.")
    expiring: int = strawberry.field(description="Approvals close to their valid-through day.")


def _filters(
    status: ApplicationStatus | None,
    submitted_from: datetime.date | None,
    submitted_to: datetime.date | None,
    name_prefix: str | None,
) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if status is not None:
        params["status"] = status.value
    if submitted_from is not None:
        params["submitted_from"] = submitted_from.isoformat()
    if submitted_to is not None:
        params["submitted_to"] = submitted_to.isoformat()
    if name_prefix is not None:
        params["name"] = name_prefix
    return params


NamePrefix = Annotated[
    str | None, strawberry.argument(description="The start of the first or the last name.")
]
SubmittedFrom = Annotated[
    datetime.date | None, strawberry.argument(description="Submitted on or after this local day.")
]
SubmittedTo = Annotated[
    datetime.date | None,
    strawberry.argument(description="Submitted on or before this local day."),
]


@strawberry.type
class QueueQueries:
    @strawberry.field(description="Staff: one work queue, earliest deadline first, paginated.")
    async def work_queue(
        self,
        info: Ctx,
        name: WorkQueue,
        status: ApplicationStatus | None = None,
        submitted_from: SubmittedFrom = None,
        submitted_to: SubmittedTo = None,
        name_prefix: NamePrefix = None,
        first: int = 50,
        after: str | None = None,
    ) -> ApplicationConnection:
        ctx = info.context
        ctx.require(Role.STAFF)
        params = _filters(status, submitted_from, submitted_to, name_prefix)
        params["limit"] = first
        if after is not None:
            params["after"] = after
        page = await ctx.backends.applications.get_json(
            f"/v1/queues/{name.value}", token=ctx.token, request_id=ctx.request_id, params=params
        )
        return ApplicationConnection.from_json(page)

    @strawberry.field(description="Staff: how many applications each work queue holds today.")
    async def work_queue_counts(
        self,
        info: Ctx,
        status: ApplicationStatus | None = None,
        submitted_from: SubmittedFrom = None,
        submitted_to: SubmittedTo = None,
        name_prefix: NamePrefix = None,
    ) -> WorkQueueCounts:
        ctx = info.context
        ctx.require(Role.STAFF)
        data = await ctx.backends.applications.get_json(
            "/v1/queues",
            token=ctx.token,
            request_id=ctx.request_id,
            params=_filters(status, submitted_from, submitted_to, name_prefix),
        )
        return WorkQueueCounts(
            first_notification=data["first_notification"],
            breaches=data["breaches"],
            incomplete=data["incomplete"],
            expiring=data["expiring"],
        )
