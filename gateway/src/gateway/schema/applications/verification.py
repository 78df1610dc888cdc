"""Public verification, no token needed: a certificate number or a name, answered with the
holder's name, the status and its dates, public discipline and the credential's link."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

import strawberry

from gateway.errors import CodedError
from gateway.schema.applications.enums import CertificationStatus
from gateway.schema.common import After, Ctx, day, maybe_day
from gateway.schema.discipline.types import DisciplineOutcome

# What a typed number may hold (symbols, spaces, hyphens); anything else is no number, and
# never reaches the service's path.
_TYPED_NUMBER = re.compile(r"^[0-9A-Za-z -]{1,40}$")


@strawberry.type(
    description="A decision the public is shown, with its dates: never the complaint, who "
    "made it, the reasons or the conditions."
)
class PublicDiscipline:
    outcome: DisciplineOutcome
    decided_on: datetime.date
    ends_on: datetime.date | None = strawberry.field(
        description="Probation's or a suspension's last day."
    )
    in_force: bool = strawberry.field(description="Whether it still binds today.")


@strawberry.type(description="What anyone may learn of a certificate number, and no more.")
class CertificateVerification:
    holder_name: str
    number: str = strawberry.field(description="The public number, in groups of four.")
    status: CertificationStatus = strawberry.field(
        description="Active (also in the renewal window), lapsed (in grace: renewal late, "
        "practice still lawful), expired (also terminated), suspended, revoked or surrendered."
    )
    issued_on: datetime.date
    valid_through: datetime.date
    discipline: list[PublicDiscipline] = strawberry.field(description="Oldest decision first.")
    credential_url: str | None = strawberry.field(
        description="Where its signed credential is fetched, while it may be relied on."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CertificateVerification:
        return cls(
            holder_name=data["holder_name"],
            number=data["number"],
            status=CertificationStatus(data["status"]),
            issued_on=day(data["issued_on"]),
            valid_through=day(data["valid_through"]),
            discipline=[
                PublicDiscipline(
                    outcome=DisciplineOutcome(d["outcome"]),
                    decided_on=day(d["decided_on"]),
                    ends_on=maybe_day(d["ends_on"]),
                    in_force=d["in_force"],
                )
                for d in data["discipline"]
            ],
            credential_url=data["credential_url"],
        )


@strawberry.type(description="Holders whose name matches, by first name then number.")
class CertificateVerificationPage:
    items: list[CertificateVerification]
    next_cursor: str | None


Number = Annotated[
    str,
    strawberry.argument(description="As printed; case, spaces and hyphens do not matter."),
]
LastName = Annotated[str, strawberry.argument(description="The whole last name.")]
FirstName = Annotated[
    str, strawberry.argument(description="The first name, or at least its first letter.")
]
PageSize = Annotated[int, strawberry.argument(description="The page size, at most 50.")]


@strawberry.type
class VerificationQueries:
    @strawberry.field(
        description="Public, no token needed: a certificate number's holder, status, dates, "
        "public discipline and credential link."
    )
    async def verify_certification(self, info: Ctx, number: Number) -> CertificateVerification:
        if not _TYPED_NUMBER.match(number):
            raise CodedError(
                "CERTIFICATE_NOT_FOUND",
                "no certificate has this number",
                field="number",
                status=404,
            )
        answer = await info.context.backends.applications.verify_certification(number)
        return CertificateVerification.from_json(answer)

    @strawberry.field(
        description="Public, no token needed: holders by name (the whole last name and at "
        "least the first letter of the first; case, accents, spaces, hyphens and apostrophes "
        "do not matter), a page at a time."
    )
    async def find_certifications(
        self,
        info: Ctx,
        last_name: LastName,
        first_name: FirstName,
        first: PageSize = 20,
        after: After = None,
    ) -> CertificateVerificationPage:
        page = await info.context.backends.applications.find_certifications(
            last_name=last_name, first_name=first_name, first=first, after=after
        )
        return CertificateVerificationPage(
            items=[CertificateVerification.from_json(item) for item in page["items"]],
            next_cursor=page["next_cursor"],
        )
