"""Token verification: every way a token can be wrong gets a 401 that says which; roles give 403."""

from __future__ import annotations

import hashlib
import hmac
import json
import multiprocessing
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, FastAPI

from certboard_core.auth import Principal, Role, TokenVerifier, require_roles
from certboard_core.devissuer import (
    DEV_ISSUER,
    ensure_dev_key,
    key_paths,
    mint_token,
    public_jwks,
)
from certboard_core.errors import NotAuthenticated, install_error_handlers

AUD = "certboard-applications"


@pytest.fixture
def verifier(dev_data_dir: Path) -> TokenVerifier:
    return TokenVerifier(
        issuer=DEV_ISSUER,
        audience=AUD,
        algorithm="EdDSA",
        public_key_file=key_paths(dev_data_dir)[1],
    )


def _claims(**overrides: object) -> dict[str, object]:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": DEV_ISSUER,
        "aud": [AUD],
        "sub": "alice",
        "iat": int(now.timestamp()),
        # The parameters are made when the module is collected, which may be many minutes
        # before a slow run gets to them: a day keeps only the claim under test wrong.
        "exp": int((now + timedelta(days=1)).timestamp()),
        "roles": ["applicant"],
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(dev_data_dir: Path, claims: dict[str, object], **headers: object) -> str:
    key = serialization.load_pem_private_key(
        ensure_dev_key(dev_data_dir).read_bytes(), password=None
    )
    return jwt.encode(claims, key, algorithm="EdDSA", headers=headers or None)  # type: ignore[arg-type]


async def test_valid_token_gives_the_principal(verifier: TokenVerifier, mint) -> None:
    principal = await verifier.verify(mint("provider", "p-1", provider_id="prov-9"))
    assert principal.subject == "p-1"
    assert principal.roles == frozenset({Role.PROVIDER})
    assert principal.provider_id == "prov-9"
    assert principal.actor == "provider:p-1"


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        (_claims(exp=int((datetime.now(UTC) - timedelta(minutes=5)).timestamp())), "expired"),
        (_claims(aud=["certboard-gateway"]), "not meant for certboard-applications"),
        (_claims(iss="https://evil.example"), "not issued by"),
        (_claims(sub=None), "'sub'"),
        (_claims(iat=None), "'iat'"),
        (_claims(exp=None), "'exp'"),
        (_claims(aud=None), "'aud'"),
        (_claims(roles=["wizard"]), "no known role"),
    ],
)
async def test_bad_claims_are_refused_with_the_reason(
    verifier: TokenVerifier, dev_data_dir: Path, claims: dict[str, object], message: str
) -> None:
    with pytest.raises(NotAuthenticated, match=message):
        await verifier.verify(_sign(dev_data_dir, claims))


async def test_tampered_token_is_refused(verifier: TokenVerifier, mint) -> None:
    header, _payload, signature = mint("applicant", "alice").split(".")
    forged_payload = jwt.utils.base64url_encode(
        json.dumps(_claims(sub="mallory")).encode()
    ).decode()
    with pytest.raises(NotAuthenticated, match="signature"):
        await verifier.verify(f"{header}.{forged_payload}.{signature}")


async def test_token_signed_by_another_key_is_refused_whatever_its_header_says(
    verifier: TokenVerifier,
) -> None:
    other = Ed25519PrivateKey.generate()
    # An embedded key must never be trusted: only the configured key verifies.
    embedded = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(other.public_key()))
    token = jwt.encode(
        _claims(), other, algorithm="EdDSA", headers={"jwk": embedded, "jku": "https://evil"}
    )
    with pytest.raises(NotAuthenticated, match="signature"):
        await verifier.verify(token)


