"""The documents staff judge, shown in the browser: an application's, a self-reported CE
completion's certificate, a CE audit's proof, an accommodation request's supporting document,
a complaint's attachments and the file a provider sent with a training certificate. The
gateway relays each with the staff member's token (the service that keeps it decides who may
read it); only JPEG and PDF pass, inline, never sniffed, cached or allowed to run anything."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from web.gateway import Gateway
from web.pages.caller import Caller, not_found, staff_or_refusal
from web.render import page

router = APIRouter()

SHOWN = {"image/jpeg": "jpg", "application/pdf": "pdf"}
# The document is data: no script, no form, no origin of ours to act from.
DOCUMENT_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


async def relayed(request: Request, path: str, name: str) -> Response:
    """The gateway's document at ``path``, for staff, inline under the name ``name``."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    gateway: Gateway = request.app.state.gateway
    status, kind, content = await gateway.document(
        path, token=staff.token, request_id=request.state.request_id
    )
    if status == 401:
        request.session.clear()
        return RedirectResponse("/signin?expired=true", status_code=303)
    if status == 403:
        return page(request, "error.html", status_code=403, message="code.FORBIDDEN")
    if status == 404 or (status == 200 and kind not in SHOWN):
        return not_found(request)
    if status != 200:
        return page(request, "error.html", status_code=502, message="code.UPSTREAM_UNAVAILABLE")
    return Response(
        content,
        media_type=kind,
        headers={
            "Content-Disposition": f'inline; filename="{name}.{SHOWN[kind]}"',
            "Content-Security-Policy": DOCUMENT_POLICY,
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/staff/applications/{application_id}/documents/{document_id}", response_model=None)
async def document(request: Request, application_id: uuid.UUID, document_id: uuid.UUID) -> Response:
    """One document of an application, to read in the browser."""
    path = f"/documents/applications/{application_id}/{document_id}"
    return await relayed(request, path, str(document_id))


@router.get("/staff/ce-records/{record_id}/document", response_model=None)
async def ce_record_document(request: Request, record_id: uuid.UUID) -> Response:
    """The certificate sent with a self-reported CE completion, to read in the browser."""
    return await relayed(request, f"/documents/ce-records/{record_id}", f"ce-{record_id}")


@router.get("/staff/ce-audits/{audit_id}/proof", response_model=None)
async def ce_audit_proof(request: Request, audit_id: uuid.UUID) -> Response:
    """The proof a holder sent for a CE audit, to read in the browser."""
    return await relayed(request, f"/documents/ce-audits/{audit_id}", f"ce-audit-{audit_id}")


@router.get("/staff/accommodations/{accommodation_id}/document", response_model=None)
async def accommodation_document(request: Request, accommodation_id: uuid.UUID) -> Response:
    """An accommodation request's supporting document, to read in the browser."""
    path = f"/documents/accommodations/{accommodation_id}"
    return await relayed(request, path, f"accommodation-{accommodation_id}")


@router.get("/staff/complaints/{complaint_id}/attachments/{attachment_id}", response_model=None)
async def complaint_attachment(
    request: Request, complaint_id: uuid.UUID, attachment_id: uuid.UUID
) -> Response:
    """A file sent with a complaint, to read in the browser."""
    path = f"/documents/complaints/{complaint_id}/{attachment_id}"
    return await relayed(request, path, f"complaint-{attachment_id}")


@router.get("/staff/certificates/{certificate_id}/file", response_model=None)
async def certificate_file(request: Request, certificate_id: uuid.UUID) -> Response:
    """The file a provider sent with a training certificate, to read in the browser."""
    path = f"/documents/certificates/{certificate_id}"
    return await relayed(request, path, f"certificate-{certificate_id}")
