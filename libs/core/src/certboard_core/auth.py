"""Who is calling: JWT verification in every process, and role checks as FastAPI dependencies."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jwt import PyJWKClient

from certboard_core.errors import Forbidden, NotAuthenticated
from certboard_core.roles import Role as Role  # re-exported: routes take it with the checks

REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
# Tokens verified lately, by their whole text (signature included): a client sends one token
# with every request for its lifetime, and checking its EdDSA signature was a third of a
# status read's own work. An entry serves until the token expires, and no longer than the
# JWKS client keeps a key, so a key withdrawn from the JWKS stops working as soon as before.
VERIFIED_TOKENS = 1024
VERIFIED_FOR_SECONDS = 300


@dataclass(frozen=True)
class Principal:
    """The verified caller; ``token`` is kept so a service can act on the caller's behalf."""

    subject: str
    roles: frozenset[Role]
    claims: dict[str, Any] = field(repr=False)
    token: str = field(repr=False)

    def has(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def actor(self) -> str:
        """How the audit trail names this caller."""
        if not self.roles:
            return ANONYMOUS_ACTOR
        return f"{'+'.join(sorted(self.roles))}:{self.subject}"

    @property
    def provider_id(self) -> str | None:
        value = self.claims.get("provider_id")
        return str(value) if value is not None else None


class TokenVerifier:
    """Verifies tokens against one pinned algorithm, issuer and this process's own audience.

    Keys come only from configuration (a JWKS URL or a local public key file), never from
    anything the token itself says about where its key lives.
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        algorithm: str,
        jwks_url: str | None = None,
        public_key_file: Path | None = None,
        leeway_seconds: int = 30,
    ) -> None:
        if (jwks_url is None) == (public_key_file is None):
            raise ValueError("configure exactly one of a JWKS URL or a public key file")
        self.issuer = issuer
        self.audience = audience
        self.algorithm = algorithm
        self.leeway = leeway_seconds
        self._jwks = PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if jwks_url else None
        self._key_file = public_key_file
        self._file_key: Any = None
        # Token -> (the caller, the real time until which the verification holds).
        self._verified: dict[str, tuple[Principal, float]] = {}

    async def _key_for(self, token: str) -> Any:
        if self._jwks is not None:
            # PyJWKClient fetches with urllib; keep that off the event loop.
            signing_key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
            return signing_key.key
        if self._file_key is None:
            assert self._key_file is not None
            try:
                pem = self._key_file.read_bytes()
            except FileNotFoundError as exc:
                raise NotAuthenticated(
                    "this service has no verification key yet (run `certboard token` once to "
                    "create the development issuer's key)"
                ) from exc
            # Loaded once: given the PEM bytes, PyJWT would parse the key on every request.
            self._file_key = jwt.get_algorithm_by_name(self.algorithm).prepare_key(pem)
        return self._file_key

    async def verify(self, token: str) -> Principal:
        """Return the caller for a valid token; raise NotAuthenticated saying what is wrong."""
        now = time.time()
        known = self._verified.get(token)
        if known is not None and now <= known[1]:
            return known[0]
        principal = await self._verify(token)
        self._verified.pop(token, None)
        if len(self._verified) >= VERIFIED_TOKENS:
            # The oldest entry goes first (dicts keep insertion order).
            del self._verified[next(iter(self._verified))]
        until = min(float(principal.claims["exp"]) + self.leeway, now + VERIFIED_FOR_SECONDS)
        self._verified[token] = (principal, until)
        return principal

    async def _verify(self, token: str) -> Principal:
        try:
            key = await self._key_for(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise NotAuthenticated("the token has expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise NotAuthenticated(f"the token is not meant for {self.audience}") from exc
        except jwt.InvalidIssuerError as exc:
            raise NotAuthenticated(
                "the token was not issued by the board's identity provider"
            ) from exc
        except jwt.MissingRequiredClaimError as exc:
            raise NotAuthenticated(f"the token lacks the required claim {exc.claim!r}") from exc
        except jwt.InvalidSignatureError as exc:
            raise NotAuthenticated("the token's signature does not verify") from exc
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
            raise NotAuthenticated(f"the token is not valid: {exc}") from exc
        roles = _roles_of(claims)
        if not roles:
            raise NotAuthenticated("the token names no known role")
        return Principal(subject=str(claims["sub"]), roles=roles, claims=claims, token=token)


def _roles_of(claims: dict[str, Any]) -> frozenset[Role]:
    raw = claims.get("roles", [])
    if isinstance(raw, str):
        raw = [raw]
    known = {r.value for r in Role}
    return frozenset(Role(r) for r in raw if isinstance(r, str) and r in known)


def bearer_token(request: Request) -> str:
    header = request.headers.get("Authorization")
    if not header:
        raise NotAuthenticated("an Authorization: Bearer token is required")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("the Authorization header must be 'Bearer <token>'")
    return token.strip()


# Declares in OpenAPI the bearer JWT and, on every operation that depends on the caller, that it
# needs one; the header is still read (and refused with our own codes) by ``bearer_token``.
BEARER = HTTPBearer(auto_error=False, scheme_name="bearer", bearerFormat="JWT")


async def current_principal(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)],
) -> Principal:
    """The verified caller of this request."""
    verifier: TokenVerifier = request.app.state.verifier
    return await verifier.verify(bearer_token(request))


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]

ANONYMOUS_ACTOR = "anonymous"
# The caller of a public route who sent no token: no roles, so no role check admits them.
ANONYMOUS = Principal(subject=ANONYMOUS_ACTOR, roles=frozenset(), claims={}, token="")


async def optional_principal(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)],
) -> Principal:
    """The verified caller if a token was sent (a bad one is refused), else ``ANONYMOUS``."""
    if request.headers.get("Authorization") is None:
        return ANONYMOUS
    verifier: TokenVerifier = request.app.state.verifier
    return await verifier.verify(bearer_token(request))


OptionalPrincipal = Annotated[Principal, Depends(optional_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits only callers holding one of ``roles``."""
    allowed = ", ".join(r.value for r in roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.has(*roles):
            raise Forbidden(f"this needs the role {allowed}")
        return principal

    return dependency


ServicePrincipal = Annotated[Principal, Depends(require_roles(Role.SERVICE))]
StaffPrincipal = Annotated[Principal, Depends(require_roles(Role.STAFF))]
