"""The board's credential signing keys: Ed25519, in a folder, the newest signing.

Apart from the development token issuer (``certboard_core.devissuer``) on purpose: a token
key is the identity provider's, short-lived and replaceable at will; this one signs what the
board vouches for, for as long as credentials live. Rotation adds a key: the last private key
by file name signs, every key in the folder still verifies (a retired key may be kept as its
public half alone, ``*.pub.pem``).
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PRIVATE_SUFFIX = ".pem"
PUBLIC_SUFFIX = ".pub.pem"
GENERATED = re.compile(r"^key-(\d{4,})\.pem$")


class NoSigningKey(RuntimeError):
    """The key folder holds no private key to sign with."""


@dataclass(frozen=True)
class BoardKey:
    kid: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None

    def jwk(self) -> dict[str, str]:
        """The public key as a JWK, with its id and use."""
        return {**_public_members(self.public), "kid": self.kid, "use": "sig", "alg": "EdDSA"}


@dataclass(frozen=True)
class KeyRing:
    """The keys, oldest first; the signer is the newest with its private half."""

    keys: tuple[BoardKey, ...]

    @property
    def signer(self) -> BoardKey:
        for key in reversed(self.keys):
            if key.private is not None:
                return key
        raise NoSigningKey("no private credential key to sign with")

    def find(self, kid: str) -> BoardKey | None:
        """The key under ``kid``, if the board has it."""
        return next((key for key in self.keys if key.kid == kid), None)

    def jwks(self) -> dict[str, Any]:
        """Every key as a JWKS document, the signer last."""
        return {"keys": [key.jwk() for key in self.keys]}


def _public_members(public: Ed25519PublicKey) -> dict[str, str]:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return {"crv": "Ed25519", "kty": "OKP", "x": x}


def thumbprint(public: Ed25519PublicKey) -> str:
    """The key's RFC 7638 thumbprint: SHA-256 of its required members, sorted, no spaces."""
    canonical = json.dumps(_public_members(public), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def ensure_key(folder: Path) -> None:
    """Make the first key once if the folder has none (first run)."""
    if _key_files(folder):
        return
    folder.mkdir(parents=True, exist_ok=True)
    # Every process of a first run may get here at once: one makes the key, the others wait
    # and then find it (the development issuer's lock, for the same reason).
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _key_files(folder):
            _write_key(folder / "key-0001.pem")


def add_key(folder: Path) -> Path:
    """Rotate: write a new key that sorts after every generated one, so it signs from now."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        numbers = [int(m.group(1)) for p in folder.iterdir() if (m := GENERATED.match(p.name))]
        path = folder / f"key-{max(numbers, default=0) + 1:04d}.pem"
        _write_key(path)
    return path


def _write_key(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Owner-only and atomic, so no reader ever sees half a key.
    tmp = path.with_name(f".{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    os.replace(tmp, path)


def _key_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(PRIVATE_SUFFIX))


def load_keyring(folder: Path) -> KeyRing:
    """Every key in the folder, in file-name order."""
    keys = [_load(path) for path in _key_files(folder)]
    if not keys:
        raise NoSigningKey(f"no credential keys in {folder}")
    return KeyRing(tuple(keys))


class KeyFolder:
    """The key folder as read last, read again when a file comes or goes (a rotation takes
    effect without a restart)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._seen: int | None = None
        self._ring: KeyRing | None = None

    def ring(self) -> KeyRing:
        """The keys as the folder holds them now."""
        # Adding, renaming or removing a file changes the folder's mtime: one stat per use.
        seen = self.folder.stat().st_mtime_ns
        if self._ring is None or seen != self._seen:
            self._ring, self._seen = load_keyring(self.folder), seen
        return self._ring


def _load(path: Path) -> BoardKey:
    data = path.read_bytes()
    private: Ed25519PrivateKey | None = None
    if path.name.endswith(PUBLIC_SUFFIX):
        public = serialization.load_pem_public_key(data)
    else:
        loaded = serialization.load_pem_private_key(data, password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{path.name}: credential keys are Ed25519")
        private, public = loaded, loaded.public_key()
    if not isinstance(public, Ed25519PublicKey):
        raise ValueError(f"{path.name}: credential keys are Ed25519")
    return BoardKey(thumbprint(public), public, private)
