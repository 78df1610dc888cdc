"""Queries and mutations over the applications service."""

from __future__ import annotations

import datetime
from typing import Any, cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload
from strawberry.types import Info

from certboard_core.auth import Role
from gateway.context import GatewayContext
from gateway.schema.types import (
    Application,
    ApplicationConnection,
    ApplicationPolicy,
    ApplicationStatus,
    LivedExperience,
)

Ctx = Info[GatewayContext, None]


@strawberry.input(description="A complete application, submitted in one go with its two documents.")
class SubmitApplicationInput:
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    email: str
    code_of_ethics_agreed: bool = strawberry.field(
        description="Agrees in writing to the Code of Ethics."
    )
    lived_experience: LivedExperience
    willing_to_share_experience: bool
    government_id: Upload = strawberry.field(
        description="Government ID showing age 18+; JPEG or PDF."
    )
    diploma: Upload = strawberry.field(
        description="High school diploma or equivalent; JPEG or PDF."
    )


async def _file_part(upload: Upload, field: str) -> tuple[str, tuple[str, bytes, str]]:
    file = cast(UploadFile, upload)
    content = await file.read()
    return field, (file.filename or field, content, file.content_type or "application/octet-stream")


@strawberry.type
class ApplicationQueries:
    @strawberry.field(description="One application: an applicant's own, or any for staff.")
    async def application(self, info: Ctx, id: strawberry.ID) -> Application:
        info.context.require(Role.APPLICANT, Role.STAFF)
        return Application.from_json(await info.context.applications.load(str(id)))

    @strawberry.field(description="The signed-in applicant's applications, oldest first.")
    async def my_applications(self, info: Ctx) -> list[Application]:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        page = await ctx.backends.applications.get_json(
            "/v1/applications", token=ctx.token, request_id=ctx.request_id, params={"limit": 200}
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
        return ApplicationConnection(
            items=[Application.from_json(item) for item in page["items"]],
            next_cursor=page["next_cursor"],
        )

    @strawberry.field(description="The rules this board decides applications with (public).")
    async def application_policy(self, info: Ctx) -> ApplicationPolicy:
        ctx = info.context
        data = await ctx.backends.applications.get_json(
            "/v1/policy", token=None, request_id=ctx.request_id
        )
        return ApplicationPolicy(**data)


@strawberry.type
class ApplicationMutations:
    @strawberry.mutation(description="Submit a complete application with its documents.")
    async def submit_application(self, info: Ctx, input: SubmitApplicationInput) -> Application:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        form = {
            "first_name": input.first_name,
            "last_name": input.last_name,
            "date_of_birth": input.date_of_birth.isoformat(),
            "email": input.email,
            "code_of_ethics_agreed": str(input.code_of_ethics_agreed).lower(),
            "lived_experience": input.lived_experience.value,
            "willing_to_share_experience": str(input.willing_to_share_experience).lower(),
        }
        files = dict(
            [
                await _file_part(input.government_id, "government_id"),
                await _file_part(input.diploma, "diploma"),
            ]
        )
        response = await ctx.backends.applications.request(
            "POST",
            "/v1/applications",
            token=ctx.token,
            request_id=ctx.request_id,
            data=form,
            files=files,
        )
        return Application.from_json(response.json())
