"""Reading applications: an applicant's own, staff's lists and work queues, the public policy."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from certboard_core.auth import Role
from gateway.clients.applications import QueueFilters
from gateway.schema.applications.enums import ApplicationStatus, WorkQueue
from gateway.schema.applications.types import (
    Application,
    ApplicationConnection,
    ApplicationPolicy,
    WorkQueueCounts,
)
from gateway.schema.common import Ctx, value_of

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
class ApplicationQueries:
    @strawberry.field(
        description="One application's whole status view: an applicant's own, or any for staff."
    )
    async def application(self, info: Ctx, id: strawberry.ID) -> Application:
        info.context.require(Role.APPLICANT, Role.STAFF)
        return Application.from_json(await info.context.application_views.load(str(id)))

    @strawberry.field(description="Staff: every application, oldest submission first, paginated.")
    async def applications(
        self,
        info: Ctx,
        status: ApplicationStatus | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> ApplicationConnection:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.applications.list_applications(
            status=value_of(status), first=first, after=after
        )
        return ApplicationConnection.from_json(page)

    @strawberry.field(description="The rules this board decides applications with (public).")
    async def application_policy(self, info: Ctx) -> ApplicationPolicy:
        return ApplicationPolicy.from_json(await info.context.backends.applications.policy())


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
        filters = QueueFilters(value_of(status), submitted_from, submitted_to, name_prefix)
        page = await ctx.backends.applications.work_queue(
            name.value, filters, first=first, after=after
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
        filters = QueueFilters(value_of(status), submitted_from, submitted_to, name_prefix)
        return WorkQueueCounts.from_json(await ctx.backends.applications.work_queue_counts(filters))
