"""Documents through the gateway: an application's files, for its applicant or staff (the
applications service decides who may read which), relayed byte for byte.

GraphQL carries no file; a console shows a document by asking here with the caller's token.
Only the types the service stores (JPEG, PDF) pass, never to be sniffed, cached or run."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response

from certboard_core.auth import Principal, Role, require_roles
from certboard_core.errors import AUTHENTICATED, NotFound, UpstreamUnavailable, error_responses
from gateway.clients.backends import Backends
from gateway.errors import CodedError
from gateway.routes import Relayed

SHOWN = ("image/jpeg", "application/pdf")
# A document is data: no script, no plugin content of its own, no origin to act from.
DOCUMENT_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def documents_router() -> APIRouter:
    router = APIRouter(
        tags=["documents"], responses=error_responses(*AUTHENTICATED, NotFound, UpstreamUnavailable)
    )

    @router.get(
        "/documents/applications/{application_id}/{document_id}",
        response_class=Response,
        responses={200: {"content": {kind: {} for kind in SHOWN}}},
    )
    async def application_document(
        application_id: uuid.UUID,
        document_id: uuid.UUID,
        request: Request,
        principal: Principal = Depends(require_roles(Role.STAFF, Role.APPLICANT)),
    ) -> Response:
        """An application's document: its applicant's or, for staff, any (else 404)."""
        backends: Backends = request.app.state.backends
        caller = backends.for_request(principal.token, getattr(request.state, "request_id", None))
        try:
            kind, content = await caller.applications.document(application_id, document_id)
        except CodedError as exc:
            raise Relayed(exc) from exc
        if kind not in SHOWN:
            raise Relayed(
                CodedError("NOT_FOUND", "no such document", field="document_id", status=404)
            )
        return Response(
            content,
            media_type=kind,
            headers={
                "Content-Security-Policy": DOCUMENT_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )

    return router
