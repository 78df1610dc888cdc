"""What every page carries: a strict Content-Security-Policy, and a CSRF check on every POST."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Only the console's own origin: no inline script or style, no eval, no frames, and forms
# post back to this site only. htmx is served from /static and told not to inject its
# indicator style (see base.html), so it runs under this policy unchanged.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CSRF_FIELD = "csrf_token"
# htmx sends the token in this header (base.html sets hx-headers from the page's token).
CSRF_HEADER = "X-CSRF-Token"


def origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(*, provider: str | None) -> str:
    """The policy, letting forms go on to the identity ``provider``'s origin too: signing out
    there is a redirect after the sign-out form, which browsers check against form-action."""
    if provider is None:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin(provider)}"
    )


class SecurityHeadersMiddleware:
    """Adds the security headers to every response (pages, static files, errors)."""

    def __init__(self, app: ASGIApp, policy: str = CONTENT_SECURITY_POLICY) -> None:
        self.app = app
        self.headers = {**SECURITY_HEADERS, "Content-Security-Policy": policy}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    # A response with its own policy keeps it: a relayed document's is
                    # stricter still (sandbox, nothing loads).
                    if name == "Content-Security-Policy" and name in headers:
                        continue
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfRefused(Exception):
    """A POST without this session's CSRF token: answered with the 403 page."""


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first need."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def require_csrf(request: Request) -> None:
    """Dependency of every POST route: the form field or header must match the session's."""
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None:
        raise CsrfRefused
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfRefused
