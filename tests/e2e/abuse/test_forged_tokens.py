"""Forged tokens on every process, over HTTP: 401 UNAUTHENTICATED, saying why, and no change.

Each forgery claims the staff role, which may move every process's test clock; the clocks
are still where the test set them afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certboard_core.devissuer import ALL_AUDIENCES, DEV_ISSUER, ensure_dev_key, key_paths
from certboard_core.testing.plugin import T0, bearer

from .conftest import Board

PROCESSES = ("gateway", "applications", "exams", "supervision")
MOVE_CLOCK = "mutation { moveTestClock(input: {advanceSeconds: 3600}) { now } }"


def _claims(**overrides: object) -> dict[str, object]:
    # Issued now, by the real clock, because that is the clock tokens are checked against.
    issued = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": DEV_ISSUER,
        "aud": list(ALL_AUDIENCES),
        "sub": "mallory",
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(minutes=5)).timestamp()),
        "roles": ["staff"],
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def _dev_signed(data_dir: Path, claims: dict[str, object]) -> str:
    key = serialization.load_pem_private_key(ensure_dev_key(data_dir).read_bytes(), None)
    return jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]


def _foreign(headers: dict[str, Any] | None = None) -> str:
    return jwt.encode(_claims(), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers=headers)


def _hs256_with_public_key(data_dir: Path) -> str:
    # The classic confusion: an HMAC keyed with the verifier's public key.
    signing_input = b".".join(
        jwt.utils.base64url_encode(json.dumps(part).encode())
        for part in ({"alg": "HS256", "typ": "JWT"}, _claims())
    )
    mac = hmac.new(key_paths(data_dir)[1].read_bytes(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + jwt.utils.base64url_encode(mac)).decode()


def _embedded_jwk() -> str:
    key = Ed25519PrivateKey.generate()
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
    return jwt.encode(_claims(), key, algorithm="EdDSA", headers={"jwk": jwk})


def _tampered(data_dir: Path) -> str:
    header, _payload, signature = _dev_signed(data_dir, _claims(roles=["applicant"])).split(".")
    payload = jwt.utils.base64url_encode(json.dumps(_claims()).encode()).decode()
    return f"{header}.{payload}.{signature}"


@dataclass(frozen=True)
class Forgery:
    name: str
    make: Callable[[Path, str], str]
    # What the refusal says, for the process whose audience is the second argument.
    reason: Callable[[str], str]


FORGERIES = [
    Forgery("none", lambda d, a: jwt.encode(_claims(), None, "none"), lambda a: "not valid"),
    Forgery("hs256", lambda d, a: _hs256_with_public_key(d), lambda a: "not valid"),
    Forgery(
        "expired",
        lambda d, a: _dev_signed(
            d,
            _claims(iat=1_577_836_800, exp=1_577_840_400),  # 2020-01-01, one hour
        ),
        lambda a: "expired",
    ),
    Forgery("no sub", lambda d, a: _dev_signed(d, _claims(sub=None)), lambda a: "'sub'"),
    Forgery("no exp", lambda d, a: _dev_signed(d, _claims(exp=None)), lambda a: "'exp'"),
    Forgery("no aud", lambda d, a: _dev_signed(d, _claims(aud=None)), lambda a: "'aud'"),
    Forgery(
        "no roles", lambda d, a: _dev_signed(d, _claims(roles=None)), lambda a: "no known role"
    ),
    Forgery(
        "other audiences",
        lambda d, a: _dev_signed(d, _claims(aud=[x for x in ALL_AUDIENCES if x != a])),
        lambda a: f"not meant for {a}",
    ),
    Forgery(
        "other issuer",
        lambda d, a: _dev_signed(d, _claims(iss="https://idp.evil.example")),
        lambda a: "not issued by",
    ),
    Forgery("foreign key", lambda d, a: _foreign(), lambda a: "signature does not verify"),
    Forgery("jwk header", lambda d, a: _embedded_jwk(), lambda a: "signature does not verify"),
    Forgery(
        "jku header",
        lambda d, a: _foreign({"jku": "https://evil.example/jwks.json"}),
        lambda a: "signature does not verify",
    ),
    Forgery(
        "kid header",
        lambda d, a: _foreign({"kid": "../../../../dev/null"}),
        lambda a: "signature does not verify",
    ),
    Forgery("tampered", lambda d, a: _tampered(d), lambda a: "signature does not verify"),
    Forgery("garbage", lambda d, a: "not.a.token", lambda a: "not valid"),
]


async def _attempts(board: Board, process: str, token: str) -> list[tuple[httpx.Response, Any]]:
    """Every way this process can be asked to move its clock, each with its error."""
    headers = bearer(token)
    if process != "gateway":
        response = await board.services[process].put(
            "/internal/test-clock", json={"advance_seconds": 3600}, headers=headers
        )
        return [(response, response.json()["error"])]
    rest = await board.gateway.put("/test-clock", json={"advance_seconds": 3600}, headers=headers)
    graphql = await board.gql(MOVE_CLOCK, token=token)
    body = graphql.json()
    assert body["data"] is None
    [error] = body["errors"]
    return [
        (rest, rest.json()["error"]),
        (graphql, {**error["extensions"], "message": error["message"]}),
    ]


@pytest.mark.parametrize("process", PROCESSES)
async def test_forged_tokens_are_refused_and_change_nothing(
    board: Board, dev_data_dir: Path, process: str
) -> None:
    audience = f"certboard-{process}"
    for forgery in FORGERIES:
        token = forgery.make(dev_data_dir, audience)
        for response, error in await _attempts(board, process, token):
            assert response.status_code == 401, (forgery.name, error)
            assert response.headers["WWW-Authenticate"] == "Bearer"
            assert error["code"] == "UNAUTHENTICATED", (forgery.name, error)
            assert forgery.reason(audience) in error["message"], (forgery.name, error)
    assert {name: clock.now() for name, clock in board.clocks.items()} == {
        name: T0 for name in board.clocks
    }


async def test_a_real_staff_token_moves_the_clocks(board: Board, mint) -> None:
    # The same request with a genuine token succeeds, so the refusals above are the tokens'.
    moved = await board.gateway.put(
        "/test-clock", json={"advance_seconds": 3600}, headers=bearer(mint("staff", "s"))
    )
    assert moved.status_code == 200, moved.text
    assert {clock.now() for clock in board.clocks.values()} == {T0 + timedelta(hours=1)}
