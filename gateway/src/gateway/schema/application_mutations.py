"""Changing applications: each mutation is one REST call, the service decides."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from certboard_core.auth import Role
from gateway.clients import application_path
from gateway.context import GatewayContext
from gateway.schema.application_enums import (
    BackgroundCheck,
    DocumentKind,
    FeeKind,
    LivedExperience,
    RevisionItem,
)
from gateway.schema.application_types import Application, Ctx

ExpectedVersion = Annotated[
    int,
    strawberry.argument(
        description="The `version` you read; a stale one is refused with VERSION_CONFLICT."
    ),
]


@strawberry.input(description="A complete application, submitted in one go with its two documents.")
class SubmitApplicationInput:
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    email: str
    code_of_ethics_agreed: bool = strawberry.field(
        description="Agrees in writing to the Code of Ethics."
    )
    lived_experience: LivedExperience
    willing_to_share_experience: bool
    government_id: Upload = strawberry.field(
        description="Government ID showing age 18+; JPEG or PDF."
    )
    diploma: Upload = strawberry.field(
        description="High school diploma or equivalent; JPEG or PDF."
    )
    recovery_two_years_attested: bool | None = strawberry.field(
        default=None, description="Where the board requires it: two years in recovery."
    )
    diagnosis_treatment_attested: bool | None = strawberry.field(
        default=None, description="Where the board requires it: diagnosis, treatment, recovery."
    )


def _flag(value: bool) -> str:
    return str(value).lower()


async def _file_part(upload: Upload, field: str) -> tuple[str, tuple[str, bytes, str]]:
    file = cast(UploadFile, upload)
    content = await file.read()
    return field, (file.filename or field, content, file.content_type or "application/octet-stream")


async def _post(
    ctx: GatewayContext, application_id: strawberry.ID, action: str, **kwargs: Any
) -> Application:
    """POST to one of the application's actions; every one answers with the status view."""
    data = await ctx.backends.applications.post_json(
        application_path(str(application_id), action),
        token=ctx.token,
        request_id=ctx.request_id,
        **kwargs,
    )
    return Application.from_json(data)


@strawberry.type
class ApplicationMutations:
    @strawberry.mutation(description="Applicant: submit a complete application with documents.")
    async def submit_application(self, info: Ctx, input: SubmitApplicationInput) -> Application:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        form = {
            "first_name": input.first_name,
            "last_name": input.last_name,
            "date_of_birth": input.date_of_birth.isoformat(),
            "email": input.email,
            "code_of_ethics_agreed": _flag(input.code_of_ethics_agreed),
            "lived_experience": input.lived_experience.value,
            "willing_to_share_experience": _flag(input.willing_to_share_experience),
        }
        for name in ("recovery_two_years_attested", "diagnosis_treatment_attested"):
            value: bool | None = getattr(input, name)
            if value is not None:
                form[name] = _flag(value)
        files = dict(
            [
                await _file_part(input.government_id, "government_id"),
                await _file_part(input.diploma, "diploma"),
            ]
        )
        data = await ctx.backends.applications.post_json(
            "/v1/applications",
            token=ctx.token,
            request_id=ctx.request_id,
            data=form,
            files=files,
        )
        return Application.from_json(data)

    @strawberry.mutation(description="Staff: take up a submitted or resubmitted application.")
    async def start_review(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> Application:
        info.context.require(Role.STAFF)
        return await _post(info.context, id, "review", json={"expected_version": expected_version})

    @strawberry.mutation(
        description="Staff: ask the applicant for what is missing or wrong. After the hold has "
        "ended this voids the application: refused with REVISION_WOULD_VOID unless confirmVoid."
    )
    async def request_revision(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        items: list[RevisionItem],
        note: str | None = None,
        confirm_void: bool = False,
    ) -> Application:
        info.context.require(Role.STAFF)
        body = {
            "expected_version": expected_version,
            "items": [i.value for i in items],
            "note": note,
            "confirm_void": confirm_void,
        }
        return await _post(info.context, id, "revision-requests", json=body)

    @strawberry.mutation(description="Applicant: send the application back after a revision.")
    async def resubmit_application(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> Application:
        info.context.require(Role.APPLICANT)
        return await _post(
            info.context, id, "resubmit", json={"expected_version": expected_version}
        )

    @strawberry.mutation(
        description="Staff: approve; refused with APPROVAL_REQUIREMENT_UNMET (its field names "
        "what) while a requirement such as the application fee is unmet."
    )
    async def approve_application(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        reason: str | None = None,
    ) -> Application:
        info.context.require(Role.STAFF)
        body = {"expected_version": expected_version, "reason": reason}
        return await _post(info.context, id, "approve", json=body)

    @strawberry.mutation(description="Staff: deny, with the reason sent to the applicant.")
    async def deny_application(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, reason: str
    ) -> Application:
        info.context.require(Role.STAFF)
        body = {"expected_version": expected_version, "reason": reason}
        return await _post(info.context, id, "deny", json=body)

    @strawberry.mutation(description="Applicant: withdraw an open application.")
    async def withdraw_application(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> Application:
        info.context.require(Role.APPLICANT)
        return await _post(
            info.context, id, "withdraw", json={"expected_version": expected_version}
        )

    @strawberry.mutation(description="Staff: record the fingerprint background check's result.")
    async def record_background_check(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        result: BackgroundCheck,
        note: str | None = None,
    ) -> Application:
        info.context.require(Role.STAFF)
        body = {"expected_version": expected_version, "result": result.value, "note": note}
        return await _post(info.context, id, "background-check", json=body)

    @strawberry.mutation(
        description="Applicant: add or replace a document while a revision is requested "
        "(earlier versions are kept)."
    )
    async def add_application_document(
        self, info: Ctx, id: strawberry.ID, kind: DocumentKind, file: Upload
    ) -> Application:
        info.context.require(Role.APPLICANT)
        return await _post(
            info.context,
            id,
            "documents",
            data={"kind": kind.value},
            files=dict([await _file_part(file, "file")]),
        )

    @strawberry.mutation(
        description="Staff: record a fee the board received (no card processing); a reference "
        "counts once (DUPLICATE_PAYMENT)."
    )
    async def record_payment(
        self,
        info: Ctx,
        id: strawberry.ID,
        kind: FeeKind,
        amount_cents: int,
        reference: str,
        paid_at: datetime.datetime,
        currency: str | None = None,
    ) -> Application:
        ctx = info.context
        ctx.require(Role.STAFF)
        body: dict[str, Any] = {
            "kind": kind.value,
            "amount_cents": amount_cents,
            "reference": reference,
            "paid_at": paid_at.isoformat(),
        }
        if currency is not None:
            body["currency"] = currency
        path = application_path(str(id))
        await ctx.backends.applications.post_json(
            f"{path}/payments", token=ctx.token, request_id=ctx.request_id, json=body
        )
        # The service answers with the payment alone; the caller wants the application.
        data = await ctx.backends.applications.get_json(
            path, token=ctx.token, request_id=ctx.request_id
        )
        return Application.from_json(data)

    @strawberry.mutation(
        description="Staff: send the applicant a status message; it counts as a notice. The "
        "same message twice on one day is refused (DUPLICATE_NOTIFICATION)."
    )
    async def send_status_message(
        self, info: Ctx, id: strawberry.ID, subject: str, body: str
    ) -> Application:
        info.context.require(Role.STAFF)
        return await _post(
            info.context, id, "notifications", json={"subject": subject, "body": body}
        )
