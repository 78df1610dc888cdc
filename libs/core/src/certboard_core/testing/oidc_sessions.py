"""The stand-in OpenID provider's sessions (``certboard_core.testing.oidc``): the token
responses it gives (each with a refresh token, good once), refreshing, and signing out at its
end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0), by GET or by POST form."""

from __future__ import annotations

import secrets
import threading
from typing import TYPE_CHECKING

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

if TYPE_CHECKING:
    from certboard_core.testing.oidc import Approval, StandInProvider


class Sessions:
    """Refresh tokens by value (spent when used, a new one given in its place), and every
    sign-out asked for."""

    def __init__(self) -> None:
        self._refresh: dict[str, Approval] = {}
        self._lock = threading.Lock()
        # An empty set admits any address to return to; else it must be one of these exactly.
        self.post_logout_redirect_uris: set[str] = set()
        self.logout_requests: list[dict[str, str]] = []

    def issue(self, person: Approval) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._refresh[token] = person
        return token

    def redeem(self, token: str) -> Approval | None:
        """The person a refresh token was given for, once."""
        with self._lock:
            return self._refresh.pop(token, None)

    def end(self, subject: str | None = None) -> None:
        """Forget the refresh tokens of ``subject`` (None: everyone's), as a sign-out does."""
        with self._lock:
            for token, person in list(self._refresh.items()):
                if subject is None or person.subject == subject:
                    del self._refresh[token]


def token_response(
    provider: StandInProvider, person: Approval, id_token: str | None = None
) -> JSONResponse:
    """The token endpoint's answer for ``person``: an access token and a new refresh token."""
    first = person.roles[0] if person.roles else ""
    access = provider.mint(first, person.subject, roles=person.roles, **person.claims)
    return JSONResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": int(provider.token_ttl.total_seconds()),
            "refresh_token": provider.sessions.issue(person),
            **({"id_token": id_token} if id_token else {}),
            "scope": "openid profile",
        },
        headers={"Cache-Control": "no-store"},
    )


def refreshed(refresh_token: str, provider: StandInProvider) -> JSONResponse:
    """The refresh_token grant: new tokens for a refresh token given and not yet used."""
    person = provider.sessions.redeem(refresh_token)
    if person is None:
        return JSONResponse({"error": "invalid_grant"}, status_code=400)
    # No new ID token: the console keeps the first as its sign-out hint.
    return token_response(provider, person)


async def end_session(request: Request, provider: StandInProvider) -> Response:
    """The end_session_endpoint: a hint this provider issued to its client, and a registered
    address to go back to, or 400 here (never a redirect to an address it does not know)."""
    if request.method == "POST":
        form = await request.form()
        asked = {k: v for k, v in form.items() if isinstance(v, str)}
    else:
        asked = dict(request.query_params)
    sessions = provider.sessions
    sessions.logout_requests.append(asked)
    back = asked.get("post_logout_redirect_uri", "")
    try:
        # Expired hints are taken: a session often outlives its ID token (spec, section 2).
        hint = jwt.decode(
            asked.get("id_token_hint", ""),
            provider.public_key(),
            algorithms=[provider.algorithm],
            audience=provider.client_id,
            issuer=provider.issuer,
            options={"verify_exp": False},
        )
    except jwt.InvalidTokenError:
        return JSONResponse({"error": "invalid_request"}, status_code=400)
    if asked.get("client_id", provider.client_id) != provider.client_id or (
        sessions.post_logout_redirect_uris and back not in sessions.post_logout_redirect_uris
    ):
        return JSONResponse({"error": "invalid_request"}, status_code=400)
    sessions.end(str(hint["sub"]))
    return RedirectResponse(back, status_code=302) if back else Response("Signed out.")
