"""Signed-in pages: the applicant's status, and signing out."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from web.auth import session
from web.gateway import Gateway
from web.pages.public import error_words
from web.render import page
from web.security import require_csrf

router = APIRouter()

STATUS = """
query MyStatus {
  me {
    applications {
      id status submittedOn
      deadlines {
        today firstNotificationDueOn firstNotificationDaysLeft firstNotifiedOn
        lastDayToComplete voidFrom daysLeftToComplete validThrough daysLeftValid
        examRequestCutoff daysLeftToRequestExam
      }
      missing
      notifications { reason subject body createdAt }
      certification { number status validThrough }
    }
  }
}
"""
# Which dates make the timeline, each with its label's key and the gateway's days-left field
# for it: when the gateway leaves that null, the date does not bind the application now (it
# is not waiting on the applicant, or no longer approved), and the page says so instead of
# counting days. A date the application does not have (null) is left out.
TIMELINE = (
    ("submittedOn", "date.submitted", None),
    ("firstNotifiedOn", "date.first_notified", None),
    ("firstNotificationDueOn", "date.first_notice_due", "firstNotificationDaysLeft"),
    ("lastDayToComplete", "date.last_day_to_complete", "daysLeftToComplete"),
    ("voidFrom", "date.void_from", "daysLeftToComplete"),
    ("validThrough", "date.valid_through", "daysLeftValid"),
    ("examRequestCutoff", "date.exam_cutoff", "daysLeftToRequestExam"),
)


def timeline(application: dict[str, Any]) -> list[dict[str, Any]]:
    """Every date of the application in order, with its days from the board's today, or
    ``applies: False`` where the gateway says it does not bind now."""
    deadlines = application["deadlines"]
    today = date.fromisoformat(deadlines["today"])
    dated = {"submittedOn": application["submittedOn"], **deadlines}
    entries: list[dict[str, Any]] = []
    for name, label, days_field in TIMELINE:
        if dated.get(name) is None:
            continue
        applies = days_field is None or deadlines.get(days_field) is not None
        entries.append({"key": label, "on": dated[name], "applies": applies})
    certification = application.get("certification")
    if certification:
        entries.append(
            {
                "key": "date.certification_valid",
                "on": certification["validThrough"],
                "applies": True,
            }
        )
    for entry in entries:
        entry["days"] = (date.fromisoformat(entry["on"]) - today).days
    # Stable: two dates on one day keep the order of TIMELINE (submitted before notified).
    return sorted(entries, key=lambda e: str(e["on"]))


@router.get("/me", response_class=HTMLResponse, response_model=None)
async def my_status(request: Request) -> HTMLResponse | RedirectResponse:
    """The applicant's applications: a timeline of dates, what is missing, notices."""
    token = request.session.get("token")
    if not token and not request.app.state.settings.sign_in_enabled:
        return page(request, "error.html", status_code=401, message="signin.unavailable")
    if not token:
        return RedirectResponse("/signin", status_code=303)
    if request.session.get("role") != "applicant":
        return page(request, "status.html", applications=[], errors=[], not_applicant=True)
    gateway: Gateway = request.app.state.gateway
    answer = await gateway.query(STATUS, token=token, request_id=request.state.request_id)
    if answer.code() == "UNAUTHENTICATED":
        # The token ran out (or the keys changed): the session is over, say so.
        request.session.clear()
        return RedirectResponse("/signin?expired=true", status_code=303)
    applications = (answer.data or {}).get("me", {}).get("applications", []) if answer.data else []
    for application in applications:
        application["timeline"] = timeline(application)
    return page(
        request,
        "status.html",
        applications=applications,
        errors=error_words(request, answer),
        not_applicant=False,
        today=applications[0]["deadlines"]["today"] if applications else None,
    )


@router.post("/signout", dependencies=[Depends(require_csrf)])
async def signout(request: Request) -> RedirectResponse:
    """Forget the session (its token with it)."""
    session.end(request)
    return RedirectResponse("/", status_code=303)
