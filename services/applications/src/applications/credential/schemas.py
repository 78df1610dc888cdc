"""What the credential routes take and answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

# A presented credential is a few kilobytes; anything far larger is not one of ours.
MAX_PRESENTED = 16_384


class VcJwtResponse(Response):
    """A compact VC-JWT, as VC-JOSE-COSE names its media type."""

    media_type = "application/vc+jwt"


class Jwk(BaseModel):
    model_config = ConfigDict(extra="allow")

    kty: str
    crv: str
    x: str
    kid: str = Field(description="the key's RFC 7638 thumbprint")
    use: str
    alg: str


class Jwks(BaseModel):
    """The board's credential keys: the current signer last, older ones still verifying."""

    keys: list[Jwk]


class SignedCredential(BaseModel):
    """A certification's credential: the compact VC-JWT and, for reading, its claims."""

    credential: str = Field(description="the compact VC-JWT (header typ vc+jwt) to present")
    payload: dict[str, Any] = Field(description="the signed claims: the Open Badges credential")


class Presentation(BaseModel):
    """A credential someone presents to be checked."""

    model_config = ConfigDict(extra="forbid")

    credential: str = Field(max_length=MAX_PRESENTED, description="a compact VC-JWT")


class Check(BaseModel):
    check: str = Field(
        description="format, key, signature, valid_from, valid_until, revocation or suspension"
    )
    ok: bool
    reason: str | None = Field(default=None, description="why it failed")


class CredentialVerification(BaseModel):
    """Whether the board vouches for a presented credential now, check by check."""

    verified: bool
    checks: list[Check]
