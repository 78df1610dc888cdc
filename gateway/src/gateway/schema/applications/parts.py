"""The parts of an application's status view: deadlines, documents, requests, notices, fees."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from gateway.schema.applications.enums import (
    DocumentKind,
    FeeKind,
    NotificationReason,
    RevisionItem,
)
from gateway.schema.common import day, instant, maybe_day, maybe_instant


@strawberry.type(
    description="Every date that matters to the application, and the days left as of `today` "
    "(local days in the board's time zone; the day of an event is day 0)."
)
class Deadlines:
    today: datetime.date = strawberry.field(description="Today in the board's time zone.")
    first_notification_due_on: datetime.date = strawberry.field(
        description="The last day on which the board's first notice to the applicant is on time."
    )
    first_notification_days_left: int = strawberry.field(
        description="Days until that due date; negative when past."
    )
    first_notified_on: datetime.date | None = strawberry.field(
        description="The day the first notice was sent; null until then."
    )
    first_notification_on_time: bool | None = strawberry.field(
        description="True: notified in time; false: a breach; null: not yet, still in time."
    )
    last_day_to_complete: datetime.date = strawberry.field(
        description="Submission day + the hold (90 days): the last day an incomplete "
        "application can still be completed."
    )
    void_from: datetime.date = strawberry.field(
        description="Still incomplete on this day means void."
    )
    days_left_to_complete: int | None = strawberry.field(
        description="Days left to complete, while waiting on the applicant; null otherwise."
    )
    valid_through: datetime.date | None = strawberry.field(
        description="The approval's last valid day; null until approved."
    )
    days_left_valid: int | None = strawberry.field(
        description="Days left in the approval, while approved."
    )
    exam_request_cutoff: datetime.date | None = strawberry.field(
        description="The last day an exam request is accepted."
    )
    days_left_to_request_exam: int | None = strawberry.field(
        description="Days left to request the exam, while approved."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Deadlines:
        return cls(
            today=day(data["today"]),
            first_notification_due_on=day(data["first_notification_due_on"]),
            first_notification_days_left=data["first_notification_days_left"],
            first_notified_on=maybe_day(data["first_notified_on"]),
            first_notification_on_time=data["first_notification_on_time"],
            last_day_to_complete=day(data["last_day_to_complete"]),
            void_from=day(data["void_from"]),
            days_left_to_complete=data["days_left_to_complete"],
            valid_through=maybe_day(data["valid_through"]),
            days_left_valid=data["days_left_valid"],
            exam_request_cutoff=maybe_day(data["exam_request_cutoff"]),
            days_left_to_request_exam=data["days_left_to_request_exam"],
        )


@strawberry.type(description="One version of a document; earlier versions are kept.")
class Document:
    id: strawberry.ID
    kind: DocumentKind
    version: int
    current: bool = strawberry.field(description="The latest version of its kind.")
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
            version=data["version"],
            current=data["current"],
            content_type=data["content_type"],
            size_bytes=data["size_bytes"],
            sha256=data["sha256"],
            original_filename=data.get("original_filename"),
            uploaded_at=instant(data["uploaded_at"]),
        )


@strawberry.type(description="What staff asked the applicant to fix, and when it was settled.")
class RevisionRequest:
    id: strawberry.ID
    items: list[RevisionItem]
    note: str | None
    requested_at: datetime.datetime
    resolved_at: datetime.datetime | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RevisionRequest:
        return cls(
            id=strawberry.ID(data["id"]),
            items=[RevisionItem(i) for i in data["items"]],
            note=data["note"],
            requested_at=instant(data["requested_at"]),
            resolved_at=maybe_instant(data["resolved_at"]),
        )


@strawberry.type(description="A notice sent to the applicant.")
class Notification:
    id: strawberry.ID
    reason: NotificationReason
    subject: str
    body: str
    created_at: datetime.datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Notification:
        return cls(
            id=strawberry.ID(data["id"]),
            reason=NotificationReason(data["reason"]),
            subject=data["subject"],
            body=data["body"],
            created_at=instant(data["created_at"]),
        )


@strawberry.type(description="A fee the board received; forfeited when the application is void.")
class Payment:
    id: strawberry.ID
    kind: FeeKind
    amount_cents: int
    currency: str
    reference: str
    paid_at: datetime.datetime
    forfeited_at: datetime.datetime | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Payment:
        return cls(
            id=strawberry.ID(data["id"]),
            kind=FeeKind(data["kind"]),
            amount_cents=data["amount_cents"],
            currency=data["currency"],
            reference=data["reference"],
            paid_at=instant(data["paid_at"]),
            forfeited_at=maybe_instant(data["forfeited_at"]),
        )


@strawberry.type(description="What the applicant attested to when submitting.")
class Attestations:
    code_of_ethics_agreed: bool
    willing_to_share_experience: bool
    recovery_two_years_attested: bool | None = strawberry.field(
        description="Where the board requires it: two years in recovery."
    )
    diagnosis_treatment_attested: bool | None = strawberry.field(
        description="Where the board requires it: diagnosis, treatment and recovery."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attestations:
        return cls(
            code_of_ethics_agreed=data["code_of_ethics_agreed"],
            willing_to_share_experience=data["willing_to_share_experience"],
            recovery_two_years_attested=data["recovery_two_years_attested"],
            diagnosis_treatment_attested=data["diagnosis_treatment_attested"],
        )
