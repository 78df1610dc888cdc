"""What every signed-in page of a role shares: who may open it, and one gateway operation each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.gateway import Answer, Gateway, Upload
from web.render import page


@dataclass(frozen=True)
class Caller:
    """Someone signed in with the role a page needs: the token to send on, never shown."""

    token: str


def staff_or_refusal(request: Request) -> Caller | Response:
    """The session's staff token, else the answer to send instead (see ``role_or_refusal``)."""
    return role_or_refusal(request, "staff", "staff.only")


def role_or_refusal(request: Request, role: str, refusal: str) -> Caller | Response:
    """The session's token if it is ``role``'s, else the answer to send instead: sign in, or
    a 403 page that says which role the console saw (the gateway would refuse it anyway)."""
    token = request.session.get("token")
    if not token and not request.app.state.settings.sign_in_enabled:
        return page(request, "error.html", status_code=401, message="signin.unavailable")
    if not token:
        return RedirectResponse("/signin", status_code=303)
    if request.session.get("role") != role:
        return page(
            request,
            "error.html",
            status_code=403,
            message=refusal,
            detail=request.session.get("role"),
        )
    return Caller(token=str(token))


async def ask(
    request: Request,
    staff: Caller,
    document: str,
    variables: dict[str, Any] | None = None,
    *,
    files: dict[str, Upload] | None = None,
) -> Answer | Response:
    """One operation as this caller (``files``: its uploads); a token the gateway no longer
    takes ends the session (with words on the sign-in page) and a FORBIDDEN gets the 403 page."""
    gateway: Gateway = request.app.state.gateway
    answer = await gateway.query(
        document, variables, token=staff.token, request_id=request.state.request_id, files=files
    )
    if answer.code() == "UNAUTHENTICATED":
        request.session.clear()
        return RedirectResponse("/signin?expired=true", status_code=303)
    if answer.code() == "FORBIDDEN" and answer.data is None:
        return page(request, "error.html", status_code=403, message="code.FORBIDDEN")
    return answer


def not_found(request: Request) -> HTMLResponse:
    return page(request, "error.html", status_code=404, message="error.not_found")
