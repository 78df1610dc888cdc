"""The supervisor's two forms, one POST each, CSRF-checked and sent with the version the page
was read at: sign an agreement, sign a session off. Done, back to the page (303); refused, the
page read afresh with the refusal in words; a stale version (VERSION_CONFLICT) changes nothing
and says so."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.pages.caller import Caller, ask
from web.pages.public import error_words
from web.pages.supervisor import supervisor_or_refusal, supervisor_page
from web.security import require_csrf

router = APIRouter(dependencies=[Depends(require_csrf)])

SIGN = """
mutation Sign($id: ID!, $v: Int!) { signSupervisionAgreement(id: $id, expectedVersion: $v) { id } }
"""
SIGN_OFF = """
mutation SignOff($id: ID!, $v: Int!, $name: String!, $license: String!) {
  signOffSupervisionSession(id: $id, expectedVersion: $v, supervisorName: $name,
                            supervisorLicenseNumber: $license) { id }
}
"""
Version = Annotated[int, Form(alias="expectedVersion", ge=0)]


async def act(
    request: Request,
    action: str,
    target: uuid.UUID,
    document: str,
    variables: dict[str, Any],
    typed: dict[str, str],
) -> Response:
    """Send one change; on success back to the page, else the page with the refusal."""
    caller = supervisor_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    answer = await ask(request, caller, document, {"id": str(target), **variables})
    if isinstance(answer, Response):
        return answer
    if not answer.errors:
        return RedirectResponse(f"/supervisor?done={action}", status_code=303)
    conflict = answer.code() == "VERSION_CONFLICT"
    refusal = {
        "action": action,
        "target": str(target),
        "conflict": conflict,
        "errors": error_words(request, answer),
        "fields": {e.field.replace("_", "").lower() for e in answer.errors if e.field},
        "typed": typed,
    }
    return await supervisor_page(
        request, caller, status_code=409 if conflict else 422, refusal=refusal
    )


@router.post("/supervisor/agreements/{agreement_id}/sign", response_model=None)
async def sign(request: Request, agreement_id: uuid.UUID, v: Version) -> Response:
    """Sign the supervisor's side of an agreement the peer drafted."""
    return await act(request, "signed", agreement_id, SIGN, {"v": v}, {})


@router.post("/supervisor/sessions/{session_id}/sign-off", response_model=None)
async def sign_off(
    request: Request,
    session_id: uuid.UUID,
    v: Version,
    name: Annotated[str, Form(alias="supervisorName", max_length=200)] = "",
    license_number: Annotated[str, Form(alias="supervisorLicenseNumber", max_length=100)] = "",
) -> Response:
    """Sign a logged session off with the supervisor's name and license number; it locks."""
    typed = {"supervisorName": name, "supervisorLicenseNumber": license_number}
    variables = {"v": v, "name": name.strip(), "license": license_number.strip()}
    return await act(request, "signed-off", session_id, SIGN_OFF, variables, typed)
