"""The signed-in session: the person's token, subject and role, ended when the token ends.

The session lives in Starlette's cookie (signed, HttpOnly, SameSite=Lax, Secure in
production). The token leaves it only in the Authorization header of a gateway request.
"""

from __future__ import annotations

import time

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from certboard_core.roles import Role

# The people who use the console, in the order a token with several is read: `service` is a
# machine identity, never a person.
ROLES = (Role.APPLICANT, Role.STAFF, Role.SUPERVISOR, Role.PROVIDER, Role.EMPLOYER)
LANDING = {
    Role.APPLICANT: "/me",
    Role.STAFF: "/staff",
    Role.EMPLOYER: "/employer",
    Role.SUPERVISOR: "/supervisor",
}


def begin(
    request: Request, *, token: str, subject: str, role: Role, expires_at: int
) -> RedirectResponse:
    """A new session for this person, and the way to their first page.

    Nothing from before carries over but the language: a new CSRF token, and no sign-in
    state left to use again."""
    end(request)
    request.session.update(
        {"token": token, "sub": subject, "role": role.value, "exp": int(expires_at)}
    )
    return RedirectResponse(LANDING.get(role, "/"), status_code=303)


def end(request: Request) -> None:
    """Forget the session (its token with it), keeping only the chosen language."""
    _clear(request.session)


def _clear(session: dict[str, object]) -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


class SessionExpiryMiddleware:
    """Ends a session once its token has expired, so no page shows someone signed in whom
    the gateway would refuse. Inside SessionMiddleware; on real time, like every expiry."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session") if scope["type"] == "http" else None
        if session:
            expires = session.get("exp")
            if isinstance(expires, int | float) and expires <= time.time():
                _clear(session)
        await self.app(scope, receive, send)
