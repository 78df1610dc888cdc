"""Certifications: the holder's and staff's view on an application, and public verification."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from gateway.schema.applications.enums import CertificationStatus
from gateway.schema.ce.queries import ce_records_of
from gateway.schema.ce.types import CeRecord
from gateway.schema.common import day, instant, maybe_day
from gateway.schema.discipline.operations import discipline_of
from gateway.schema.discipline.types import DisciplineDecision
from gateway.schema.employer.operations import followers_of
from gateway.schema.employer.types import Follower
from gateway.schema.renewal.credential import SignedCredential, credential_of
from gateway.schema.renewal.operations import renewal_of, renewals_of
from gateway.schema.renewal.types import Renewal, RenewalView


@strawberry.type(description="The certification a pass earned: its holder and staff see it.")
class Certification:
    id: strawberry.ID
    number: str = strawberry.field(description="The public number, in groups of four.")
    holder_name: str
    status: CertificationStatus
    status_since: datetime.date | None = strawberry.field(
        description="The status's first day; none for a status set by discipline."
    )
    status_until: datetime.date | None = strawberry.field(
        description="Its last day unless renewed; none when open-ended or set by discipline."
    )
    status_rule: str = strawberry.field(description="The rule that gives the status, in words.")
    issued_on: datetime.date = strawberry.field(description="The day the exam was passed.")
    valid_through: datetime.date = strawberry.field(description="Its last valid day.")
    issued_at: datetime.datetime
    renewal: RenewalView = strawberry.field(
        resolver=renewal_of,
        description="What renewing it takes today: the window, fees, CE progress by category.",
    )
    renewals: list[Renewal] = strawberry.field(
        resolver=renewals_of, description="Every renewal, oldest first."
    )
    credential: SignedCredential = strawberry.field(
        resolver=credential_of,
        description="Its signed credential (Open Badges 3.0 as a VC-JWT), while it may be "
        "relied on; refused while suspended, revoked, expired or terminated.",
    )
    discipline: list[DisciplineDecision] = strawberry.field(
        resolver=discipline_of,
        description="Decisions about it, oldest first (its holder and staff; never who "
        "complained).",
    )
    followers: list[Follower] = strawberry.field(
        resolver=followers_of,
        description="The employers who enrolled it for alerts, and since when (its holder "
        "and staff).",
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Certification:
        return cls(
            id=strawberry.ID(data["id"]),
            number=data["number"],
            holder_name=data["holder_name"],
            status=CertificationStatus(data["status"]),
            status_since=maybe_day(data["status_since"]),
            status_until=maybe_day(data["status_until"]),
            status_rule=data["status_rule"],
            issued_on=day(data["issued_on"]),
            valid_through=day(data["valid_through"]),
            issued_at=instant(data["issued_at"]),
        )

    ce_records: list[CeRecord] | None = strawberry.field(
        resolver=ce_records_of,
        description="Its CE ledger by completion day, each record with its status (only "
        "accepted ones count); one call for every certification of a request.",
    )


def certification_of(view: dict[str, Any]) -> Certification | None:
    """The certification in an application's status view, if a pass earned one."""
    data = view.get("certification")
    return Certification.from_json(data) if data else None
