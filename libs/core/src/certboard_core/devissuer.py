"""The development issuer: a local Ed25519 key made on first use, and tokens minted with it.

It exists so that everything runs without an external identity provider; production reads
the board's provider through its JWKS and never has this key.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certboard_core.roles import Role

DEV_ISSUER = "certboard-dev-issuer"
ALL_AUDIENCES = (
    "certboard-gateway",
    "certboard-applications",
    "certboard-exams",
    "certboard-supervision",
)
KEY_ID = "certboard-dev-1"


def key_paths(data_dir: Path) -> tuple[Path, Path]:
    folder = data_dir / "dev-issuer"
    return folder / "private.pem", folder / "public.pem"


def ensure_dev_key(data_dir: Path) -> Path:
    """Create the development key pair once; return the private key's path."""
    private_path, public_path = key_paths(data_dir)
    if private_path.exists() and public_path.exists():
        return private_path
    private_path.parent.mkdir(parents=True, exist_ok=True)
    # Every process of a first run (and a test minting beside them) may get here at once: one
    # makes the pair while the others wait, then find it. Without the lock two makers could
    # leave one's public key beside the other's private key.
    with open(private_path.parent / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (private_path.exists() and public_path.exists()):
            _write_pair(private_path, public_path)
    return private_path


def _write_pair(private_path: Path, public_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Written owner-only and atomically, so a reader never sees half a key.
    tmp = private_path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    public_tmp = public_path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    public_tmp.write_bytes(public_pem)
    os.replace(public_tmp, public_path)
    os.replace(tmp, private_path)


def mint_token(
    private_key_file: Path,
    *,
    subject: str,
    roles: list[Role],
    audiences: tuple[str, ...] = ALL_AUDIENCES,
    ttl: timedelta = timedelta(hours=8),
    issuer: str = DEV_ISSUER,
    extra_claims: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> str:
    """Sign a token for ``subject`` with the development key."""
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        **(extra_claims or {}),
        "iss": issuer,
        "sub": subject,
        "aud": list(audiences),
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
        "roles": [r.value for r in roles],
    }
    key = serialization.load_pem_private_key(private_key_file.read_bytes(), password=None)
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": KEY_ID})  # type: ignore[arg-type]


def public_jwks(data_dir: Path) -> dict[str, Any]:
    """The development key as a JWKS document (what an OIDC provider would publish)."""
    _, public_path = key_paths(data_dir)
    public_key = serialization.load_pem_public_key(public_path.read_bytes())
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(public_key))  # type: ignore[arg-type]
    jwk.update({"kid": KEY_ID, "use": "sig", "alg": "EdDSA"})
    return {"keys": [jwk]}