async def test_other_algorithms_are_refused(verifier: TokenVerifier, dev_data_dir: Path) -> None:
    unsigned = jwt.encode(_claims(), key=None, algorithm="none")
    with pytest.raises(NotAuthenticated):
        await verifier.verify(unsigned)
    # The classic confusion: an HMAC token keyed with the public key's bytes.
    public_pem = key_paths(dev_data_dir)[1].read_bytes()
    signing_input = b".".join(
        jwt.utils.base64url_encode(json.dumps(part).encode())
        for part in ({"alg": "HS256", "typ": "JWT"}, _claims())
    )
    mac = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    forged = (signing_input + b"." + jwt.utils.base64url_encode(mac)).decode()
    with pytest.raises(NotAuthenticated):
        await verifier.verify(forged)


def test_a_verifier_needs_exactly_one_key_source() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        TokenVerifier(issuer="i", audience="a", algorithm="EdDSA")
    with pytest.raises(ValueError, match="exactly one"):
        TokenVerifier(
            issuer="i",
            audience="a",
            algorithm="EdDSA",
            jwks_url="http://127.0.0.1:1/jwks",
            public_key_file=Path("k.pem"),
        )


@pytest.fixture
def jwks_server(dev_data_dir: Path) -> Iterator[str]:
    body = json.dumps(public_jwks(dev_data_dir)).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


async def test_keys_from_a_jwks_url(jwks_server: str, mint) -> None:
    verifier = TokenVerifier(
        issuer=DEV_ISSUER, audience=AUD, algorithm="EdDSA", jwks_url=jwks_server
    )
    assert (await verifier.verify(mint("staff", "sam"))).subject == "sam"
    stranger = jwt.encode(
        _claims(), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "other"}
    )
    with pytest.raises(NotAuthenticated):
        await verifier.verify(stranger)


@pytest.fixture
async def guarded(verifier: TokenVerifier) -> httpx.AsyncClient:
    app = FastAPI()
    app.state.verifier = verifier
    install_error_handlers(app)

    @app.get("/staff-only")
    async def staff_only(p: Principal = Depends(require_roles(Role.STAFF))) -> dict[str, str]:
        return {"sub": p.subject}

    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_http_statuses_and_messages(guarded: httpx.AsyncClient, mint, dev_data_dir) -> None:
    missing = await guarded.get("/staff-only")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert missing.json()["error"]["message"] == "an Authorization: Bearer token is required"

    basic = await guarded.get("/staff-only", headers={"Authorization": "Basic abc"})
    assert basic.status_code == 401
    assert "Bearer <token>" in basic.json()["error"]["message"]

    applicant = await guarded.get(
        "/staff-only", headers={"Authorization": f"Bearer {mint('applicant', 'alice')}"}
    )
    assert applicant.status_code == 403
    assert applicant.json()["error"] == {
        "code": "FORBIDDEN",
        "message": "this needs the role staff",
        "field": None,
        "request_id": None,
    }

    staff = await guarded.get(
        "/staff-only", headers={"Authorization": f"Bearer {mint('staff', 'sam')}"}
    )
    assert staff.json() == {"sub": "sam"}


def _make_key_at_once(barrier: Any, data_dir: Path) -> None:
    barrier.wait()
    ensure_dev_key(data_dir)


def test_processes_starting_together_make_one_key_pair(tmp_path: Path) -> None:
    # `make run` starts four processes that each make the key on a first run.
    context = multiprocessing.get_context("fork")
    for attempt in range(8):
        data_dir = tmp_path / str(attempt)
        barrier = context.Barrier(6)
        makers = [
            context.Process(target=_make_key_at_once, args=(barrier, data_dir)) for _ in range(6)
        ]
        for maker in makers:
            maker.start()
        for maker in makers:
            maker.join(timeout=60)
        assert [m.exitcode for m in makers] == [0] * 6
        private_path, public_path = key_paths(data_dir)
        private = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        derived = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert derived == public_path.read_bytes()


def test_dev_key_is_made_once_and_private(tmp_path: Path) -> None:
    first = ensure_dev_key(tmp_path)
    content = first.read_bytes()
    assert ensure_dev_key(tmp_path).read_bytes() == content
    assert first.stat().st_mode & 0o777 == 0o600
    token = mint_token(first, subject="x", roles=[Role.STAFF])
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
