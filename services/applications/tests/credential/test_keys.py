"""The board's credential keys: made once, owner-only, named by their RFC 7638 thumbprint,
rotated by adding one (the newest signs, every one verifies)."""

from __future__ import annotations

import stat
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from joserfc.jwk import OKPKey

from applications.credential.keys import (
    KeyFolder,
    NoSigningKey,
    add_key,
    ensure_key,
    load_keyring,
    thumbprint,
)


def test_the_first_key_is_made_once_and_owner_only(tmp_path: Path) -> None:
    ensure_key(tmp_path)
    ensure_key(tmp_path)
    [key_file] = [p for p in tmp_path.iterdir() if p.suffix == ".pem"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(load_keyring(tmp_path).keys) == 1


def test_the_kid_is_the_rfc_7638_thumbprint(tmp_path: Path) -> None:
    ensure_key(tmp_path)
    key = load_keyring(tmp_path).signer
    independent = OKPKey.import_key(key.jwk()).thumbprint()
    assert key.kid == thumbprint(key.public) == independent


def test_rotation_adds_a_signer_and_keeps_the_old_key(tmp_path: Path) -> None:
    ensure_key(tmp_path)
    before = load_keyring(tmp_path).signer
    add_key(tmp_path)
    ring = load_keyring(tmp_path)
    assert ring.keys[0].kid == before.kid
    assert ring.signer.kid != before.kid
    assert [k["kid"] for k in ring.jwks()["keys"]] == [before.kid, ring.signer.kid]
    assert "d" not in ring.jwks()["keys"][0]  # never the private half


def test_a_retired_public_key_verifies_but_never_signs(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    ensure_key(folder)
    ring = load_keyring(folder)
    token = jwt.encode({"a": 1}, ring.signer.private, algorithm="EdDSA")  # type: ignore[arg-type]
    retired = tmp_path / "retired"
    retired.mkdir()
    public = ring.signer.public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    (retired / "key-0001.pub.pem").write_bytes(public)
    only_public = load_keyring(retired)
    key = only_public.find(ring.signer.kid)
    assert key is not None
    assert jwt.decode(token, key.public, algorithms=["EdDSA"]) == {"a": 1}
    with pytest.raises(NoSigningKey):
        _ = only_public.signer


def test_the_folder_is_read_again_after_a_rotation(tmp_path: Path) -> None:
    ensure_key(tmp_path)
    folder = KeyFolder(tmp_path)
    first = folder.ring().signer.kid
    assert folder.ring() is folder.ring()  # unchanged: not read again
    add_key(tmp_path)
    assert folder.ring().signer.kid != first


def test_an_empty_folder_has_no_keys(tmp_path: Path) -> None:
    with pytest.raises(NoSigningKey):
        load_keyring(tmp_path)
