"""Training providers, their programs and the completion certificates they send, as GraphQL."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from gateway.schema.certificates.enums import CertificateStatus, ProviderStatus, UploadOutcome
from gateway.schema.common import day, instant, maybe_day, maybe_id, maybe_instant


@strawberry.type(description="A board-approved training provider.")
class TrainingProvider:
    id: strawberry.ID
    name: str
    status: ProviderStatus
    webhook_url: str | None = strawberry.field(
        description="Where decisions on its certificates are POSTed, signed; null: none."
    )
    created_at: datetime.datetime
    version: int = strawberry.field(
        description="Send back as `expectedVersion` with every change; a stale one is refused."
    )

    @staticmethod
    def fields_from(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": strawberry.ID(data["id"]),
            "name": data["name"],
            "status": ProviderStatus(data["status"]),
            "webhook_url": data["webhook_url"],
            "created_at": instant(data["created_at"]),
            "version": data["version"],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingProvider:
        return cls(**cls.fields_from(data))


@strawberry.type(description="A provider just approved; the webhook secret is shown only here.")
class ProviderCreated(TrainingProvider):
    webhook_secret: str = strawberry.field(
        description="Signs the webhook calls (X-Certboard-Signature); shown once, keep it."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProviderCreated:
        return cls(**cls.fields_from(data), webhook_secret=data["webhook_secret"])


@strawberry.type(description="A board-approved training program of a provider.")
class TrainingProgram:
    id: strawberry.ID
    provider_id: strawberry.ID
    name: str
    hours: int
    active: bool
    created_at: datetime.datetime

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingProgram:
        return cls(
            id=strawberry.ID(data["id"]),
            provider_id=strawberry.ID(data["provider_id"]),
            name=data["name"],
            hours=data["hours"],
            active=data["active"],
            created_at=instant(data["created_at"]),
        )


@strawberry.type(description="A training completion certificate a provider sent, and its review.")
class TrainingCertificate:
    id: strawberry.ID
    provider_id: strawberry.ID
    program_id: strawberry.ID
    provider_certificate_id: str = strawberry.field(description="The provider's own id for it.")
    legal_name: str
    date_of_birth: datetime.date
    email: str
    completed_on: datetime.date
    hours: int
    valid_through: datetime.date = strawberry.field(
        description="Its last valid day (the policy's years from completion); past it, it "
        "cannot be accepted."
    )
    applicant_id: str | None
    application_id: strawberry.ID | None = strawberry.field(
        description="The application it joined; null while unmatched."
    )
    received_at: datetime.datetime
    review_due_on: datetime.date = strawberry.field(
        description="The last day staff review it on time."
    )
    status: CertificateStatus
    reviewed_at: datetime.datetime | None
    review_reason: str | None
    has_file: bool = strawberry.field(description="The provider sent the certificate's file.")
    version: int = strawberry.field(
        description="Send back as `expectedVersion` with every change; a stale one is refused."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingCertificate:
        return cls(
            id=strawberry.ID(data["id"]),
            provider_id=strawberry.ID(data["provider_id"]),
            program_id=strawberry.ID(data["program_id"]),
            provider_certificate_id=data["provider_certificate_id"],
            legal_name=data["legal_name"],
            date_of_birth=day(data["date_of_birth"]),
            email=data["email"],
            completed_on=day(data["completed_on"]),
            hours=data["hours"],
            valid_through=day(data["valid_through"]),
            applicant_id=data["applicant_id"],
            application_id=maybe_id(data["application_id"]),
            received_at=instant(data["received_at"]),
            review_due_on=day(data["review_due_on"]),
            status=CertificateStatus(data["status"]),
            reviewed_at=maybe_instant(data["reviewed_at"]),
            review_reason=data["review_reason"],
            has_file=data["has_file"],
            version=data["version"],
        )


@strawberry.type
class CertificatePage:
    items: list[TrainingCertificate]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )

    @classmethod
    def from_json(cls, page: dict[str, Any]) -> CertificatePage:
        return cls(
            items=[TrainingCertificate.from_json(item) for item in page["items"]],
            next_cursor=page["next_cursor"],
        )


@strawberry.type(description="How many rows of an upload had each outcome.")
class UploadBatchCounts:
    accepted: int
    duplicate: int
    rejected: int


@strawberry.type(description="What became of one row of an upload.")
class UploadRowResult:
    index: int = strawberry.field(description="The row's position in the upload, from 0.")
    certificate_id: str | None = strawberry.field(description="The provider's id, as sent.")
    outcome: UploadOutcome
    id: strawberry.ID | None = strawberry.field(
        description="The stored certificate: the new one, or the one a duplicate repeats."
    )
    field: str | None = strawberry.field(description="The field at fault, when rejected.")
    reason: str | None


@strawberry.type(description="An upload's answer, row by row; one bad row never fails the rest.")
class CertificateUploadResult:
    batch: UploadBatchCounts
    results: list[UploadRowResult]
    replayed: bool = strawberry.field(
        description="The first answer to this idempotency key, replayed: nothing was stored now."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any], *, replayed: bool) -> CertificateUploadResult:
        counts = data["batch"]
        return cls(
            batch=UploadBatchCounts(
                accepted=counts["accepted"],
                duplicate=counts["duplicate"],
                rejected=counts["rejected"],
            ),
            results=[
                UploadRowResult(
                    index=r["index"],
                    certificate_id=r["certificate_id"],
                    outcome=UploadOutcome(r["outcome"]),
                    id=maybe_id(r.get("id")),
                    field=r.get("field"),
                    reason=r.get("reason"),
                )
                for r in data["results"]
            ],
            replayed=replayed,
        )


@strawberry.type(description="Certificates waiting on staff, today.")
class CertificateCounts:
    pending_review: int
    breaches: int = strawberry.field(description="Pending past their review day.")
    unmatched: int = strawberry.field(description="Not linked to any application yet.")
    next_review_due_on: datetime.date | None = strawberry.field(
        description="The earliest pending review day; null: none pending."
    )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CertificateCounts:
        return cls(
            pending_review=data["pending_review"],
            breaches=data["breaches"],
            unmatched=data["unmatched"],
            next_review_due_on=maybe_day(data["next_review_due_on"]),
        )
