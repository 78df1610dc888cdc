"""The peer's supervision page (an applicant under supervision): their agreements, the hours
they reported and the sessions they logged in the weeks shown, with the forms that draft an
agreement with a supervisor and sign it, report hours, correct a report and log a session for
the supervisor's sign-off.

Two gateway requests, one after the other: the supervision (agreements with their sessions
and the weeks shown), then the hours reported in those weeks. Each form is one POST,
CSRF-checked; a correction is sent with the version the page was read at
(``web.pages.changes`` sends each and answers)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from web.pages.applicant import applicant_or_refusal
from web.pages.caller import Caller, ask
from web.pages.changes import FormsOf, act, not_days, not_number
from web.pages.public import error_words
from web.pages.supervisor import FORMATS, OPEN, TOPICS
from web.render import page
from web.security import require_csrf

router = APIRouter()
forms = APIRouter(dependencies=[Depends(require_csrf)])

SUPERVISION = """
query PeerSupervision {
  me {
    supervision {
      agreements {
        id supervisorId employer startsOn endsOn status version
        signedByPeerAt signedBySupervisorAt
        sessions { id heldOn startTime stopTime minutes format topics signedOffAt }
      }
      agreementsComplete
      compliance { startsOn endsOn }
    }
  }
}
"""
HOURS = """
query PeerHours($from: Date!, $to: Date!) {
  hoursWorked(startsFrom: $from, startsTo: $to, first: 200) {
    items { id agreementId period startsOn hours amendmentReason version }
  }
}
"""
REPORT = """
mutation Report($agreement: ID!, $period: HoursPeriod!, $on: Date!, $hours: Decimal!) {
  reportHoursWorked(agreementId: $agreement, period: $period, startsOn: $on, hours: $hours) {
    id
  }
}
"""
AMEND = """
mutation AmendHours($id: ID!, $v: Int!, $hours: Decimal!, $reason: String!) {
  amendHoursWorked(id: $id, expectedVersion: $v, hours: $hours, reason: $reason) { id }
}
"""
LOG = """
mutation Log($input: SessionLogInput!) { logSupervisionSession(input: $input) { id } }
"""
DRAFT = """
mutation Draft($input: AgreementInput!) { draftSupervisionAgreement(input: $input) { id } }
"""
SIGN = """
mutation Sign($id: ID!, $v: Int!) { signSupervisionAgreement(id: $id, expectedVersion: $v) { id } }
"""
DONE = ("drafted", "signed", "reported", "amended", "logged")
PERIODS = ("WEEK", "DAY")


async def peer_page(
    request: Request,
    caller: Caller,
    *,
    status_code: int = 200,
    done: str | None = None,
    refusal: dict[str, Any] | None = None,
) -> Response:
    """Read the supervision, then the hours of its weeks, and render them."""
    supervision = await ask(request, caller, SUPERVISION)
    if isinstance(supervision, Response):
        return supervision
    view = ((supervision.data or {}).get("me") or {}).get("supervision")
    errors = error_words(request, supervision)
    context: dict[str, Any] = {
        "view": view,
        "done": done if done in DONE else None,
        "refusal": refusal,
        "hours": [],
        "sessions": [],
        "running": [],
        "periods": PERIODS,
        "formats": FORMATS,
        "topics": TOPICS,
    }
    if view is not None:
        weeks = view["compliance"]
        read = {"from": weeks["startsOn"], "to": weeks["endsOn"]}
        hours = await ask(request, caller, HOURS, read)
        if isinstance(hours, Response):
            return hours
        errors += error_words(request, hours)
        context |= {
            "hours": ((hours.data or {}).get("hoursWorked") or {}).get("items", []),
            "sessions": [
                session
                for agreement in view["agreements"]
                for session in agreement["sessions"] or []
                if weeks["startsOn"] <= session["heldOn"] <= weeks["endsOn"]
            ],
            "running": [a for a in view["agreements"] if a["status"] in OPEN],
        }
    return page(request, "peer_supervision.html", status_code=status_code, errors=errors, **context)


@router.get("/me/supervision", response_model=None)
async def supervision(
    request: Request, done: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    """The peer's agreements, hours and sessions of the weeks shown, and their forms."""
    caller = applicant_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    return await peer_page(request, caller, done=done or None)


PEER = FormsOf(applicant_or_refusal, peer_page, "/me/supervision")


