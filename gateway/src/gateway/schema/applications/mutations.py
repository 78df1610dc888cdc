"""Changing applications: each mutation is one call to the service, which decides."""

from __future__ import annotations

import datetime

import strawberry
from strawberry.file_uploads import Upload

from certboard_core.auth import Role
from gateway.clients.applications import NewApplication
from gateway.schema.applications.enums import (
    BackgroundCheck,
    DocumentKind,
    FeeKind,
    LivedExperience,
    RevisionItem,
)
from gateway.schema.applications.types import Application
from gateway.schema.common import Ctx, ExpectedVersion, file_part


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

    async def to_application(self) -> NewApplication:
        """The application as the service takes it, with both documents read."""
        return NewApplication(
            first_name=self.first_name,
            last_name=self.last_name,
            date_of_birth=self.date_of_birth,
            email=self.email,
            code_of_ethics_agreed=self.code_of_ethics_agreed,
            lived_experience=self.lived_experience.value,
            willing_to_share_experience=self.willing_to_share_experience,
            government_id=await file_part(self.government_id, "governmentId"),
            diploma=await file_part(self.diploma, "diploma"),
            recovery_two_years_attested=self.recovery_two_years_attested,
            diagnosis_treatment_attested=self.diagnosis_treatment_attested,
        )


@strawberry.type
class ApplicationMutations:
    @strawberry.mutation(description="Applicant: submit a complete application with documents.")
    async def submit_application(self, info: Ctx, input: SubmitApplicationInput) -> Application:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        application = await input.to_application()
        return Application.from_json(
            await ctx.backends.applications.submit_application(application)
        )

    @strawberry.mutation(description="Staff: take up a submitted or resubmitted application.")
    async def start_review(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> Application:
        ctx = info.context
        ctx.require(Role.STAFF)
        view = await ctx.backends.applications.start_review(id, expected_version=expected_version)
        return Application.from_json(view)

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
        ctx = info.context
        ctx.require(Role.STAFF)
        view = await ctx.backends.applications.request_revision(
            id,
            expected_version=expected_version,
            items=[i.value for i in items],
            note=note,
            confirm_void=confirm_void,
        )
        return Application.from_json(view)

    @strawberry.mutation(description="Applicant: send the application back after a revision.")
    async def resubmit_application(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> Application:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        view = await ctx.backends.applications.resubmit(id, expected_version=expected_version)
        return Application.from_json(view)

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
        ctx = info.context
        ctx.require(Role.STAFF)
        view = await ctx.backends.applications.approve(
            id, expected_version=expected_version, reason=reason
        )
        return Application.from_json(view)

    @strawberry.mutation(description="Staff: deny, with the reason sent to the applicant.")
    async def deny_application(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion, reason: str
    ) -> Application:
        ctx = info.context
        ctx.require(Role.STAFF)
        view = await ctx.backends.applications.deny(
            id, expected_version=expected_version, reason=reason
        )
        return Application.from_json(view)

    @strawberry.mutation(description="Applicant: withdraw an open application.")
    async def withdraw_application(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> Application:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        view = await ctx.backends.applications.withdraw(id, expected_version=expected_version)
        return Application.from_json(view)

    @strawberry.mutation(description="Staff: record the fingerprint background check's result.")
    async def record_background_check(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        result: BackgroundCheck,
        note: str | None = None,
    ) -> Application:
        ctx = info.context
        ctx.require(Role.STAFF)
        view = await ctx.backends.applications.record_background_check(
            id, expected_version=expected_version, result=result.value, note=note
        )
        return Application.from_json(view)

    @strawberry.mutation(
        description="Applicant: add or replace a document while a revision is requested "
        "(earlier versions are kept)."
    )
    async def add_application_document(
        self, info: Ctx, id: strawberry.ID, kind: DocumentKind, file: Upload
    ) -> Application:
        ctx = info.context
        ctx.require(Role.APPLICANT)
        view = await ctx.backends.applications.add_document(
            id, kind=kind.value, file=await file_part(file, "file")
        )
        return Application.from_json(view)

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
        await ctx.backends.applications.record_payment(
            id,
            kind=kind.value,
            amount_cents=amount_cents,
            reference=reference,
            paid_at=paid_at,
            currency=currency,
        )
        # The service answers with the payment alone; the caller wants the application.
        return Application.from_json(await ctx.backends.applications.get_application(id))

    @strawberry.mutation(
        description="Staff: send the applicant a status message; it counts as a notice. The "
        "same message twice on one day is refused (DUPLICATE_NOTIFICATION)."
    )
    async def send_status_message(
        self, info: Ctx, id: strawberry.ID, subject: str, body: str
    ) -> Application:
        ctx = info.context
        ctx.require(Role.STAFF)
        view = await ctx.backends.applications.send_status_message(id, subject=subject, body=body)
        return Application.from_json(view)
