"""Staff decisions on an application, one POST each: CSRF-checked, with the version the page
was read at. Done, back to the page (303); refused, the page read afresh with the refusal in
words and what was typed kept; a stale version (VERSION_CONFLICT) changes nothing."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.gateway import Answer, GraphQLError
from web.pages.caller import Caller, ask, staff_or_refusal
from web.pages.staff.application import application_page, refusal_of
from web.security import require_csrf

router = APIRouter(dependencies=[Depends(require_csrf)])

START_REVIEW = """
mutation StartReview($id: ID!, $v: Int!) { startReview(id: $id, expectedVersion: $v) { id } }
"""
REQUEST_REVISION = """
mutation RequestRevision(
  $id: ID!, $v: Int!, $items: [RevisionItem!]!, $note: String, $confirmVoid: Boolean!
) {
  requestRevision(
    id: $id, expectedVersion: $v, items: $items, note: $note, confirmVoid: $confirmVoid
  ) { id }
}
"""
APPROVE = """
mutation Approve($id: ID!, $v: Int!, $reason: String) {
  approveApplication(id: $id, expectedVersion: $v, reason: $reason) { id }
}
"""
DENY = """
mutation Deny($id: ID!, $v: Int!, $reason: String!) {
  denyApplication(id: $id, expectedVersion: $v, reason: $reason) { id }
}
"""
BACKGROUND_CHECK = """
mutation Background($id: ID!, $v: Int!, $result: BackgroundCheck!, $note: String) {
  recordBackgroundCheck(id: $id, expectedVersion: $v, result: $result, note: $note) { id }
}
"""
RECORD_PAYMENT = """
mutation Pay($id: ID!, $kind: FeeKind!, $cents: Int!, $reference: String!, $at: DateTime!) {
  recordPayment(id: $id, kind: $kind, amountCents: $cents, reference: $reference, paidAt: $at) {
    id
  }
}
"""
STATUS_MESSAGE = """
mutation Message($id: ID!, $subject: String!, $body: String!) {
  sendStatusMessage(id: $id, subject: $subject, body: $body) { id }
}
"""
Version = Annotated[int, Form(alias="expectedVersion", ge=0)]
Note = Annotated[str, Form(max_length=2000)]
Short = Annotated[str, Form(max_length=200)]


async def decide(
    request: Request,
    application_id: uuid.UUID,
    decision: str,
    document: str,
    variables: dict[str, Any],
    *,
    typed: dict[str, Any],
    version: int = 0,
) -> Response:
    """Send one decision; on success back to the page, else the page with the refusal."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    answer = await ask(request, staff, document, {"id": str(application_id), **variables})
    if isinstance(answer, Response):
        return answer
    if not answer.errors:
        return RedirectResponse(
            f"/staff/applications/{application_id}?done={decision}", status_code=303
        )
    return await refused(request, staff, application_id, decision, answer, typed, version)


async def refused(
    request: Request,
    staff: Caller,
    application_id: uuid.UUID,
    decision: str,
    answer: Answer,
    typed: dict[str, Any],
    version: int,
) -> Response:
    """The page read afresh (its current state and version) with the refusal on it."""
    refusal = refusal_of(request, answer, decision, typed, version)
    status = 409 if refusal["conflict"] else 422
    return await application_page(
        request, staff, application_id, status_code=status, refusal=refusal
    )


def blank(value: str) -> str | None:
    return value.strip() or None


@router.post("/staff/applications/{application_id}/start-review", response_model=None)
async def start_review(request: Request, application_id: uuid.UUID, v: Version) -> Response:
    """Take up a submitted or resubmitted application."""
    return await decide(
        request, application_id, "start-review", START_REVIEW, {"v": v}, typed={}, version=v
    )


@router.post("/staff/applications/{application_id}/request-revision", response_model=None)
async def request_revision(
    request: Request,
    application_id: uuid.UUID,
    v: Version,
    items: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006 (FastAPI copies it)
    note: Note = "",
    confirm_void: Annotated[bool, Form(alias="confirmVoid")] = False,
) -> Response:
    """Ask the applicant for what is missing or wrong, with a note; after the hold this voids
    the application, which the gateway refuses (REVISION_WOULD_VOID) until confirmed."""
    typed = {"items": items, "note": note}
    variables = {"v": v, "items": items, "note": blank(note), "confirmVoid": confirm_void}
    return await decide(
        request,
        application_id,
        "request-revision",
        REQUEST_REVISION,
        variables,
        typed=typed,
        version=v,
    )


@router.post("/staff/applications/{application_id}/approve", response_model=None)
async def approve(
    request: Request, application_id: uuid.UUID, v: Version, reason: Note = ""
) -> Response:
    """Approve (refused while a requirement such as the fee is unmet)."""
    variables = {"v": v, "reason": blank(reason)}
    return await decide(
        request, application_id, "approve", APPROVE, variables, typed={"reason": reason}, version=v
    )


@router.post("/staff/applications/{application_id}/deny", response_model=None)
async def deny(
    request: Request, application_id: uuid.UUID, v: Version, reason: Note = ""
) -> Response:
    """Deny, with the reason the applicant is sent."""
    variables = {"v": v, "reason": reason.strip()}
    return await decide(
        request, application_id, "deny", DENY, variables, typed={"reason": reason}, version=v
    )


@router.post("/staff/applications/{application_id}/background-check", response_model=None)
async def background_check(
    request: Request,
    application_id: uuid.UUID,
    v: Version,
    result: Annotated[str, Form(max_length=20)] = "",
    note: Note = "",
) -> Response:
    """Record the fingerprint background check's result."""
    typed = {"result": result, "note": note}
    variables = {"v": v, "result": result, "note": blank(note)}
    return await decide(
        request,
        application_id,
        "background-check",
        BACKGROUND_CHECK,
        variables,
        typed=typed,
        version=v,
    )


# GraphQL's Int is 32 bits: a larger sum could not even be sent.
MAX_CENTS = 2**31 - 1


def cents(amount: str) -> int | None:
    """``"25"`` or ``"25.50"`` (dollars, as staff read a receipt) in cents; None if not."""
    try:
        value = Decimal(amount.strip().replace(",", ""))
        whole = value.is_finite() and value >= 0 and value == value.quantize(Decimal("0.01"))
    except InvalidOperation:  # not a number, or too many digits to quantize
        return None
    if not whole or value * 100 > MAX_CENTS:
        return None
    return int(value * 100)


def paid_at(day: str, time_zone: str) -> str | None:
    """The local day and time the board received it, as an instant in its time zone."""
    try:
        local = datetime.fromisoformat(day)
        zone = ZoneInfo(time_zone)
    except (ValueError, ZoneInfoNotFoundError):
        return None
    return local.replace(tzinfo=zone).isoformat() if local.tzinfo is None else local.isoformat()


@router.post("/staff/applications/{application_id}/record-payment", response_model=None)
async def record_payment(
    request: Request,
    application_id: uuid.UUID,
    kind: Annotated[str, Form(max_length=20)],
    amount: Annotated[str, Form(max_length=20)] = "",
    reference: Short = "",
    paid: Annotated[str, Form(alias="paidAt", max_length=40)] = "",
    time_zone: Annotated[str, Form(alias="timeZone", max_length=60)] = "UTC",
) -> Response:
    """Record a fee the board received (a reference counts once)."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    typed = {"kind": kind, "amount": amount, "reference": reference, "paidAt": paid}
    amount_cents, instant = cents(amount), paid_at(paid, time_zone)
    if amount_cents is None or instant is None:
        # Checked here only because the gateway takes cents and an instant, not what the form
        # shows; the gateway checks the values themselves.
        field = "amount" if amount_cents is None else "paidAt"
        local = Answer(
            data=None,
            errors=[GraphQLError("INVALID_INPUT", f"{field}: not a {_WHAT[field]}", field)],
        )
        return await refused(request, staff, application_id, "record-payment", local, typed, 0)
    variables = {"kind": kind, "cents": amount_cents, "reference": reference.strip(), "at": instant}
    return await decide(
        request, application_id, "record-payment", RECORD_PAYMENT, variables, typed=typed
    )


_WHAT = {"amount": "sum in dollars such as 25 or 25.50", "paidAt": "date and time"}


@router.post("/staff/applications/{application_id}/status-message", response_model=None)
async def status_message(
    request: Request, application_id: uuid.UUID, subject: Short = "", body: Note = ""
) -> Response:
    """Send the applicant a status message (it counts as a notice)."""
    typed = {"subject": subject, "body": body}
    variables = {"subject": subject.strip(), "body": body.strip()}
    return await decide(
        request, application_id, "status-message", STATUS_MESSAGE, variables, typed=typed
    )
