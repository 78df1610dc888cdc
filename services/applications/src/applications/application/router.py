"""HTTP endpoints of the application aggregate."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile, status

from applications.application import service
from applications.application.models import ApplicationStatus, DocumentKind
from applications.application.schemas import ApplicationCreate, ApplicationPage, ApplicationPublic
from applications.deps import PolicyDep, SettingsDep, StoreDep
from applications.storage import check_document, read_limited
from certboard_core.auth import CurrentPrincipal, Principal, Role, require_roles
from certboard_core.db import Session
from certboard_core.deps import ClockDep, OutboxDep
from certboard_core.errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1/applications", tags=["applications"], responses=ERROR_RESPONSES)

ApplicantPrincipal = Annotated[Principal, Depends(require_roles(Role.APPLICANT))]


@router.post("", status_code=status.HTTP_201_CREATED)
async def submit_application(
    form: Annotated[ApplicationCreate, Form()],
    government_id: Annotated[
        UploadFile, File(description="government ID showing age; JPEG or PDF")
    ],
    diploma: Annotated[
        UploadFile, File(description="high school diploma or equivalent; JPEG or PDF")
    ],
    session: Session,
    principal: ApplicantPrincipal,
    clock: ClockDep,
    outbox: OutboxDep,
    policy: PolicyDep,
    store: StoreDep,
    settings: SettingsDep,
) -> ApplicationPublic:
    """Submit a complete application with its two documents, in one request."""
    documents = []
    for kind, upload in (
        (DocumentKind.GOVERNMENT_ID, government_id),
        (DocumentKind.DIPLOMA, diploma),
    ):
        data = await read_limited(upload, max_bytes=settings.max_document_bytes)
        checked = check_document(data, field=kind.value, max_bytes=settings.max_document_bytes)
        documents.append(
            service.IncomingDocument(kind=kind, document=checked, filename=upload.filename)
        )
    return await service.submit_application(
        session,
        principal=principal,
        data=form,
        documents=documents,
        clock=clock,
        policy=policy,
        store=store,
        outbox=outbox,
    )


@router.get("")
async def list_applications(
    session: Session,
    principal: CurrentPrincipal,
    clock: ClockDep,
    policy: PolicyDep,
    status: ApplicationStatus | None = None,
    ids: Annotated[
        list[uuid.UUID] | None,
        Query(alias="id", max_length=200, description="only these applications (batch reads)"),
    ] = None,
    after: Annotated[str | None, Query(description="cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApplicationPage:
    """Applications, oldest submission first: all of them for staff, one's own for an applicant."""
    return await service.list_applications(
        session,
        principal=principal,
        status=status,
        ids=ids,
        after=after,
        limit=limit,
        clock=clock,
        policy=policy,
    )


@router.get("/{application_id}")
async def get_application(
    application_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    clock: ClockDep,
    policy: PolicyDep,
) -> ApplicationPublic:
    """One application with its dates and days left, for its applicant or staff."""
    return await service.get_application(
        session, principal=principal, application_id=application_id, clock=clock, policy=policy
    )


@router.get(
    "/{application_id}/documents/{document_id}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}, "application/pdf": {}}}},
)
async def download_document(
    application_id: uuid.UUID,
    document_id: uuid.UUID,
    session: Session,
    principal: CurrentPrincipal,
    store: StoreDep,
) -> Response:
    """A document's file, for the application's applicant or staff only."""
    document, content = await service.get_document_content(
        session,
        principal=principal,
        application_id=application_id,
        document_id=document_id,
        store=store,
    )
    return Response(
        content,
        media_type=document.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{document.kind.value}-{document.id}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
