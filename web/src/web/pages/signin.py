"""Development sign-in: pick a role and a subject, get a token from the development issuer.

Mounted only when ``dev_sign_in`` is on, which production refuses (production signs in
through the board's provider: ``provider_signin``). The token lives in the session
(``web.auth.session``): never in a URL, a page or a log line.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from certboard_core.devissuer import ALL_AUDIENCES, ensure_dev_key, mint_token
from web.auth import session
from web.auth.session import ROLES
from web.render import page
from web.security import require_csrf

router = APIRouter()

SUBJECT = re.compile(r"[A-Za-z0-9._-]{1,64}")


@router.get("/signin", response_class=HTMLResponse)
async def signin_form(request: Request, expired: bool = False) -> HTMLResponse:
    """The development sign-in form."""
    return page(request, "signin.html", roles=ROLES, expired=expired, error=None, subject="")


@router.post("/signin", dependencies=[Depends(require_csrf)], response_model=None)
async def signin(
    request: Request,
    role: Annotated[str, Form(max_length=20)],
    subject: Annotated[str, Form(max_length=200)],
) -> HTMLResponse | RedirectResponse:
    """Mint a token for the role and subject and keep it in the session."""
    chosen = next((r for r in ROLES if r.value == role), None)
    subject = subject.strip()
    if chosen is None or not SUBJECT.fullmatch(subject):
        return page(
            request,
            "signin.html",
            status_code=422,
            roles=ROLES,
            expired=False,
            error="signin.subject_missing",
            subject=subject[:64],
        )
    settings = request.app.state.settings
    expires_at = int(time.time()) + settings.session_max_age_seconds
    token = mint_token(
        ensure_dev_key(settings.data_dir),
        subject=subject,
        roles=[chosen],
        audiences=ALL_AUDIENCES,
        ttl=timedelta(seconds=settings.session_max_age_seconds),
    )
    return session.begin(request, token=token, subject=subject, role=chosen, expires_at=expires_at)
