"""Complaints and discipline as the gateway shows them."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

import strawberry

from gateway.schema.common import day, instant, maybe_day


@strawberry.enum(description="Received, being investigated, or decided.")
class ComplaintStatus(Enum):
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    DECIDED = "decided"


@strawberry.enum(description="What a complaint was decided as.")
class DisciplineOutcome(Enum):
    DISMISSED = "dismissed"
    LETTER_OF_WARNING = "letter_of_warning"
    PROBATION = "probation"
    SUSPENSION = "suspension"
    REVOCATION = "revocation"
    VOLUNTARY_SURRENDER = "voluntary_surrender"


@strawberry.type(description="That a complaint arrived, and its reference.")
class ComplaintReceipt:
    reference: strawberry.ID
    received_at: datetime.datetime


@strawberry.type
class ComplaintAttachment:
    id: strawberry.ID
    content_type: str
    name: str | None
    size_bytes: int


@strawberry.type(description="A complaint, as staff see it.")
class Complaint:
    id: strawberry.ID
    certification_id: strawberry.ID
    description: str
    complainant_name: str | None
    complainant_email: str | None
    filed_by: str
    received_at: datetime.datetime
    status: ComplaintStatus
    investigator: str | None
    investigation_note: str | None
    outcome: DisciplineOutcome | None
    reasons: str | None
    conditions: str | None
    ends_on: datetime.date | None
    decided_on: datetime.date | None
    decided_by: str | None
    appeal_until: datetime.date | None
    version: int
    attachments: list[ComplaintAttachment]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Complaint:
        return cls(
            id=strawberry.ID(data["id"]),
            certification_id=strawberry.ID(data["certification_id"]),
            description=data["description"],
            complainant_name=data["complainant_name"],
            complainant_email=data["complainant_email"],
            filed_by=data["filed_by"],
            received_at=instant(data["received_at"]),
            status=ComplaintStatus(data["status"]),
            investigator=data["investigator"],
            investigation_note=data["investigation_note"],
            outcome=DisciplineOutcome(data["outcome"]) if data["outcome"] else None,
            reasons=data["reasons"],
            conditions=data["conditions"],
            ends_on=maybe_day(data["ends_on"]),
            decided_on=maybe_day(data["decided_on"]),
            decided_by=data["decided_by"],
            appeal_until=maybe_day(data["appeal_until"]),
            version=data["version"],
            attachments=[
                ComplaintAttachment(
                    id=strawberry.ID(a["id"]),
                    content_type=a["content_type"],
                    name=a["name"],
                    size_bytes=a["size_bytes"],
                )
                for a in data["attachments"]
            ],
        )


@strawberry.type(description="Complaints oldest first, with the open counts.")
class ComplaintPage:
    items: list[Complaint]
    next_cursor: str | None
    received: int = strawberry.field(description="Waiting to be taken up, on every page.")
    investigating: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ComplaintPage:
        return cls(
            items=[Complaint.from_json(c) for c in data["items"]],
            next_cursor=data["next_cursor"],
            received=data["received"],
            investigating=data["investigating"],
        )


@strawberry.type(description="A decision about a certification (never who complained).")
class DisciplineDecision:
    outcome: DisciplineOutcome
    reasons: str
    conditions: str | None
    ends_on: datetime.date | None
    decided_on: datetime.date
    appeal_until: datetime.date
    in_force: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DisciplineDecision:
        return cls(
            outcome=DisciplineOutcome(data["outcome"]),
            reasons=data["reasons"],
            conditions=data["conditions"],
            ends_on=maybe_day(data["ends_on"]),
            decided_on=day(data["decided_on"]),
            appeal_until=day(data["appeal_until"]),
            in_force=data["in_force"],
        )
