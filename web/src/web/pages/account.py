"""Signed-in pages: the applicant's status, and signing out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.auth import session
from web.auth.oidc import ProviderSignIn
from web.pages.applicant_view import STATUS, open_request, uploadable

# The staff console draws the same timeline (web.pages.staff.application imports it from here).
from web.pages.applicant_view import timeline as timeline
from web.pages.caller import Caller, ask
from web.pages.public import error_words
from web.render import page
from web.security import require_csrf

router = APIRouter()
# What the applicant's forms say they did, after their redirect back to /me.
DONE = ("submitted", "uploaded", "resubmitted", "exam_requested")


@router.get("/me", response_class=HTMLResponse, response_model=None)
async def my_status(request: Request, done: Annotated[str, Query(max_length=20)] = "") -> Response:
    """The applicant's applications: a timeline of dates, what is missing, notices, exams,
    the certification and its renewal."""
    token = request.session.get("token")
    if not token and not request.app.state.settings.sign_in_enabled:
        return page(request, "error.html", status_code=401, message="signin.unavailable")
    if not token:
        return RedirectResponse("/signin", status_code=303)
    if request.session.get("role") != "applicant":
        return page(request, "status.html", applications=[], errors=[], not_applicant=True)
    return await status_page(request, Caller(token=str(token)), done=done if done in DONE else None)


async def status_page(
    request: Request, caller: Caller, *, status_code: int = 200, **extra: Any
) -> Response:
    """Read the applicant's applications and render them, with ``extra`` (what was just done,
    or a refused form with what it said)."""
    answer = await ask(request, caller, STATUS)
    if isinstance(answer, Response):
        return answer
    applications = ((answer.data or {}).get("me") or {}).get("applications") or []
    for application in applications:
        application["timeline"] = timeline(application)
        application["uploadable"] = uploadable(application)
        application["open_request"] = open_request(application)
    return page(
        request,
        "status.html",
        status_code=status_code,
        applications=applications,
        errors=error_words(request, answer),
        not_applicant=False,
        **{"done": None, "refusal": None, **extra},
    )


@router.post("/signout", dependencies=[Depends(require_csrf)])
async def signout(request: Request) -> RedirectResponse:
    """Forget the session (its token with it) and, signed in through the board's provider,
    go on to end the provider's session too."""
    id_token = request.session.get("id_token")
    session.end(request)
    provider: ProviderSignIn | None = request.app.state.provider_sign_in
    if provider is not None and isinstance(id_token, str):
        there = await provider.end_session_url(request, id_token)
        if there is not None:
            return RedirectResponse(there, status_code=303)
    return RedirectResponse("/", status_code=303)
