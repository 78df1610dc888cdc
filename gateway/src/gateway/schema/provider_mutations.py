"""Changing providers and certificates: each mutation is one REST call, the service decides."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from certboard_core.auth import Role
from gateway.clients import certificate_path, provider_path
from gateway.context import GatewayContext
from gateway.errors import CodedError
from gateway.schema.application_mutations import ExpectedVersion
from gateway.schema.application_types import Ctx
from gateway.schema.provider_types import (
    CertificateUploadResult,
    ProviderCreated,
    ProviderStatus,
    TrainingCertificate,
    TrainingProgram,
    TrainingProvider,
)

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


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


def _key_headers(idempotency_key: str | None) -> dict[str, str]:
    if idempotency_key is None:
        return {}
    # A header carries printable ASCII only; anything else would fail in httpx, not as an answer.
    if not (idempotency_key.isascii() and idempotency_key.isprintable()):
        raise CodedError(
            "INVALID_INPUT",
            "Idempotency-Key must be 1 to 255 printable ASCII characters",
            field=IDEMPOTENCY_KEY_HEADER,
            status=422,
        )
    return {IDEMPOTENCY_KEY_HEADER: idempotency_key}


def _row(certificate: CertificateInput) -> dict[str, Any]:
    row: dict[str, Any] = {
        "certificate_id": certificate.certificate_id,
        "legal_name": certificate.legal_name,
        "date_of_birth": certificate.date_of_birth,
        "email": certificate.email,
        "program_id": certificate.program_id,
        "completion_date": certificate.completion_date,
        "hours": certificate.hours,
    }
    # Absent, not null: the same rows always make the same body (and idempotency digest).
    if certificate.applicant_id is not None:
        row["applicant_id"] = certificate.applicant_id
    if certificate.file_base64 is not None:
        row["file_base64"] = certificate.file_base64
    return row


async def _post(ctx: GatewayContext, path: str, body: dict[str, Any]) -> Any:
    return await ctx.backends.applications.post_json(
        path, token=ctx.token, request_id=ctx.request_id, json=body
    )


async def _certificate_action(
    ctx: GatewayContext, certificate_id: strawberry.ID, action: str, body: dict[str, Any]
) -> TrainingCertificate:
    data = await _post(ctx, certificate_path(str(certificate_id), action), body)
    return TrainingCertificate.from_json(data)


@strawberry.type
class ProviderMutations:
    @strawberry.mutation(
        description="Staff: approve a training provider. The answer carries the webhook secret, "
        "shown this once."
    )
    async def create_training_provider(
        self, info: Ctx, name: str, webhook_url: str | None = None
    ) -> ProviderCreated:
        info.context.require(Role.STAFF)
        data = await _post(
            info.context, "/v1/providers", {"name": name, "webhook_url": webhook_url}
        )
        return ProviderCreated.from_json(data)

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
        body: dict[str, Any] = {
            "expected_version": expected_version,
            "clear_webhook": clear_webhook,
        }
        if status is not None:
            body["status"] = status.value
        if webhook_url is not None:
            body["webhook_url"] = webhook_url
        response = await ctx.backends.applications.request(
            "PATCH", provider_path(str(id)), token=ctx.token, request_id=ctx.request_id, json=body
        )
        return TrainingProvider.from_json(response.json())

    @strawberry.mutation(
        description="Staff: approve a program of the provider (certificates from a program "
        "below the policy's minimum hours are rejected)."
    )
    async def add_training_program(
        self, info: Ctx, provider_id: strawberry.ID, name: str, hours: int
    ) -> TrainingProgram:
        info.context.require(Role.STAFF)
        path = provider_path(str(provider_id), "programs")
        return TrainingProgram.from_json(
            await _post(info.context, path, {"name": name, "hours": hours})
        )

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
        headers = _key_headers(idempotency_key)
        response = await ctx.backends.applications.request(
            "POST",
            provider_path(str(provider_id), "certificates"),
            token=ctx.token,
            request_id=ctx.request_id,
            headers=headers,
            json={"certificates": [_row(c) for c in certificates]},
        )
        return CertificateUploadResult.from_json(
            response.json(), replayed=response.headers.get(REPLAYED_HEADER) == "true"
        )

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
        info.context.require(Role.STAFF)
        body = {"expected_version": expected_version, "reason": reason}
        return await _certificate_action(info.context, id, "accept", body)

    @strawberry.mutation(description="Staff: reject a pending certificate, saying why.")
    async def reject_certificate(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, reason: str
    ) -> TrainingCertificate:
        info.context.require(Role.STAFF)
        body = {"expected_version": expected_version, "reason": reason}
        return await _certificate_action(info.context, id, "reject", body)

    @strawberry.mutation(description="Staff: link an unmatched certificate to an application.")
    async def link_certificate(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        application_id: strawberry.ID,
    ) -> TrainingCertificate:
        info.context.require(Role.STAFF)
        body = {"expected_version": expected_version, "application_id": str(application_id)}
        return await _certificate_action(info.context, id, "link", body)
