"""``me``: everything the caller's role has, from one entry point.

An applicant's applications (each a whole status view with exams and supervision as fields)
and their supervision; a supervisor's supervisees; a provider's record and uploads; staff's
every queue with counts. Each part asks its role; the applicant's whole view costs one call
per service (the applications' views, their exam summaries, the supervision overview).
"""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from certboard_core.auth import Role
from gateway.errors import CodedError
from gateway.schema.applications.types import Application
from gateway.schema.certificates.enums import CertificateStatus
from gateway.schema.certificates.types import CertificatePage, TrainingProvider
from gateway.schema.common import After, Ctx, First, value_of
from gateway.schema.employer.operations import EmployerView
from gateway.schema.me.types import MySupervision, StaffQueues

# An applicant rarely has more than a handful; one page is all of them.
MY_APPLICATIONS_LIMIT = 200

FromDay = Annotated[
    datetime.date | None,
    strawberry.argument(name="from", description="A day of the first week; 11 weeks ago."),
]
ToDay = Annotated[
    datetime.date | None,
    strawberry.argument(name="to", description="A day of the last week; this week."),
]


def _provider_id(info: Ctx) -> str:
    principal = info.context.require(Role.PROVIDER)
    if principal.provider_id is None:
        raise CodedError("FORBIDDEN", "the token names no training provider", status=403)
    return principal.provider_id


@strawberry.type(description="The signed-in caller and everything their role has.")
class Me:
    subject: str
    roles: list[str]

    @strawberry.field(description="Applicant: your applications, oldest first, each whole.")
    async def applications(self, info: Ctx) -> list[Application]:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        views = await ctx.backends.applications.my_applications(first=MY_APPLICATIONS_LIMIT)
        return [Application.from_json(view) for view in views]

    @strawberry.field(
        description="Peer or supervisor: your agreements with their sessions, the sessions "
        "to sign and the compliance of the peers concerned (null, with an error, while "
        "supervision cannot be reached)."
    )
    async def supervision(
        self, info: Ctx, from_day: FromDay = None, to_day: ToDay = None
    ) -> MySupervision | None:
        ctx = info.context
        ctx.require(Role.APPLICANT, Role.SUPERVISOR)
        return MySupervision.from_json(await ctx.supervision_overviews.load((from_day, to_day)))

    @strawberry.field(description="Training provider: your record.")
    async def provider(self, info: Ctx) -> TrainingProvider:
        provider = _provider_id(info)
        found = await info.context.backends.applications.get_provider(provider)
        return TrainingProvider.from_json(found)

    @strawberry.field(
        description="Training provider: your uploads, oldest first, with what became of each."
    )
    async def uploads(
        self,
        info: Ctx,
        status: CertificateStatus | None = None,
        first: First = 50,
        after: After = None,
    ) -> CertificatePage:
        provider = _provider_id(info)
        page = await info.context.backends.applications.provider_certificates(
            provider,
            status=value_of(status),
            received_from=None,
            received_to=None,
            first=first,
            after=after,
        )
        return CertificatePage.from_json(page)

    @strawberry.field(description="Employer: your profile, enrolments and alerts.")
    def employer(self, info: Ctx) -> EmployerView:
        info.context.require(Role.EMPLOYER)
        return EmployerView()

    @strawberry.field(description="Staff: every work queue today, with counts.")
    def queues(self, info: Ctx) -> StaffQueues:
        info.context.require(Role.STAFF)
        return StaffQueues()


@strawberry.type
class MeQueries:
    @strawberry.field(description="Who the bearer token says you are, and what your role has.")
    def me(self, info: Ctx) -> Me:
        principal = info.context.require(*Role)
        return Me(subject=principal.subject, roles=sorted(r.value for r in principal.roles))
