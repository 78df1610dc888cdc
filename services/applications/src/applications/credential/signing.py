"""Signing the board's credentials as VC-JWT, and checking a presented one's signature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from applications.credential.keys import KeyFolder
from applications.credential.vc import JWT_CTY, JWT_TYP, Board

ALGORITHM = "EdDSA"
# The dates and the issuer are checked against the board's clock and keys, not PyJWT's.
_SIGNATURE_ONLY = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
}


class SignatureRefused(ValueError):
    """Why a presented JWT's signature is not the board's: ``check`` and ``reason``."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(reason)
        self.check, self.reason = check, reason


@dataclass(frozen=True)
class CredentialIssuer:
    """The board as it signs: its keys and its public identity."""

    keys: KeyFolder
    board: Board

    def sign(self, payload: dict[str, Any]) -> str:
        """``payload`` as a compact VC-JWT, signed by the current key."""
        signer = self.keys.ring().signer
        headers = {"kid": signer.kid, "typ": JWT_TYP, "cty": JWT_CTY}
        return jwt.encode(payload, signer.private, algorithm=ALGORITHM, headers=headers)  # type: ignore[arg-type]

    def verified_payload(self, token: str) -> dict[str, Any]:
        """The claims of ``token`` if one of the board's keys signed it."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SignatureRefused("format", f"malformed: not a compact JWS ({exc})") from exc
        if header.get("alg") != ALGORITHM:
            raise SignatureRefused("format", f"malformed: the algorithm is not {ALGORITHM}")
        kid = header.get("kid")
        key = self.keys.ring().find(kid) if isinstance(kid, str) else None
        if key is None:
            raise SignatureRefused("key", "unknown key: no board key has this kid")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.public,
                algorithms=[ALGORITHM],
                options=_SIGNATURE_ONLY,  # type: ignore[arg-type]
            )
        except jwt.InvalidSignatureError as exc:
            raise SignatureRefused("signature", "bad signature") from exc
        except jwt.PyJWTError as exc:
            raise SignatureRefused("format", f"malformed: {exc}") from exc
        return claims
