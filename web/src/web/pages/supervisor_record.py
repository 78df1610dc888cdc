"""The supervisor's own record, one form: registering it the first time, correcting it after
(sent with the version the page was read at; a changed license waits for staff to verify it
again). Done, back to the page (303); refused, the page with the refusal and what was typed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.pages.changes import act, not_days, not_number
from web.pages.supervisor_actions import SUPERVISOR
from web.security import require_csrf

router = APIRouter(dependencies=[Depends(require_csrf)])

REGISTER = """
mutation Register($input: SupervisorInput!) { registerSupervisor(input: $input) { id } }
"""
UPDATE = """
mutation Update($id: ID!, $v: Int!, $input: SupervisorChangeInput!) {
  updateSupervisor(id: $id, expectedVersion: $v, input: $input) { id }
}
"""


@router.post("/supervisor/record", response_model=None)
async def record(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    contact_email: Annotated[str, Form(alias="contactEmail", max_length=254)] = "",
    license_type: Annotated[str, Form(alias="licenseType", max_length=100)] = "",
    license_number: Annotated[str, Form(alias="licenseNumber", max_length=100)] = "",
    license_state: Annotated[str, Form(alias="licenseState", max_length=2)] = "",
    license_expires_on: Annotated[str, Form(alias="licenseExpiresOn", max_length=10)] = "",
    first_licensed_on: Annotated[str, Form(alias="firstLicensedOn", max_length=10)] = "",
    ce_hours: Annotated[str, Form(alias="supervisionCeHours", max_length=10)] = "",
    v: Annotated[int | None, Form(alias="expectedVersion", ge=0)] = None,
) -> Response:
    """Register the supervisor's license and supervision training, or correct them
    (``expectedVersion`` given: the record exists)."""
    typed = {
        "name": name.strip(),
        "contactEmail": contact_email.strip(),
        "licenseType": license_type.strip(),
        "licenseNumber": license_number.strip(),
        "licenseState": license_state.strip(),
        "licenseExpiresOn": license_expires_on.strip(),
        "firstLicensedOn": first_licensed_on.strip(),
        "supervisionCeHours": ce_hours.strip(),
    }
    refused = not_days(typed, "licenseExpiresOn", "firstLicensedOn") + not_number(
        typed, "supervisionCeHours"
    )
    if v is None:
        return await act(
            SUPERVISOR,
            request,
            "registered",
            "record",
            REGISTER,
            {"input": typed},
            typed,
            refused=refused,
        )
    variables = {"id": str(request.session.get("sub")), "v": v, "input": typed}
    return await act(
        SUPERVISOR, request, "updated", "record", UPDATE, variables, typed, refused=refused
    )
