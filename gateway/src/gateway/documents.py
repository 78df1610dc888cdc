"""Documents through the gateway: the files staff judge, relayed byte for byte. An
application's, a self-reported CE completion's, a CE audit's proof and an accommodation
request's go to their owner or staff (the service that keeps each decides who may read it); a
complaint's attachments and a provider's certificate files to staff only.

GraphQL carries no file; a console shows a document by asking here with the caller's token.
Only the types the services store (JPEG, PDF) pass, inline under a name of ours, never to be
sniffed, cached or run."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from certboard_core.auth import Principal, Role, require_roles
from certboard_core.errors import AUTHENTICATED, NotFound, UpstreamUnavailable, error_responses
from gateway.clients.backends import Backends, RequestBackends
from gateway.clients.base import BackendClient
from gateway.errors import CodedError
from gateway.routes import Relayed

SHOWN = {"image/jpeg": "jpg", "application/pdf": "pdf"}
# A document is data: no script, no plugin content of its own, no origin to act from.
DOCUMENT_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
READERS = Depends(require_roles(Role.STAFF, Role.APPLICANT))
STAFF = Depends(require_roles(Role.STAFF))


async def relayed(backend: BackendClient, path: str, name: str, *, field: str) -> Response:
    """The backend's file at ``path`` as the caller may read it, shown inline as ``name``."""
    try:
        kind, content = await backend.document(path)
    except CodedError as exc:
        raise Relayed(exc) from exc
    if kind not in SHOWN:
        raise Relayed(CodedError("NOT_FOUND", "no such document", field=field, status=404))
    return Response(
        content,
        media_type=kind,
        headers={
            # Our own name: the uploader's file name is never sent back as a header.
            "Content-Disposition": f'inline; filename="{name}.{SHOWN[kind]}"',
            "Content-Security-Policy": DOCUMENT_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def documents_router() -> APIRouter:
    router = APIRouter(
        tags=["documents"], responses=error_responses(*AUTHENTICATED, NotFound, UpstreamUnavailable)
    )
    shown: dict[int | str, dict[str, Any]] = {200: {"content": {kind: {} for kind in SHOWN}}}

    @router.get(
        "/documents/applications/{application_id}/{document_id}",
        response_class=Response,
        responses=shown,
    )
    async def application_document(
        application_id: uuid.UUID,
        document_id: uuid.UUID,
        request: Request,
        principal: Principal = READERS,
    ) -> Response:
        """An application's document: its applicant's or, for staff, any (else 404)."""
        caller = _caller(request, principal)
        path = f"/v1/applications/{application_id}/documents/{document_id}"
        return await relayed(
            caller.applications, path, f"application-{document_id}", field="document_id"
        )

    @router.get("/documents/ce-records/{record_id}", response_class=Response, responses=shown)
    async def ce_record_document(
        record_id: uuid.UUID, request: Request, principal: Principal = READERS
    ) -> Response:
        """A self-reported CE completion's certificate: its holder's or, for staff, any."""
        caller = _caller(request, principal)
        path = f"/v1/ce-records/{record_id}/document"
        return await relayed(caller.applications, path, f"ce-{record_id}", field="record_id")

    @router.get("/documents/ce-audits/{audit_id}", response_class=Response, responses=shown)
    async def ce_audit_proof(
        audit_id: uuid.UUID, request: Request, principal: Principal = READERS
    ) -> Response:
        """A CE audit's proof: its holder's or, for staff, any."""
        caller = _caller(request, principal)
        path = f"/v1/ce-audits/{audit_id}/proof"
        return await relayed(caller.applications, path, f"ce-audit-{audit_id}", field="audit_id")

    @router.get(
        "/documents/accommodations/{accommodation_id}", response_class=Response, responses=shown
    )
    async def accommodation_document(
        accommodation_id: uuid.UUID, request: Request, principal: Principal = READERS
    ) -> Response:
        """An accommodation request's supporting document: its applicant's or, for staff, any."""
        caller = _caller(request, principal)
        path = f"/v1/accommodations/{accommodation_id}/document"
        name = f"accommodation-{accommodation_id}"
        return await relayed(caller.exams, path, name, field="accommodation_id")

    @router.get(
        "/documents/complaints/{complaint_id}/{attachment_id}",
        response_class=Response,
        responses=shown,
    )
    async def complaint_attachment(
        complaint_id: uuid.UUID,
        attachment_id: uuid.UUID,
        request: Request,
        principal: Principal = STAFF,
    ) -> Response:
        """Staff: a file sent with a complaint."""
        caller = _caller(request, principal)
        path = f"/v1/complaints/{complaint_id}/attachments/{attachment_id}"
        name = f"complaint-{attachment_id}"
        return await relayed(caller.applications, path, name, field="attachment_id")

    @router.get(
        "/documents/certificates/{certificate_id}", response_class=Response, responses=shown
    )
    async def certificate_file(
        certificate_id: uuid.UUID, request: Request, principal: Principal = STAFF
    ) -> Response:
        """Staff: the file a provider sent with a training certificate."""
        caller = _caller(request, principal)
        path = f"/v1/certificates/{certificate_id}/file"
        name = f"certificate-{certificate_id}"
        return await relayed(caller.applications, path, name, field="certificate_id")

    return router


def _caller(request: Request, principal: Principal) -> RequestBackends:
    backends: Backends = request.app.state.backends
    return backends.for_request(principal.token, getattr(request.state, "request_id", None))
