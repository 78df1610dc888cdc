"""HTTP endpoints of the application aggregate."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from applications.application import decisions, service, transitions
from applications.application.decisions import ApprovalRequirementUnmet
from applications.application.lifecycle import ApplicationStatus
from applications.application.models import DocumentKind
from applications.application.schemas import (
    ApplicationIds,
    ApplicationPage,
    ApplicationPublic,
    ApplicationSubmission,
    ApplicationViews,
    BackgroundCheckResult,
    Decision,
    Denial,
    RevisionRequestCreate,
    Versioned,
)
from applications.application.transitions import RevisionWouldVoid
from applications.deps import (
    APPLICANT_ONLY,
    READERS,
    STAFF_ONLY,
    Context,
    SessionsDep,
    SettingsDep,
    StoreDep,
    SupervisionDep,
)
from applications.errors import (
    ApplicantTooYoung,
    AttestationMissing,
    OpenApplicationExists,
    TransitionNotAllowed,
)
from applications.notification.service import DuplicateNotification
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    UpstreamUnavailable,
    error_responses,
)
from certboard_core.sqlite import READ_ONLY
from certboard_core.storage import (
    DOCUMENT_CONTENT,
    DOCUMENT_ERRORS,
    check_document,
    document_response,
    read_limited,
)
from certboard_core.versioned import VersionConflict

router = APIRouter(
    prefix="/v1/applications", tags=["applications"], responses=error_responses(*AUTHENTICATED)
)

# What every versioned move can answer.
MOVE_ERRORS = (NotFound, VersionConflict, TransitionNotAllowed)


async def _incoming(
    uploads: list[tuple[DocumentKind, UploadFile]], max_bytes: int
) -> list[service.IncomingDocument]:
    documents = []
    for kind, upload in uploads:
        data = await read_limited(upload, max_bytes=max_bytes)
        checked = check_document(data, field=kind.value, max_bytes=max_bytes)
        documents.append(
            service.IncomingDocument(kind=kind, document=checked, filename=upload.filename)
        )
    return documents


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=APPLICANT_ONLY,
    responses=error_responses(
        AttestationMissing, ApplicantTooYoung, OpenApplicationExists, *DOCUMENT_ERRORS
    ),
)
async def submit_application(
    # One form model with the files in it: FastAPI then declares a single multipart body.
    form: Annotated[ApplicationSubmission, Form(media_type="multipart/form-data")],
    ctx: Context,
    store: StoreDep,
    settings: SettingsDep,
) -> ApplicationPublic:
    """Submit a complete application with its two documents, in one request."""
    documents = await _incoming(
        [(DocumentKind.GOVERNMENT_ID, form.government_id), (DocumentKind.DIPLOMA, form.diploma)],
        settings.max_document_bytes,
    )
    return await service.submit_application(
        ctx, data=form.application(), documents=documents, store=store
    )


@router.get("", dependencies=READERS, responses=error_responses(InvalidInput))
async def list_applications(
    ctx: Context,
    status: ApplicationStatus | None = None,
    ids: Annotated[
        list[uuid.UUID] | None,
        Query(alias="id", max_length=200, description="only these applications (batch reads)"),
    ] = None,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApplicationPage:
    """Applications, oldest submission first: all of them for staff, one's own for an applicant."""
    return await service.list_applications(ctx, status=status, ids=ids, after=after, limit=limit)


@router.post("/views", dependencies=READERS)
async def read_views(body: ApplicationIds, ctx: Context) -> ApplicationViews:
    """Many whole status views at once, in the order asked; those one may not see are absent."""
    # A read sent as POST (its ids travel in the body): it must not queue for SQLite's write
    # lock as the request's session would make a POST do, or reads wait behind each other.
    await ctx.session.connection(execution_options={READ_ONLY: True})
    return ApplicationViews(items=await service.read_applications(ctx, body.ids))


@router.get("/mine", dependencies=APPLICANT_ONLY)
async def my_applications(
    ctx: Context, limit: Annotated[int, Query(ge=1, le=200)] = 200
) -> ApplicationViews:
    """The applicant's own applications, oldest first, each as its whole status view: what a
    portal's home page shows, in one call."""
    return ApplicationViews(items=await service.my_applications(ctx, limit))


