"""Reading applications: an applicant's own, staff's lists, and the public policy."""

from __future__ import annotations

from typing import Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.application_enums import ApplicationStatus
from gateway.schema.application_types import (
    Application,
    ApplicationConnection,
    ApplicationPolicy,
    Ctx,
)

# An applicant rarely has more than a handful; one page is all of them.
MY_APPLICATIONS_LIMIT = 200


@strawberry.type
class ApplicationQueries:
    @strawberry.field(
        description="One application's whole status view: an applicant's own, or any for staff."
    )
    async def application(self, info: Ctx, id: strawberry.ID) -> Application:
        info.context.require(Role.APPLICANT, Role.STAFF)
        return Application.from_json(await info.context.application_details.load(str(id)))

    @strawberry.field(description="The signed-in applicant's applications, oldest first.")
    async def my_applications(self, info: Ctx) -> list[Application]:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        page = await ctx.backends.applications.get_json(
            "/v1/applications",
            token=ctx.token,
            request_id=ctx.request_id,
            params={"limit": MY_APPLICATIONS_LIMIT},
        )
        return [Application.from_json(item) for item in page["items"]]

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
        params: dict[str, Any] = {"limit": first}
        if status is not None:
            params["status"] = status.value
        if after is not None:
            params["after"] = after
        page = await ctx.backends.applications.get_json(
            "/v1/applications", token=ctx.token, request_id=ctx.request_id, params=params
        )
        return ApplicationConnection.from_json(page)

    @strawberry.field(description="The rules this board decides applications with (public).")
    async def application_policy(self, info: Ctx) -> ApplicationPolicy:
        ctx = info.context
        data = await ctx.backends.applications.get_json(
            "/v1/policy", token=None, request_id=ctx.request_id
        )
        return ApplicationPolicy.from_json(data)
