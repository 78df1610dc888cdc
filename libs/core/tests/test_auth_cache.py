"""A verified token is remembered until it expires (or for the JWKS client's key lifetime),
keyed by its whole text: the signature is checked once per token, not once per request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from certboard_core import auth
from certboard_core.auth import VERIFIED_FOR_SECONDS, VERIFIED_TOKENS, TokenVerifier
from certboard_core.devissuer import DEV_ISSUER, ensure_dev_key, key_paths
from certboard_core.errors import NotAuthenticated

AUD = "certboard-applications"
LEEWAY = 30


class Clock:
    """Stands in for ``time.time`` in the verifier's module (PyJWT keeps its own clock)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    found = Clock()
    monkeypatch.setattr(auth.time, "time", found)
    return found


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token PyJWT was asked to check."""
    checked: list[str] = []
    decode = jwt.decode

    def counted(token: str, *args: object, **kwargs: object) -> object:
        checked.append(token)
        return decode(token, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(auth.jwt, "decode", counted)
    return checked


@pytest.fixture
def verifier(dev_data_dir: Path) -> TokenVerifier:
    return TokenVerifier(
        issuer=DEV_ISSUER,
        audience=AUD,
        algorithm="EdDSA",
        public_key_file=key_paths(dev_data_dir)[1],
        leeway_seconds=LEEWAY,
    )


def _token(dev_data_dir: Path, sub: str, lifetime: timedelta) -> str:
    key = serialization.load_pem_private_key(
        ensure_dev_key(dev_data_dir).read_bytes(), password=None
    )
    now = datetime.now(UTC)
    claims = {
        "iss": DEV_ISSUER,
        "aud": [AUD],
        "sub": sub,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "roles": ["applicant"],
    }
    return jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]


async def test_a_token_is_checked_once_while_it_holds(
    verifier: TokenVerifier, dev_data_dir: Path, clock: Clock, decodes: list[str]
) -> None:
    token = _token(dev_data_dir, "alice", timedelta(hours=1))
    first = await verifier.verify(token)
    assert (await verifier.verify(token)) is first
    assert decodes == [token]
    # Past the JWKS client's key lifetime it is checked again (a withdrawn key stops there).
    clock.now += VERIFIED_FOR_SECONDS + 1
    assert (await verifier.verify(token)).subject == "alice"
    assert decodes == [token, token]


async def test_a_remembered_token_still_expires(
    verifier: TokenVerifier, dev_data_dir: Path, clock: Clock, decodes: list[str]
) -> None:
    token = _token(dev_data_dir, "alice", timedelta(seconds=60))
    await verifier.verify(token)
    clock.now += 60 + LEEWAY - 1
    await verifier.verify(token)
    assert len(decodes) == 1
    # Past exp and the leeway the signature is checked again, and PyJWT's own clock decides:
    # this test moved only ours, so the token still verifies there, and is checked anew.
    clock.now += 2
    await verifier.verify(token)
    assert len(decodes) == 2


async def test_an_expired_token_is_refused_even_when_remembered(
    verifier: TokenVerifier, dev_data_dir: Path
) -> None:
    token = _token(dev_data_dir, "alice", timedelta(seconds=-(LEEWAY + 5)))
    with pytest.raises(NotAuthenticated, match="expired"):
        await verifier.verify(token)
    # Nothing refused is remembered.
    with pytest.raises(NotAuthenticated, match="expired"):
        await verifier.verify(token)


async def test_another_signature_is_another_token(
    verifier: TokenVerifier, dev_data_dir: Path
) -> None:
    token = _token(dev_data_dir, "alice", timedelta(hours=1))
    await verifier.verify(token)
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    with pytest.raises(NotAuthenticated):
        await verifier.verify(forged)


async def test_the_memory_is_bounded(
    verifier: TokenVerifier, dev_data_dir: Path, decodes: list[str]
) -> None:
    first = _token(dev_data_dir, "caller-0", timedelta(hours=1))
    await verifier.verify(first)
    for n in range(1, VERIFIED_TOKENS + 1):
        await verifier.verify(_token(dev_data_dir, f"caller-{n}", timedelta(hours=1)))
    # The oldest made room for the newest: it is checked again.
    await verifier.verify(first)
    assert decodes.count(first) == 2
