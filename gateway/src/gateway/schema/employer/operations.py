"""Employer alerts through the gateway: an employer's own profile, enrolments and alerts under
``me { employer }``, its mutations, and a certification's followers for its holder and staff."""

from __future__ import annotations

from typing import Any

import strawberry

from certboard_core.auth import Role
from gateway.errors import CodedError
from gateway.schema.common import After, Ctx, ExpectedVersion, First, instant
from gateway.schema.employer.types import (
    EmployerAlertPage,
    EmployerProfile,
    Enrolment,
    EnrolmentPage,
    Follower,
    NewEmployerProfile,
)


async def followers_of(root: Any, info: Ctx) -> list[Follower]:
    """The ``followers`` field of a certification: its holder's or staff's."""
    found = await info.context.backends.applications.followers_of(root.id)
    return [Follower(organisation=f["organisation"], since=instant(f["since"])) for f in found]


@strawberry.type(description="Employer: your profile, the certifications you follow, alerts.")
class EmployerView:
    @strawberry.field(description="Your profile; null until you create one.")
    async def profile(self, info: Ctx) -> EmployerProfile | None:
        try:
            found = await info.context.backends.applications.employer_profile()
        except CodedError as exc:
            if exc.code != "NOT_FOUND":
                raise
            return None
        return EmployerProfile.from_json(found)

    @strawberry.field(description="The certifications you follow, oldest enrolment first.")
    async def enrolments(self, info: Ctx, first: First = 50, after: After = None) -> EnrolmentPage:
        page = await info.context.backends.applications.employer_enrolments(
            first=first, after=after
        )
        return EnrolmentPage.from_json(page)

    @strawberry.field(description="What you were told, newest first.")
    async def alerts(self, info: Ctx, first: First = 50, after: After = None) -> EmployerAlertPage:
        page = await info.context.backends.applications.employer_alerts(first=first, after=after)
        return EmployerAlertPage.from_json(page)


@strawberry.type
class EmployerMutations:
    @strawberry.mutation(
        description="Employer: say who you are and where alerts go (an email, and optionally "
        "an https webhook); the webhook signing secret is shown only in this answer."
    )
    async def create_employer_profile(
        self, info: Ctx, organisation: str, alert_email: str, webhook_url: str | None = None
    ) -> NewEmployerProfile:
        ctx = info.context
        ctx.require(Role.EMPLOYER)
        body = {"organisation": organisation, "alert_email": alert_email}
        if webhook_url is not None:
            body["webhook_url"] = webhook_url
        made = await ctx.backends.applications.create_employer_profile(body)
        return NewEmployerProfile(
            profile=EmployerProfile.from_json(made), webhook_secret=made["webhook_secret"]
        )

    @strawberry.mutation(description="Employer: change your name, alert email or webhook URL.")
    async def update_employer_profile(
        self,
        info: Ctx,
        expected_version: ExpectedVersion,
        organisation: str | None = None,
        alert_email: str | None = None,
        webhook_url: str | None = None,
        clear_webhook: bool = False,
    ) -> EmployerProfile:
        ctx = info.context
        ctx.require(Role.EMPLOYER)
        body: dict[str, Any] = {"expected_version": expected_version}
        body["clear_webhook"] = clear_webhook
        for name, value in (
            ("organisation", organisation),
            ("alert_email", alert_email),
            ("webhook_url", webhook_url),
        ):
            if value is not None:
                body[name] = value
        return EmployerProfile.from_json(
            await ctx.backends.applications.update_employer_profile(body)
        )

    @strawberry.mutation(
        description="Employer: a new webhook signing secret, shown only in this answer; the "
        "old one stops signing at once."
    )
    async def rotate_employer_webhook_secret(
        self, info: Ctx, expected_version: ExpectedVersion
    ) -> NewEmployerProfile:
        ctx = info.context
        ctx.require(Role.EMPLOYER)
        body = {"expected_version": expected_version}
        rotated = await ctx.backends.applications.rotate_webhook_secret(body)
        return NewEmployerProfile(
            profile=EmployerProfile.from_json(rotated), webhook_secret=rotated["webhook_secret"]
        )

    @strawberry.mutation(
        description="Employer: follow a certification by its number and the holder's last "
        "name; an unknown number and a wrong name get the same CERTIFICATION_NOT_MATCHED."
    )
    async def enrol_certification(
        self, info: Ctx, certificate_number: str, last_name: str
    ) -> Enrolment:
        ctx = info.context
        ctx.require(Role.EMPLOYER)
        body = {"certificate_number": certificate_number, "last_name": last_name}
        return Enrolment.from_json(await ctx.backends.applications.enrol_certification(body))

    @strawberry.mutation(description="Employer: stop following a certification; its id.")
    async def unenrol_certification(self, info: Ctx, id: strawberry.ID) -> strawberry.ID:
        ctx = info.context
        ctx.require(Role.EMPLOYER)
        await ctx.backends.applications.unenrol_certification(id)
        return id
