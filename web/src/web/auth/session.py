"""The signed-in session: the person's token, subject and role, renewed while the provider
allows and ended when the token ends.

The session lives in Starlette's cookie (signed, HttpOnly, SameSite=Lax, Secure in
production). The token leaves it only in the Authorization header of a gateway request; the
refresh token only for the provider's token endpoint, with the client secret.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from certboard_core.roles import Role

if TYPE_CHECKING:
    from web.auth.oidc import ProviderSignIn

# The people who use the console, in the order a token with several is read: `service` is a
# machine identity, never a person.
ROLES = (Role.APPLICANT, Role.STAFF, Role.SUPERVISOR, Role.PROVIDER, Role.EMPLOYER)
LANDING = {
    Role.APPLICANT: "/me",
    Role.STAFF: "/staff",
    Role.EMPLOYER: "/employer",
    Role.SUPERVISOR: "/supervisor",
}
# A token this close to its end is renewed first: the gateway and the services behind it
# check it again a little later, each with the same clock.
RENEW_BEFORE_SECONDS = 60


def begin(
    request: Request,
    *,
    token: str,
    subject: str,
    role: Role,
    expires_at: int,
    refresh_token: str | None = None,
    id_token: str | None = None,
) -> RedirectResponse:
    """A new session for this person, and the way to their first page.

    Nothing from before carries over but the language: a new CSRF token, and no sign-in
    state left to use again."""
    end(request)
    request.session.update(
        {"token": token, "sub": subject, "role": role.value, "exp": int(expires_at)}
    )
    _keep(request.session, refresh_token=refresh_token, id_token=id_token)
    return RedirectResponse(LANDING.get(role, "/"), status_code=303)


def end(request: Request) -> None:
    """Forget the session (its token with it), keeping only the chosen language."""
    _clear(request.session)


def _clear(session: dict[str, Any]) -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _keep(session: dict[str, Any], *, refresh_token: str | None, id_token: str | None) -> None:
    # A provider that renews without a new refresh (or ID) token leaves the one it gave.
    if refresh_token:
        session["refresh"] = refresh_token
    if id_token:
        session["id_token"] = id_token


class SessionExpiryMiddleware:
    """Renews a session whose token is about to end, when the provider gave a refresh token,
    and ends one whose token has ended, so no page shows someone signed in whom the gateway
    would refuse. A session the provider would not renew goes to sign in with words saying
    so. Inside SessionMiddleware; on real time, like every expiry."""

    def __init__(self, app: ASGIApp, provider: ProviderSignIn | None = None) -> None:
        self.app = app
        self.provider = provider

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = scope.get("session") if scope["type"] == "http" else None
        expires = session.get("exp") if session else None
        if session and isinstance(expires, int | float):
            now = time.time()
            renewable = self.provider is not None and isinstance(session.get("refresh"), str)
            if renewable and expires <= now + RENEW_BEFORE_SECONDS:
                expires = await self._renew(session) or expires
            if expires <= now:
                _clear(session)
                if renewable:
                    ended = RedirectResponse("/signin?expired=true", status_code=303)
                    await ended(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _renew(self, session: dict[str, Any]) -> int | None:
        """The renewed token's end, or None: the provider would not renew it."""
        assert self.provider is not None
        person = await self.provider.refresh(str(session["refresh"]), subject=str(session["sub"]))
        if person is None:
            return None
        session.update({"token": person.token, "role": person.role.value, "exp": person.expires_at})
        _keep(session, refresh_token=person.refresh_token, id_token=person.id_token)
        return person.expires_at
