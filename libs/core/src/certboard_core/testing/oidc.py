"""A small OpenID Connect provider for tests, served over real HTTP on a free port.

Discovery, a JWKS, an authorize endpoint that approves one configured person at once (PKCE
S256 required), a token endpoint for the one client, its secret, an unused code and the
matching ``code_verifier`` (or a refresh token), and an end_session_endpoint (both in
``oidc_sessions``). Its access tokens are the board's provider's: JWTs with ``roles`` and the
gateway's and services' audiences. ``mint`` makes one directly (the ``mint`` fixture's
signature), for tests that need no sign-in.

    with StandInProvider(client_secret=secret) as provider:
        provider.approve("alice", ["applicant"])
        ...  # provider.issuer, provider.jwks_url, provider.mint("staff", "sam")
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jwt
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from certboard_core.devissuer import ALL_AUDIENCES, KEY_ID
from certboard_core.testing.oidc_keys import SigningKey, signing_key
from certboard_core.testing.oidc_sessions import Sessions, end_session, refreshed, token_response

# A code not redeemed within this long is refused, as real providers do (RFC 6749 4.1.2).
CODE_LIFETIME_SECONDS = 60


@dataclass
class Approval:
    """Who the authorize endpoint signs in, and with what."""

    subject: str = "alice"
    roles: list[str] = field(default_factory=lambda: ["applicant"])
    claims: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Grant:
    redirect_uri: str
    challenge: str
    nonce: str | None
    approval: Approval
    issued: float


class StandInProvider:
    """One client (``client_id``/``client_secret``), one approved person at a time."""

    def __init__(
        self,
        *,
        client_id: str = "certboard-web",
        client_secret: str | None = None,
        signing_key_file: Path | None = None,
        algorithm: str = "EdDSA",
        audiences: tuple[str, ...] = ALL_AUDIENCES,
        token_ttl: timedelta = timedelta(minutes=15),
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(32)
        self.audiences = audiences
        self.token_ttl = token_ttl
        self._key, self.algorithm = signing_key(signing_key_file, algorithm)
        self.approval = Approval()
        # The error the authorize endpoint answers with instead of a code ("access_denied").
        self.refusal: str | None = None
        # Claims written over the next ID tokens' own (a wrong nonce or audience, to test).
        self.id_token_overrides: dict[str, Any] = {}
        # A key other than the published one to sign the next ID tokens with, to test.
        self.id_token_key: SigningKey | None = None
        # An empty set admits any redirect URI; else it must be one of these exactly.
        self.redirect_uris: set[str] = set()
        self.authorize_requests: list[dict[str, str]] = []
        # Refresh tokens given, and sign-outs asked for at the end_session_endpoint.
        self.sessions = Sessions()
        self._codes: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._serving: tuple[uvicorn.Server, threading.Thread] | None = None

    @property
    def issuer(self) -> str:
        if self._sock is None:
            raise RuntimeError("the stand-in provider is not running (use it as a context)")
        host, port = self._sock.getsockname()[:2]
        return f"http://{host}:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/jwks"

    def approve(self, subject: str, roles: list[str], **claims: Any) -> None:
        """Sign ``subject`` in with ``roles`` (and ``claims`` in the access token) from now on."""
        self.approval = Approval(subject=subject, roles=list(roles), claims=claims)
        self.refusal = None

    def public_key(self) -> Any:
        """The key its tokens verify with."""
        return self._key.public_key()

    def jwks(self) -> dict[str, Any]:
        """The public signing key as a JWKS document."""
        algorithm = jwt.get_algorithm_by_name(self.algorithm)
        jwk: dict[str, Any] = algorithm.to_jwk(self.public_key(), as_dict=True)
        jwk.update({"kid": KEY_ID, "use": "sig", "alg": self.algorithm})
        return {"keys": [jwk]}

    def mint(
        self,
        role: str,
        sub: str,
        *,
        audiences: tuple[str, ...] | None = None,
        ttl: timedelta | None = None,
        now: datetime | None = None,
        **claims: Any,
    ) -> str:
        """An access token from this issuer, as the token endpoint would give ``sub``."""
        issued = now or datetime.now(UTC)
        body = {
            **claims,
            "iss": self.issuer,
            "sub": sub,
            "aud": list(audiences or self.audiences),
            "iat": int(issued.timestamp()),
            "exp": int((issued + (ttl or self.token_ttl)).timestamp()),
            "jti": uuid.uuid4().hex,
            "roles": claims.get("roles", [role]),
        }
        return self._sign(body)

    def __enter__(self) -> StandInProvider:
        # Bound and listening before the thread starts: a client connecting at once waits in
        # the backlog until the server accepts, so nobody polls for readiness.
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        self._sock = sock
        config = uvicorn.Config(self.app(), log_level="warning", access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        self._serving = (server, thread)
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._serving is not None
        server, thread = self._serving
        server.should_exit = True
        thread.join(timeout=10)
        assert self._sock is not None
        self._sock.close()

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
                Route("/logout", partial(end_session, provider=self), methods=["GET", "POST"]),
            ]
        )

    async def _discovery(self, _request: Request) -> JSONResponse:
        issuer = self.issuer
        return JSONResponse(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
                "end_session_endpoint": f"{issuer}/logout",
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": [self.algorithm],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "scopes_supported": ["openid", "profile"],
            }
        )

    async def _jwks(self, _request: Request) -> JSONResponse:
        return JSONResponse(self.jwks())

    async def _authorize(self, request: Request) -> Response:
        query = dict(request.query_params)
        self.authorize_requests.append(query)
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or (
            self.redirect_uris and redirect_uri not in self.redirect_uris
        ):
            # Never redirect to an unregistered address: answer here (OIDC core 3.1.2.6).
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        state = query.get("state", "")
        if self.refusal is not None:
            return _back(redirect_uri, error=self.refusal, state=state)
        if (
            query.get("response_type") != "code"
            or "openid" not in query.get("scope", "").split()
            or query.get("code_challenge_method") != "S256"
            or not query.get("code_challenge")
        ):
            return _back(redirect_uri, error="invalid_request", state=state)
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Grant(
                redirect_uri=redirect_uri,
                challenge=query["code_challenge"],
                nonce=query.get("nonce"),
                approval=self.approval,
                issued=time.monotonic(),
            )
        return _back(redirect_uri, code=code, state=state)

    async def _token(self, request: Request) -> JSONResponse:
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        if not self._client_authenticated(request, form):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        if form.get("grant_type") == "refresh_token":
            return refreshed(form.get("refresh_token", ""), self)
        if form.get("grant_type") != "authorization_code":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        with self._lock:
            # Popped before any check: a code is good for one attempt, right or wrong.
            grant = self._codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        if (
            grant is None
            or time.monotonic() - grant.issued > CODE_LIFETIME_SECONDS
            or form.get("redirect_uri") != grant.redirect_uri
            or not hmac.compare_digest(_s256(verifier), grant.challenge)
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        person = grant.approval
        now, ttl = int(time.time()), int(self.token_ttl.total_seconds())
        id_claims = {
            "iss": self.issuer,
            "sub": person.subject,
            "aud": self.client_id,
            "iat": now,
            "exp": now + ttl,
            **({"nonce": grant.nonce} if grant.nonce is not None else {}),
            **self.id_token_overrides,
        }
        return token_response(self, person, id_token=self._sign(id_claims, self.id_token_key))

    def _client_authenticated(self, request: Request, form: dict[str, str]) -> bool:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "basic":
            client_id, _, secret = base64.b64decode(encoded).decode().partition(":")
        return client_id == self.client_id and hmac.compare_digest(
            (secret or "").encode(), self.client_secret.encode()
        )

    def _sign(self, claims: dict[str, Any], key: SigningKey | None = None) -> str:
        return jwt.encode(
            claims, key or self._key, algorithm=self.algorithm, headers={"kid": KEY_ID}
        )


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _back(redirect_uri: str, **params: str) -> RedirectResponse:
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(params)}", status_code=302)
