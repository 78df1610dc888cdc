"""An application's document, shown to staff in the browser: the gateway relays it with the
staff member's token (the applications service decides who may read it); only JPEG and PDF
pass, inline, never sniffed, cached or allowed to run anything."""

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


@router.get("/staff/applications/{application_id}/documents/{document_id}", response_model=None)
async def document(request: Request, application_id: uuid.UUID, document_id: uuid.UUID) -> Response:
    """One document of an application, to read in the browser."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    gateway: Gateway = request.app.state.gateway
    status, kind, content = await gateway.document(
        f"/documents/applications/{application_id}/{document_id}",
        token=staff.token,
        request_id=request.state.request_id,
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
            "Content-Disposition": f'inline; filename="{document_id}.{SHOWN[kind]}"',
            "Content-Security-Policy": DOCUMENT_POLICY,
            "Cache-Control": "private, no-store",
        },
    )
