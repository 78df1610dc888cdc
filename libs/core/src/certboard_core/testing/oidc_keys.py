"""The stand-in OpenID provider's signing key (``certboard_core.testing.oidc``)."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, generate_private_key

SigningKey = Ed25519PrivateKey | RSAPrivateKey


def signing_key(path: Path | None, algorithm: str) -> tuple[SigningKey, str]:
    """The key from ``path`` (its type decides the algorithm), else a new one for ``algorithm``."""
    if path is not None:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(key, Ed25519PrivateKey):
            return key, "EdDSA"
        if isinstance(key, RSAPrivateKey):
            return key, "RS256"
        raise ValueError(f"{path} holds neither an Ed25519 nor an RSA key")
    if algorithm == "RS256":
        return generate_private_key(public_exponent=65537, key_size=2048), algorithm
    if algorithm == "EdDSA":
        return Ed25519PrivateKey.generate(), algorithm
    raise ValueError("the stand-in signs with EdDSA or RS256")
