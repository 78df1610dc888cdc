"""Changing providers and certificates: each mutation is one call to the service, which decides."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.schema.certificates.enums import ProviderStatus
from gateway.schema.certificates.types import (
    CertificateUploadResult,
    ProviderCreated,
    TrainingCertificate,
    TrainingProgram,
    TrainingProvider,
)
from gateway.schema.common import Ctx, ExpectedVersion, value_of


@strawberry.input(
    description="One certificate as the provider's records hold it. Dates and the program id "
    "are plain strings: a malformed one is rejected for its row, not for the whole upload."
)
class CertificateInput:
    certificate_id: str = strawberry.field(description="The provider's own id; stored once.")
    legal_name: str
    date_of_birth: str = strawberry.field(description="YYYY-MM-DD.")
    email: str
    program_id: str = strawberry.field(description="An approved program of this provider.")
    completion_date: str = strawberry.field(
        description="YYYY-MM-DD; not older than the policy's validity."
    )
    hours: int
    applicant_id: str | None = strawberry.field(
        default=None,
        description="The applicant's id, when known; else matched by email and date of birth.",
    )
    file_base64: str | None = strawberry.field(
        default=None, description="The certificate itself, a PDF or JPEG, base64-encoded."
    )

    def to_row(self) -> dict[str, Any]:
        """The row as the service takes it."""
        row: dict[str, Any] = {
            "certificate_id": self.certificate_id,
            "legal_name": self.legal_name,
            "date_of_birth": self.date_of_birth,
            "email": self.email,
            "program_id": self.program_id,
            "completion_date": self.completion_date,
            "hours": self.hours,
        }
        # Absent, not null: the same rows always make the same body (and idempotency digest).
        if self.applicant_id is not None:
            row["applicant_id"] = self.applicant_id
        if self.file_base64 is not None:
            row["file_base64"] = self.file_base64
        return row


@strawberry.type
class ProviderMutations:
    @strawberry.mutation(
        description="Staff: approve a training provider. The answer carries the webhook secret, "
        "shown this once."
    )
    async def create_training_provider(
        self, info: Ctx, name: str, webhook_url: str | None = None
    ) -> ProviderCreated:
        ctx = info.context
        ctx.require(Role.STAFF)
        created = await ctx.backends.applications.create_provider(
            name=name, webhook_url=webhook_url
        )
        return ProviderCreated.from_json(created)

    @strawberry.mutation(
        description="Staff: suspend or reinstate a provider, or set or clear its webhook URL."
    )
    async def update_training_provider(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        status: ProviderStatus | None = None,
        webhook_url: str | None = None,
        clear_webhook: bool = False,
    ) -> TrainingProvider:
        ctx = info.context
        ctx.require(Role.STAFF)
        updated = await ctx.backends.applications.update_provider(
            id,
            expected_version=expected_version,
            status=value_of(status),
            webhook_url=webhook_url,
            clear_webhook=clear_webhook,
        )
        return TrainingProvider.from_json(updated)

    @strawberry.mutation(
        description="Staff: approve a program of the provider (certificates from a program "
        "below the policy's minimum hours are rejected)."
    )
    async def add_training_program(
        self, info: Ctx, provider_id: strawberry.ID, name: str, hours: int
    ) -> TrainingProgram:
        ctx = info.context
        ctx.require(Role.STAFF)
        program = await ctx.backends.applications.add_program(provider_id, name=name, hours=hours)
        return TrainingProgram.from_json(program)

    @strawberry.mutation(
        description="Provider: send one certificate or up to 1,000; each row comes back "
        "accepted, duplicate or rejected with the field at fault. Retry with the same "
        "idempotencyKey and rows to get the first answer again (IDEMPOTENCY_KEY_REUSED for "
        "other rows, IDEMPOTENCY_IN_PROGRESS while the first still runs)."
    )
    async def upload_certificates(
        self,
        info: Ctx,
        provider_id: strawberry.ID,
        certificates: list[CertificateInput],
        idempotency_key: Annotated[
            str | None,
            strawberry.argument(description="Kept 24 hours per provider; any unique string."),
        ] = None,
    ) -> CertificateUploadResult:
        ctx = info.context
        ctx.require(Role.PROVIDER)
        answer = await ctx.backends.applications.upload_certificates(
            provider_id, [c.to_row() for c in certificates], idempotency_key
        )
        return CertificateUploadResult.from_json(answer.body, replayed=answer.replayed)

    @strawberry.mutation(
        description="Staff: accept a pending certificate; refused with CERTIFICATE_EXPIRED past "
        "its valid-through day."
    )
    async def accept_certificate(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        reason: str | None = None,
    ) -> TrainingCertificate:
        ctx = info.context
        ctx.require(Role.STAFF)
        accepted = await ctx.backends.applications.accept_certificate(
            id, expected_version=expected_version, reason=reason
        )
        return TrainingCertificate.from_json(accepted)

    @strawberry.mutation(description="Staff: reject a pending certificate, saying why.")
    async def reject_certificate(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, reason: str
    ) -> TrainingCertificate:
        ctx = info.context
        ctx.require(Role.STAFF)
        rejected = await ctx.backends.applications.reject_certificate(
            id, expected_version=expected_version, reason=reason
        )
        return TrainingCertificate.from_json(rejected)

    @strawberry.mutation(description="Staff: link an unmatched certificate to an application.")
    async def link_certificate(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        application_id: strawberry.ID,
    ) -> TrainingCertificate:
        ctx = info.context
        ctx.require(Role.STAFF)
        linked = await ctx.backends.applications.link_certificate(
            id, expected_version=expected_version, application_id=application_id
        )
        return TrainingCertificate.from_json(linked)
