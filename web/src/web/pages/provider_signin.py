"""Sign-in through the board's identity provider: ``/signin`` goes there, ``/auth/callback``
comes back. Mounted in production, and wherever ``CERTBOARD_OIDC_ISSUER`` is set.

No form here: the provider's own page is where the person signs in, and the callback is
bound to the session that started it by its state (a callback from anyone else finds none).
"""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from web.auth import session
from web.auth.oidc import ProviderSignIn, SignInFailed
from web.render import page

router = APIRouter()
log = structlog.get_logger(__name__)


def provider_of(request: Request) -> ProviderSignIn:
    provider: ProviderSignIn = request.app.state.provider_sign_in
    return provider


@router.get("/signin", response_model=None)
async def signin(request: Request, expired: bool = False) -> RedirectResponse | HTMLResponse:
    """Off to the board's identity provider, with a fresh state, nonce and PKCE challenge;
    after a session that ended, first a page that says so."""
    if expired:
        return page(request, "signin_expired.html")
    try:
        return await provider_of(request).start(request)
    except SignInFailed as failed:
        return refused(request, failed)


@router.get("/auth/callback", name="oidc_callback", response_model=None)
async def callback(request: Request) -> RedirectResponse | HTMLResponse:
    """The provider's answer: the person signed in, or a page saying why not."""
    try:
        person = await provider_of(request).finish(request)
    except SignInFailed as failed:
        return refused(request, failed)
    log.info("signed in", subject=person.subject, role=person.role.value)
    return session.begin(
        request,
        token=person.token,
        subject=person.subject,
        role=person.role,
        expires_at=person.expires_at,
        refresh_token=person.refresh_token,
        id_token=person.id_token,
    )


def refused(request: Request, failed: SignInFailed) -> HTMLResponse:
    # The reason names what failed, never a token or a code.
    log.warning("sign-in refused", reason=failed.reason)
    # The language switch comes back to the front page: this callback cannot be used again.
    return page(
        request,
        "signin_refused.html",
        status_code=failed.status_code,
        message=failed.message,
        path="/",
    )
