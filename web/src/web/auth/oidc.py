"""Sign-in through the board's OpenID Connect provider: the authorization-code flow with PKCE.

Authlib's Starlette client does the protocol: state, nonce and an S256 code challenge kept
in the signed session until the callback, the code exchanged with the client secret, and
the ID token checked against the provider's JWKS (signature, issuer, audience, nonce,
expiry). The access token is then checked as the gateway will check it, so a provider that
leaves out the roles or the audiences is reported at sign-in, not on every page after it.

A callback is good once: Authlib drops its state from the session as it is read, and the
provider takes each code once (an old cookie replayed with an old callback finds the code
spent).

A session outlives its access token while the provider renews it: ``refresh`` spends the
refresh token (at the token endpoint, with the client secret: alone it is worth nothing) and
checks the new access token as at sign-in. Signing out ends the provider's session too, by
RP-Initiated Logout: ``end_session_url``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import structlog
from authlib.integrations.base_client import MismatchingStateError, OAuthError

# Authlib talks through httpx2 where it is installed, else httpx (deprecated by it): its
# network errors are that module's, whichever it is.
from authlib.integrations.httpx_client._compat import httpx2 as authlib_http
from authlib.integrations.starlette_client import OAuth
from fastapi import Request
from fastapi.responses import RedirectResponse
from joserfc.errors import JoseError

from certboard_core.auth import TokenVerifier
from certboard_core.errors import NotAuthenticated
from certboard_core.roles import Role
from web.auth.session import ROLES
from web.config import Settings
from web.security import origin

# The name Authlib keys its session entries by.
PROVIDER = "board"
# What the gateway requires of a token (certboard_core.auth, the gateway's own audience).
GATEWAY_AUDIENCE = "certboard-gateway"

log = structlog.get_logger(__name__)


class SignInFailed(Exception):
    """Sign-in did not complete: ``message`` is the page's words, ``reason`` for the log."""

    def __init__(self, message: str, status_code: int, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.status_code = status_code
        self.reason = reason


@dataclass(frozen=True)
class SignedIn:
    """The person the provider vouched for, and the token the gateway will accept."""

    token: str
    subject: str
    role: Role
    expires_at: int
    # Kept in the session to renew it and to end it at the provider; None when not given.
    refresh_token: str | None = None
    id_token: str | None = None


class ProviderSignIn:
    """One registered client of the board's provider, for the console's life."""

    def __init__(self, settings: Settings) -> None:
        # Settings refuse an issuer without the other two.
        assert settings.oidc_issuer
        assert settings.oidc_client_id
        assert settings.oidc_client_secret
        self.issuer = settings.oidc_issuer
        self.client_id = settings.oidc_client_id
        self.redirect_url = settings.oidc_redirect_url
        self.post_logout_redirect_url = settings.oidc_post_logout_redirect_url
        oauth = OAuth()
        self.client: Any = oauth.register(
            PROVIDER,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret.get_secret_value(),
            server_metadata_url=self.issuer.rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={
                "scope": settings.oidc_scopes,
                "code_challenge_method": "S256",
                "timeout": settings.http_timeout_seconds,
            },
        )
        self.verifier = TokenVerifier(
            issuer=settings.jwt_issuer,
            audience=GATEWAY_AUDIENCE,
            algorithm=settings.jwt_algorithm,
            jwks_url=settings.jwt_jwks_url,
            public_key_file=None if settings.jwt_jwks_url else settings.jwt_public_key_file,
            leeway_seconds=settings.jwt_leeway_seconds,
        )
        # Authlib logs the PKCE verifier at DEBUG: never in our logs, whatever the level.
        logging.getLogger("authlib").setLevel(logging.INFO)

    async def start(self, request: Request) -> RedirectResponse:
        """The redirect to the provider's authorize endpoint, its state kept in the session."""
        redirect_uri = self.redirect_url or str(request.url_for("oidc_callback"))
        try:
            response: RedirectResponse = await self.client.authorize_redirect(request, redirect_uri)
        except authlib_http.HTTPError as exc:
            raise SignInFailed("signin.provider_down", 503, f"discovery: {exc}") from exc
        return response

    async def finish(self, request: Request) -> SignedIn:
        """The callback: the code exchanged and both tokens checked, or ``SignInFailed``."""
        try:
            token = await self.client.authorize_access_token(
                request,
                # Pinned to configuration: the audience must name this client, whatever
                # the token's `azp` says, and the issuer is the one we were given.
                claims_options={
                    "iss": {"essential": True, "value": self.issuer},
                    "aud": {"essential": True, "value": self.client_id},
                },
            )
        except MismatchingStateError as exc:
            raise SignInFailed("signin.stale", 400, "no sign-in under way for this state") from exc
        except OAuthError as exc:
            await self._forget_state(request)
            message = "signin.denied" if exc.error == "access_denied" else "signin.failed"
            status = 403 if exc.error == "access_denied" else 400
            raise SignInFailed(message, status, f"provider: {exc.error}") from exc
        except JoseError as exc:
            raise SignInFailed("signin.failed", 400, f"ID token: {exc.error}") from exc
        except authlib_http.HTTPError as exc:
            raise SignInFailed("signin.provider_down", 503, f"token endpoint: {exc}") from exc
        identity = token.get("userinfo")
        if not identity:
            raise SignInFailed("signin.failed", 400, "the provider sent no ID token")
        return await self._person(token, subject=identity.get("sub"))

    async def refresh(self, refresh_token: str, *, subject: str) -> SignedIn | None:
        """The session's person with a new access token, or None (logged) when the provider
        will not renew it: refused, unreachable, or a token this console would not take."""
        try:
            token = await self.client.fetch_access_token(
                grant_type="refresh_token", refresh_token=refresh_token
            )
            return await self._person(token, subject=subject)
        except OAuthError as exc:
            reason = f"provider: {exc.error}"
        except authlib_http.HTTPError as exc:
            reason = f"token endpoint: {exc}"
        except SignInFailed as exc:
            reason = exc.reason
        # The reason names what failed, never a token.
        log.warning("session not renewed", subject=subject, reason=reason)
        return None

    async def end_session_url(self, request: Request, id_token: str) -> str | None:
        """Where the browser ends its session at the provider too (RP-Initiated Logout 1.0),
        or None (logged): no end_session_endpoint on the issuer's origin, or no discovery."""
        try:
            metadata = await self.client.load_server_metadata()
        except authlib_http.HTTPError as exc:
            log.warning("provider session not ended", reason=f"discovery: {exc}")
            return None
        endpoint = metadata.get("end_session_endpoint")
        if not isinstance(endpoint, str) or origin(endpoint) != origin(self.issuer):
            # The pages' form-action lets a sign-out go on to the issuer's origin only.
            log.warning("provider session not ended", reason="no end_session_endpoint there")
            return None
        params = {
            # In the address, as the specification has it: an ID token is no credential at
            # the gateway or anywhere else (its audience is this client), and it goes only to
            # the provider that issued it, over the provider's own TLS.
            "id_token_hint": id_token,
            "post_logout_redirect_uri": self.post_logout_redirect_url
            or str(request.url_for("home")),
            "client_id": self.client_id,
        }
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"

    async def _person(self, token: dict[str, Any], *, subject: str | None) -> SignedIn:
        try:
            principal = await self.verifier.verify(str(token.get("access_token", "")))
        except NotAuthenticated as exc:
            raise SignInFailed("signin.failed", 400, f"access token: {exc.message}") from exc
        if principal.subject != subject:
            raise SignInFailed("signin.failed", 400, "the two tokens name different people")
        role = next((r for r in ROLES if r in principal.roles), None)
        if role is None:
            raise SignInFailed("signin.no_role", 403, "no role this console serves")
        return SignedIn(
            token=principal.token,
            subject=principal.subject,
            role=role,
            expires_at=int(principal.claims["exp"]),
            refresh_token=token.get("refresh_token"),
            id_token=token.get("id_token"),
        )

    async def _forget_state(self, request: Request) -> None:
        # Authlib reads the provider's error before the state: drop that state too, so the
        # flow it belonged to cannot be finished later.
        state = request.query_params.get("state")
        if state:
            await self.client.framework.clear_state_data(request.session, state)
