"""The employer's page: its profile, the certifications it follows and the alerts it was sent,
from one gateway request; forms to create the profile, enrol a certification and stop
following one. Each POST is CSRF-checked; a refusal comes back with its field and words."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from web.gateway import Answer
from web.pages.caller import Caller, ask, role_or_refusal
from web.pages.public import error_words
from web.render import page
from web.security import require_csrf

router = APIRouter()

MINE = """
query Employer($size: Int!, $enrolmentsAfter: String, $alertsAfter: String) {
  me {
    employer {
      profile { id organisation alertEmail webhookUrl createdAt version }
      enrolments(first: $size, after: $enrolmentsAfter) {
        items { id certificateNumber holderName status validThrough enrolledAt }
        nextCursor
      }
      alerts(first: $size, after: $alertsAfter) {
        items {
          id certificateNumber kind summary createdAt
          detail {
            fromStatus toStatus changedOn validThrough daysLeft outcome status
            effectiveFrom effectiveThrough
          }
        }
        nextCursor
      }
    }
  }
}
"""
CREATE = """
mutation Create($organisation: String!, $alertEmail: String!, $webhookUrl: String) {
  createEmployerProfile(organisation: $organisation, alertEmail: $alertEmail,
                        webhookUrl: $webhookUrl) { webhookSecret }
}
"""
ENROL = """
mutation Enrol($number: String!, $lastName: String!) {
  enrolCertification(certificateNumber: $number, lastName: $lastName) { id }
}
"""
UNENROL = "mutation Unenrol($id: ID!) { unenrolCertification(id: $id) }"
Text = Annotated[str, Form(max_length=200)]


def employer_or_refusal(request: Request) -> Caller | Response:
    return role_or_refusal(request, "employer", "employer.only")


async def employer_page(
    request: Request,
    caller: Caller,
    *,
    status_code: int = 200,
    after: tuple[str, str] = ("", ""),
    **extra: Any,
) -> Response:
    """Read everything the employer has and render it, with ``extra`` (a refusal, the secret
    shown once, what was done)."""
    variables = {
        "size": request.app.state.settings.page_size,
        "enrolmentsAfter": after[0] or None,
        "alertsAfter": after[1] or None,
    }
    answer = await ask(request, caller, MINE, variables)
    if isinstance(answer, Response):
        return answer
    view = ((answer.data or {}).get("me") or {}).get("employer") or {}
    return page(
        request,
        "employer.html",
        status_code=status_code,
        profile=view.get("profile"),
        enrolments=view.get("enrolments") or {"items": [], "nextCursor": None},
        alerts=view.get("alerts") or {"items": [], "nextCursor": None},
        errors=error_words(request, answer),
        **{"refusal": None, "secret": None, "done": None, **extra},
    )


def refusal(request: Request, answer: Answer, form: str, typed: dict[str, str]) -> dict[str, Any]:
    """A refused form: which, the errors in words, the fields at fault, what was typed."""
    return {
        "form": form,
        "errors": error_words(request, answer),
        "fields": {e.field.replace("_", "").lower() for e in answer.errors if e.field},
        "typed": typed,
    }


@router.get("/employer", response_model=None)
async def employer(
    request: Request,
    enrolments_after: Annotated[str, Query(max_length=500)] = "",
    alerts_after: Annotated[str, Query(max_length=500)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The employer's profile, enrolments and alerts, a page of each."""
    caller = employer_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    return await employer_page(
        request,
        caller,
        after=(enrolments_after, alerts_after),
        done=done if done in ("enrolled", "unenrolled") else None,
    )


@router.post("/employer/profile", dependencies=[Depends(require_csrf)], response_model=None)
async def create_profile(
    request: Request,
    organisation: Text = "",
    alert_email: Annotated[str, Form(alias="alertEmail", max_length=200)] = "",
    webhook_url: Annotated[str, Form(alias="webhookUrl", max_length=500)] = "",
) -> Response:
    """Say who the employer is and where alerts go; the webhook secret is shown this once."""
    caller = employer_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    typed = {"organisation": organisation, "alertEmail": alert_email, "webhookUrl": webhook_url}
    variables = {
        "organisation": organisation.strip(),
        "alertEmail": alert_email.strip(),
        "webhookUrl": webhook_url.strip() or None,
    }
    answer = await ask(request, caller, CREATE, variables)
    if isinstance(answer, Response):
        return answer
    if answer.errors:
        refused = refusal(request, answer, "profile", typed)
        return await employer_page(request, caller, status_code=422, refusal=refused)
    # Rendered rather than redirected: the secret is in this answer only, never in a cookie.
    secret = answer.data["createEmployerProfile"]["webhookSecret"] if answer.data else None
    return await employer_page(request, caller, secret=secret, done="created")


@router.post("/employer/enrolments", dependencies=[Depends(require_csrf)], response_model=None)
async def enrol(
    request: Request,
    number: Annotated[str, Form(alias="certificateNumber", max_length=100)] = "",
    last_name: Annotated[str, Form(alias="lastName", max_length=100)] = "",
) -> Response:
    """Follow a certification by its number and its holder's last name."""
    caller = employer_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    typed = {"certificateNumber": number, "lastName": last_name}
    variables = {"number": number.strip(), "lastName": last_name.strip()}
    answer = await ask(request, caller, ENROL, variables)
    if isinstance(answer, Response):
        return answer
    if answer.errors:
        refused = refusal(request, answer, "enrol", typed)
        return await employer_page(request, caller, status_code=422, refusal=refused)
    return RedirectResponse("/employer?done=enrolled", status_code=303)


@router.post(
    "/employer/enrolments/{enrolment_id}/unenrol",
    dependencies=[Depends(require_csrf)],
    response_model=None,
)
async def unenrol(request: Request, enrolment_id: uuid.UUID) -> Response:
    """Stop following a certification."""
    caller = employer_or_refusal(request)
    if not isinstance(caller, Caller):
        return caller
    answer = await ask(request, caller, UNENROL, {"id": str(enrolment_id)})
    if isinstance(answer, Response):
        return answer
    if answer.errors:
        refused = refusal(request, answer, "unenrol", {})
        return await employer_page(request, caller, status_code=422, refusal=refused)
    return RedirectResponse("/employer?done=unenrolled", status_code=303)
