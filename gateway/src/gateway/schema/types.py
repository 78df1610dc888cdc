"""GraphQL types of the applications service's records."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

import strawberry


@strawberry.enum
class ApplicationStatus(Enum):
    SUBMITTED = "submitted"


@strawberry.enum
class LivedExperience(Enum):
    CONSUMER = "consumer"
    FAMILY_MEMBER = "family_member"


@strawberry.enum
class DocumentKind(Enum):
    GOVERNMENT_ID = "government_id"
    DIPLOMA = "diploma"


@strawberry.type
class Document:
    id: strawberry.ID
    kind: DocumentKind
    content_type: str
    size_bytes: int
    sha256: str
    original_filename: str | None
    uploaded_at: datetime.datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=strawberry.ID(data["id"]),
            kind=DocumentKind(data["kind"]),
            content_type=data["content_type"],
            size_bytes=data["size_bytes"],
            sha256=data["sha256"],
            original_filename=data.get("original_filename"),
            uploaded_at=datetime.datetime.fromisoformat(data["uploaded_at"]),
        )


@strawberry.type
class Application:
    id: strawberry.ID
    applicant_id: str
    status: ApplicationStatus
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    email: str
    lived_experience: LivedExperience
    submitted_at: datetime.datetime
    submitted_on: datetime.date = strawberry.field(
        description="The local day of submission in the board's time zone (day 0 of every window)."
    )
    first_notification_due_on: datetime.date = strawberry.field(
        description="The last day on which the board's first notice to the applicant is on time."
    )
    first_notification_days_left: int = strawberry.field(
        description="Days until that due date as of today in the board's zone; negative when past."
    )
    version: int
    documents: list[Document]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Application:
        return cls(
            id=strawberry.ID(data["id"]),
            applicant_id=data["applicant_id"],
            status=ApplicationStatus(data["status"]),
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=datetime.date.fromisoformat(data["date_of_birth"]),
            email=data["email"],
            lived_experience=LivedExperience(data["lived_experience"]),
            submitted_at=datetime.datetime.fromisoformat(data["submitted_at"]),
            submitted_on=datetime.date.fromisoformat(data["submitted_on"]),
            first_notification_due_on=datetime.date.fromisoformat(
                data["first_notification_due_on"]
            ),
            first_notification_days_left=data["first_notification_days_left"],
            version=data["version"],
            documents=[Document.from_json(d) for d in data["documents"]],
        )


@strawberry.type
class ApplicationConnection:
    items: list[Application]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )


@strawberry.type
class ApplicationPolicy:
    board: str
    time_zone: str
    min_applicant_age_years: int
    first_notification_days: int
    incomplete_hold_days: int
    approval_valid_months: int


@strawberry.type
class Viewer:
    subject: str
    roles: list[str]
