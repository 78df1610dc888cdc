"""Employers' profiles, enrolments and alerts as the gateway shows them."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

import strawberry

from gateway.schema.applications.enums import CertificationStatus
from gateway.schema.common import day, instant, maybe_day
from gateway.schema.discipline.types import DisciplineOutcome


@strawberry.enum(description="What an alert tells of.")
class EmployerAlertKind(Enum):
    STATUS_CHANGED = "status_changed"
    EXPIRING = "expiring"
    RENEWED = "renewed"
    DISCIPLINED = "disciplined"


@strawberry.type(description="An employer: its name and where alerts go.")
class EmployerProfile:
    id: strawberry.ID
    organisation: str
    alert_email: str
    webhook_url: str | None = strawberry.field(
        description="Alerts are POSTed here, signed in X-Certboard-Signature."
    )
    created_at: datetime.datetime
    version: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EmployerProfile:
        return cls(
            id=strawberry.ID(data["id"]),
            organisation=data["organisation"],
            alert_email=data["alert_email"],
            webhook_url=data["webhook_url"],
            created_at=instant(data["created_at"]),
            version=data["version"],
        )


@strawberry.type(description="A new employer profile and its webhook signing secret.")
class NewEmployerProfile:
    profile: EmployerProfile
    webhook_secret: str = strawberry.field(description="Shown only here: keep it.")


@strawberry.type(description="A certification an employer follows.")
class Enrolment:
    id: strawberry.ID
    certification_id: strawberry.ID
    certificate_number: str
    holder_name: str
    status: CertificationStatus = strawberry.field(description="As of today.")
    valid_through: datetime.date
    enrolled_at: datetime.datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Enrolment:
        return cls(
            id=strawberry.ID(data["id"]),
            certification_id=strawberry.ID(data["certification_id"]),
            certificate_number=data["certificate_number"],
            holder_name=data["holder_name"],
            status=CertificationStatus(data["status"]),
            valid_through=day(data["valid_through"]),
            enrolled_at=instant(data["enrolled_at"]),
        )


@strawberry.type
class EnrolmentPage:
    items: list[Enrolment]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EnrolmentPage:
        return cls(
            items=[Enrolment.from_json(e) for e in data["items"]],
            next_cursor=data["next_cursor"],
        )


def _status(value: str | None) -> CertificationStatus | None:
    return CertificationStatus(value) if value else None


@strawberry.type(description="What changed; each kind fills its own fields.")
class AlertDetail:
    from_status: CertificationStatus | None
    to_status: CertificationStatus | None
    changed_on: datetime.date | None
    valid_through: datetime.date | None
    previous_valid_through: datetime.date | None
    days_left: int | None
    outcome: DisciplineOutcome | None
    status: CertificationStatus | None
    effective_from: datetime.date | None
    effective_through: datetime.date | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AlertDetail:
        return cls(
            from_status=_status(data.get("from")) if "to" in data else None,
            to_status=_status(data.get("to")),
            changed_on=maybe_day(data.get("on")),
            valid_through=maybe_day(data.get("valid_through")),
            previous_valid_through=maybe_day(data.get("previous_valid_through")),
            days_left=data.get("days_left"),
            outcome=DisciplineOutcome(data["outcome"]) if data.get("outcome") else None,
            status=_status(data.get("status")),
            effective_from=maybe_day(data.get("from")) if "outcome" in data else None,
            effective_through=maybe_day(data.get("through")),
        )


@strawberry.type(description="One alert an employer was sent (by webhook and email).")
class EmployerAlert:
    id: strawberry.ID
    enrolment_id: strawberry.ID
    certification_id: strawberry.ID
    certificate_number: str
    kind: EmployerAlertKind
    summary: str
    detail: AlertDetail
    created_at: datetime.datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EmployerAlert:
        return cls(
            id=strawberry.ID(data["id"]),
            enrolment_id=strawberry.ID(data["enrolment_id"]),
            certification_id=strawberry.ID(data["certification_id"]),
            certificate_number=data["certificate_number"],
            kind=EmployerAlertKind(data["kind"]),
            summary=data["summary"],
            detail=AlertDetail.from_json(data["detail"]),
            created_at=instant(data["created_at"]),
        )


@strawberry.type
class EmployerAlertPage:
    items: list[EmployerAlert]
    next_cursor: str | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EmployerAlertPage:
        return cls(
            items=[EmployerAlert.from_json(a) for a in data["items"]],
            next_cursor=data["next_cursor"],
        )


@strawberry.type(description="An employer following a certification, and since when.")
class Follower:
    organisation: str
    since: datetime.datetime