@forms.post("/me/supervision/agreements", response_model=None)
async def draft(
    request: Request,
    supervisor: Annotated[str, Form(alias="supervisorId", max_length=200)] = "",
    employer: Annotated[str, Form(max_length=200)] = "",
    starts_on: Annotated[str, Form(alias="startsOn", max_length=10)] = "",
    ends_on: Annotated[str, Form(alias="endsOn", max_length=10)] = "",
    relationship: Annotated[bool, Form(alias="relationshipAttested")] = False,
    not_family: Annotated[bool, Form(alias="notFamilyAttested")] = False,
) -> Response:
    """Draft an agreement with a supervisor (by the id the board gave them): the peer's
    attestations go with it, and both sign it next."""
    typed: dict[str, Any] = {
        "supervisorId": supervisor.strip(),
        "employer": employer.strip(),
        "startsOn": starts_on.strip(),
        "endsOn": ends_on.strip(),
        "relationshipAttested": relationship,
        "notFamilyAttested": not_family,
    }
    refused = not_days(typed, "startsOn") + (not_days(typed, "endsOn") if typed["endsOn"] else [])
    terms = typed | {"endsOn": typed["endsOn"] or None}
    return await act(
        PEER, request, "drafted", "draft", DRAFT, {"input": terms}, typed, refused=refused
    )


@forms.post("/me/supervision/agreements/{agreement_id}/sign", response_model=None)
async def sign(
    request: Request,
    agreement_id: uuid.UUID,
    v: Annotated[int, Form(alias="expectedVersion", ge=0)],
) -> Response:
    """Sign an agreement as the peer, at the version the page showed."""
    variables = {"id": str(agreement_id), "v": v}
    return await act(PEER, request, "signed", str(agreement_id), SIGN, variables, {})


@forms.post("/me/supervision/hours", response_model=None)
async def report(
    request: Request,
    agreement: Annotated[uuid.UUID, Form(alias="agreementId")],
    period: Annotated[str, Form(max_length=10)] = "",
    on: Annotated[str, Form(alias="startsOn", max_length=10)] = "",
    hours: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Report the hours worked under an agreement on a day or in a week."""
    typed = {"agreementId": str(agreement), "period": period, "startsOn": on, "hours": hours}
    variables = {"agreement": str(agreement), "period": period, "on": on, "hours": hours}
    refused = not_days(typed, "startsOn") + not_number(typed, "hours")
    return await act(PEER, request, "reported", "report", REPORT, variables, typed, refused=refused)


@forms.post("/me/supervision/hours/{hours_id}/amend", response_model=None)
async def amend(
    request: Request,
    hours_id: uuid.UUID,
    v: Annotated[int, Form(alias="expectedVersion", ge=0)],
    hours: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Correct a report: the new figure replaces it, the earlier one is kept."""
    typed = {"hours": hours.strip(), "reason": reason}
    variables = {"id": str(hours_id), "v": v, **typed}
    refused = not_number(typed, "hours")
    return await act(
        PEER, request, "amended", str(hours_id), AMEND, variables, typed, refused=refused
    )


@forms.post("/me/supervision/sessions", response_model=None)
async def log(
    request: Request,
    agreement: Annotated[uuid.UUID, Form(alias="agreementId")],
    peer_name: Annotated[str, Form(alias="peerName", max_length=200)] = "",
    number: Annotated[str, Form(alias="peerCertificationNumber", max_length=40)] = "",
    held_on: Annotated[str, Form(alias="heldOn", max_length=10)] = "",
    start: Annotated[str, Form(alias="startTime", max_length=5)] = "",
    stop: Annotated[str, Form(alias="stopTime", max_length=5)] = "",
    kind: Annotated[str, Form(alias="format", max_length=20)] = "",
    topics: Annotated[list[str] | None, Form(max_length=5)] = None,
) -> Response:
    """Log a session for the supervisor's sign-off."""
    typed: dict[str, Any] = {
        "agreementId": str(agreement),
        "peerName": peer_name.strip(),
        "peerCertificationNumber": number.strip(),
        "heldOn": held_on.strip(),
        "startTime": start.strip(),
        "stopTime": stop.strip(),
        "format": kind,
        "topics": topics or [],
    }
    session = typed | {"peerCertificationNumber": typed["peerCertificationNumber"] or None}
    refused = not_days(typed, "heldOn")
    return await act(
        PEER, request, "logged", "log", LOG, {"input": session}, typed, refused=refused
    )
