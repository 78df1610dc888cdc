"""The CE ledger as the gateway shows it: courses, records, a provider's report and its answer."""

from __future__ import annotations

import datetime
import decimal
from enum import Enum
from typing import Any

import strawberry

from gateway.schema.certificates.types import UploadBatchCounts
from gateway.schema.common import day, instant, maybe_id, maybe_instant
from gateway.schema.renewal.types import CeCategory

VERSION = "Send back as `expectedVersion` with every change; a stale one is refused."


@strawberry.enum(description="Where a CE record stands: only accepted records count.")
class CeRecordStatus(Enum):
    PENDING_VERIFICATION = "pending_verification"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@strawberry.enum(description="Who told the board of a completion.")
class CeSource(Enum):
    PROVIDER = "provider"
    SELF_REPORTED = "self_reported"


@strawberry.enum(description="What became of one row of a provider's CE report.")
class CeOutcome(Enum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@strawberry.type(description="A CE course the board approved for a provider, hours and all.")
class CeCourse:
    id: strawberry.ID
    provider_id: strawberry.ID
    name: str
    hours: decimal.Decimal = strawberry.field(description="Exact, two decimal places.")
    category: CeCategory
    active: bool = strawberry.field(
        description="False once withdrawn: completions of it are refused."
    )
    created_at: datetime.datetime
    version: int = strawberry.field(description=VERSION)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CeCourse:
        return cls(
            id=strawberry.ID(data["id"]),
            provider_id=strawberry.ID(data["provider_id"]),
            name=data["name"],
            hours=decimal.Decimal(data["hours"]),
            category=CeCategory(data["category"]),
            active=data["active"],
            created_at=instant(data["created_at"]),
            version=data["version"],
        )


@strawberry.type(description="One CE completion in a certification's ledger.")
class CeRecord:
    id: strawberry.ID
    certification_id: strawberry.ID
    applicant_id: str
    source: CeSource
    provider_id: strawberry.ID | None = strawberry.field(description="Null: self-reported.")
    course_id: strawberry.ID | None = strawberry.field(description="Null: self-reported.")
    provider_completion_id: str | None = strawberry.field(
        description="The provider's own id for the completion."
    )
    course_title: str
    provider_name: str
    hours: decimal.Decimal = strawberry.field(description="Exact, two decimal places.")
    category: CeCategory
    completed_on: datetime.date
    received_at: datetime.datetime
    status: CeRecordStatus
    has_document: bool = strawberry.field(description="A certificate of completion was sent.")
    reviewed_at: datetime.datetime | None
    review_reason: str | None
    version: int = strawberry.field(description=VERSION)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CeRecord:
        return cls(
            id=strawberry.ID(data["id"]),
            certification_id=strawberry.ID(data["certification_id"]),
            applicant_id=data["applicant_id"],
            source=CeSource(data["source"]),
            provider_id=maybe_id(data["provider_id"]),
            course_id=maybe_id(data["course_id"]),
            provider_completion_id=data["provider_completion_id"],
            course_title=data["course_title"],
            provider_name=data["provider_name"],
            hours=decimal.Decimal(data["hours"]),
            category=CeCategory(data["category"]),
            completed_on=day(data["completed_on"]),
            received_at=instant(data["received_at"]),
            status=CeRecordStatus(data["status"]),
            has_document=data["has_document"],
            reviewed_at=maybe_instant(data["reviewed_at"]),
            review_reason=data["review_reason"],
            version=data["version"],
        )


@strawberry.type
class CeRecordPage:
    items: list[CeRecord]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )

    @classmethod
    def from_json(cls, page: dict[str, Any]) -> CeRecordPage:
        return cls(
            items=[CeRecord.from_json(item) for item in page["items"]],
            next_cursor=page["next_cursor"],
        )


@strawberry.type(description="What became of one row of a provider's CE report.")
class CeRowResult:
    index: int = strawberry.field(description="The row's position in the report, from 0.")
    completion_id: str | None = strawberry.field(description="The provider's id, as sent.")
    outcome: CeOutcome
    id: strawberry.ID | None = strawberry.field(
        description="The CE record: the new one, or the one a duplicate repeats."
    )
    field: str | None = strawberry.field(description="The field at fault, when rejected.")
    reason: str | None


@strawberry.type(description="A CE report's answer, row by row; one bad row never fails the rest.")
class CeUploadResult:
    batch: UploadBatchCounts
    results: list[CeRowResult]
    replayed: bool = strawberry.field(
        description="The first answer to this idempotency key, replayed: nothing was stored now."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any], *, replayed: bool) -> CeUploadResult:
        return cls(
            batch=UploadBatchCounts.from_json(data["batch"]),
            results=[
                CeRowResult(
                    index=r["index"],
                    completion_id=r["completion_id"],
                    outcome=CeOutcome(r["outcome"]),
                    id=maybe_id(r.get("id")),
                    field=r.get("field"),
                    reason=r.get("reason"),
                )
                for r in data["results"]
            ],
            replayed=replayed,
        )


@strawberry.type(description="Self-reported CE waiting for staff to verify it.")
class CeVerificationCounts:
    pending_verification: int
    oldest_received_at: datetime.datetime | None = strawberry.field(
        description="When the oldest still waiting was received; null: none waits."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CeVerificationCounts:
        return cls(
            pending_verification=data["pending_verification"],
            oldest_received_at=maybe_instant(data["oldest_received_at"]),
        )
