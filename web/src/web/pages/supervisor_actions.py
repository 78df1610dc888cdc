"""The supervisor's forms on agreements and sessions, one POST each, CSRF-checked and sent
with the version the page was read at: sign an agreement, end one, sign a session off, correct
a signed-off one (``web.pages.changes`` sends each and answers)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.pages.changes import FormsOf, act, not_days
from web.pages.supervisor import supervisor_or_refusal, supervisor_page
from web.security import require_csrf

router = APIRouter(dependencies=[Depends(require_csrf)])

SIGN = """
mutation Sign($id: ID!, $v: Int!) { signSupervisionAgreement(id: $id, expectedVersion: $v) { id } }
"""
TERMINATE = """
mutation End($id: ID!, $v: Int!, $on: Date!, $reason: String!) {
  terminateSupervisionAgreement(id: $id, expectedVersion: $v, terminatedOn: $on,
                                reason: $reason) { id }
}
"""
SIGN_OFF = """
mutation SignOff($id: ID!, $v: Int!, $name: String!, $license: String!) {
  signOffSupervisionSession(id: $id, expectedVersion: $v, supervisorName: $name,
                            supervisorLicenseNumber: $license) { id }
}
"""
AMEND = """
mutation Amend($id: ID!, $v: Int!, $input: SessionAmendmentInput!) {
  amendSupervisionSession(id: $id, expectedVersion: $v, input: $input) { id }
}
"""
Version = Annotated[int, Form(alias="expectedVersion", ge=0)]
Reason = Annotated[str, Form(max_length=2000)]
SUPERVISOR = FormsOf(supervisor_or_refusal, supervisor_page, "/supervisor")


@router.post("/supervisor/agreements/{agreement_id}/sign", response_model=None)
async def sign(request: Request, agreement_id: uuid.UUID, v: Version) -> Response:
    """Sign the supervisor's side of an agreement the peer drafted."""
    variables = {"id": str(agreement_id), "v": v}
    return await act(SUPERVISOR, request, "signed", str(agreement_id), SIGN, variables, {})


@router.post("/supervisor/agreements/{agreement_id}/terminate", response_model=None)
async def terminate(
    request: Request,
    agreement_id: uuid.UUID,
    v: Version,
    on: Annotated[str, Form(alias="terminatedOn", max_length=10)] = "",
    reason: Reason = "",
) -> Response:
    """End an agreement on a day, saying why; the terms stay on record."""
    typed = {"terminatedOn": on.strip(), "reason": reason}
    variables = {"id": str(agreement_id), "v": v, "on": typed["terminatedOn"], "reason": reason}
    refused = not_days(typed, "terminatedOn")
    return await act(
        SUPERVISOR,
        request,
        "terminated",
        str(agreement_id),
        TERMINATE,
        variables,
        typed,
        refused=refused,
    )


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
    variables = {
        "id": str(session_id),
        "v": v,
        "name": name.strip(),
        "license": license_number.strip(),
    }
    return await act(SUPERVISOR, request, "signed-off", str(session_id), SIGN_OFF, variables, typed)


@router.post("/supervisor/sessions/{session_id}/amend", response_model=None)
async def amend(
    request: Request,
    session_id: uuid.UUID,
    v: Version,
    held_on: Annotated[str, Form(alias="heldOn", max_length=10)] = "",
    start: Annotated[str, Form(alias="startTime", max_length=5)] = "",
    stop: Annotated[str, Form(alias="stopTime", max_length=5)] = "",
    kind: Annotated[str, Form(alias="format", max_length=20)] = "",
    topics: Annotated[list[str] | None, Form(max_length=5)] = None,
    reason: Reason = "",
    name: Annotated[str, Form(alias="supervisorName", max_length=200)] = "",
    license_number: Annotated[str, Form(alias="supervisorLicenseNumber", max_length=100)] = "",
) -> Response:
    """Correct a session: a new signed-off entry replaces it, the old one is kept."""
    typed: dict[str, Any] = {
        "heldOn": held_on.strip(),
        "startTime": start.strip(),
        "stopTime": stop.strip(),
        "format": kind,
        "topics": topics or [],
        "reason": reason,
        "supervisorName": name,
        "supervisorLicenseNumber": license_number,
    }
    amendment = {
        **typed,
        "supervisorName": name.strip(),
        "supervisorLicenseNumber": license_number.strip(),
    }
    variables = {"id": str(session_id), "v": v, "input": amendment}
    refused = not_days(typed, "heldOn")
    return await act(
        SUPERVISOR, request, "amended", str(session_id), AMEND, variables, typed, refused=refused
    )