# The uuid convertor keeps "/views" (POST) and "/mine" from also matching this GET in routing.
@router.get("/{application_id:uuid}", dependencies=READERS, responses=error_responses(NotFound))
async def get_application(application_id: uuid.UUID, ctx: Context) -> ApplicationPublic:
    """The whole status view: status, what is missing, every date and days left, notices, fees."""
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/review", dependencies=STAFF_ONLY, responses=error_responses(*MOVE_ERRORS)
)
async def start_review(
    application_id: uuid.UUID, body: Versioned, ctx: Context
) -> ApplicationPublic:
    """Staff take up a submitted or resubmitted application."""
    await transitions.start_review(ctx, application_id, body.expected_version)
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/revision-requests",
    dependencies=STAFF_ONLY,
    # The same request twice in a day is the same notice, refused as already sent.
    responses=error_responses(*MOVE_ERRORS, RevisionWouldVoid, DuplicateNotification),
)
async def request_revision(
    application_id: uuid.UUID, body: RevisionRequestCreate, ctx: Context
) -> ApplicationPublic:
    """Staff ask for what is missing or wrong (after the 90-day hold this voids it, confirmed)."""
    await transitions.request_revision(ctx, application_id, body)
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/resubmit",
    dependencies=APPLICANT_ONLY,
    responses=error_responses(*MOVE_ERRORS),
)
async def resubmit(application_id: uuid.UUID, body: Versioned, ctx: Context) -> ApplicationPublic:
    """The applicant sends the application back after a revision request."""
    await transitions.resubmit(ctx, application_id, body.expected_version)
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/approve",
    dependencies=STAFF_ONLY,
    responses=error_responses(*MOVE_ERRORS, ApprovalRequirementUnmet, UpstreamUnavailable),
)
async def approve(
    application_id: uuid.UUID,
    body: Decision,
    ctx: Context,
    supervision: SupervisionDep,
    sessions: SessionsDep,
) -> ApplicationPublic:
    """Staff approve; the approval is valid for the policy's period from today."""
    agreement = await decisions.ask_supervision(
        ctx, application_id, body.expected_version, supervision, sessions
    )
    await decisions.approve(ctx, application_id, body, agreement)
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/deny",
    dependencies=STAFF_ONLY,
    responses=error_responses(*MOVE_ERRORS),
)
async def deny(application_id: uuid.UUID, body: Denial, ctx: Context) -> ApplicationPublic:
    """Staff deny, with the reason recorded and sent to the applicant."""
    await decisions.deny(ctx, application_id, body)
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/withdraw",
    dependencies=APPLICANT_ONLY,
    responses=error_responses(*MOVE_ERRORS),
)
async def withdraw(application_id: uuid.UUID, body: Versioned, ctx: Context) -> ApplicationPublic:
    """The applicant withdraws their application."""
    await transitions.withdraw(ctx, application_id, body.expected_version)
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/background-check",
    dependencies=STAFF_ONLY,
    responses=error_responses(NotFound, VersionConflict, InvalidInput, TransitionNotAllowed),
)
async def record_background_check(
    application_id: uuid.UUID, body: BackgroundCheckResult, ctx: Context
) -> ApplicationPublic:
    """Staff record the fingerprint background check (who and when are kept)."""
    await decisions.verify_background_check(ctx, application_id, body)
    return await service.read_application(ctx, application_id)


@router.post(
    "/{application_id}/documents",
    dependencies=APPLICANT_ONLY,
    responses=error_responses(NotFound, TransitionNotAllowed, *DOCUMENT_ERRORS),
)
async def add_document(
    application_id: uuid.UUID,
    kind: Annotated[DocumentKind, Form()],
    file: Annotated[UploadFile, File(description="JPEG or PDF")],
    ctx: Context,
    store: StoreDep,
    settings: SettingsDep,
) -> ApplicationPublic:
    """Add or replace a document during a revision; earlier versions are kept."""
    documents = await _incoming([(kind, file)], settings.max_document_bytes)
    return await service.add_documents(ctx, application_id, documents, store)


@router.get(
    "/{application_id}/documents/{document_id}",
    dependencies=READERS,
    response_class=Response,
    responses={
        **DOCUMENT_CONTENT,
        **error_responses(NotFound),
    },
)
async def download_document(
    application_id: uuid.UUID, document_id: uuid.UUID, ctx: Context, store: StoreDep
) -> Response:
    """A document's file, for the application's applicant or staff only."""
    document, content = await service.document_content(ctx, application_id, document_id, store)
    return document_response(
        content, document.content_type, f"{document.kind.value}-v{document.version}"
    )
