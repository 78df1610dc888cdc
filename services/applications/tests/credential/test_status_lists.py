"""The published status lists: signed, cacheable, 131,072 bits with exactly the set ones; and
verification that answers any input without an error."""

from __future__ import annotations

import base64
import json

import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from applications.credential.bitstring import decode, set_indexes
from applications.credential.models import StatusPurpose
from certboard_core.ratelimit import LimitClass
from certboard_core.testing.ratelimit import limit_with_manual_clock

from .conftest import certified, credential_of, set_bit

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:UserWarning")
LIMITS = {
    LimitClass.PUBLIC: "3/minute",
    LimitClass.UNAUTHENTICATED: "100/minute",
    LimitClass.UPLOADS: "100/minute",
}


async def _list_bits(client, purpose: str) -> tuple[dict, bytes]:
    answer = await client.get(f"/v1/status-lists/{purpose}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/vc+jwt"
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    keys = KeySet.import_key_set((await client.get("/.well-known/credential-jwks.json")).json())
    claims = jose_jwt.decode(answer.text, keys, algorithms=["EdDSA"]).claims
    return claims, decode(claims["credentialSubject"]["encodedList"])


def _index(credential: dict, purpose: str) -> int:
    [entry] = [e for e in credential["credentialStatus"] if e["statusPurpose"] == purpose]
    return int(entry["statusListIndex"])


async def test_each_list_has_exactly_its_set_bits(client, mint, clock, app) -> None:
    first = await certified(client, mint, clock, who="alice")
    second = await certified(client, mint, clock, who="bob")
    revoked = (await credential_of(client, mint, first))["payload"]
    kept = (await credential_of(client, mint, second, "bob"))["payload"]
    await set_bit(app, clock, first, StatusPurpose.REVOCATION, True)
    claims, bits = await _list_bits(client, "revocation")
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = claims["credentialSubject"]
    assert (subject["type"], subject["statusPurpose"]) == ("BitstringStatusList", "revocation")
    assert claims["id"] == revoked["credentialStatus"][0]["statusListCredential"]
    assert subject["encodedList"].startswith("u")
    assert len(bits) * 8 == 131_072
    assert set_indexes(bits) == [_index(revoked, "revocation")]
    assert _index(kept, "revocation") != _index(revoked, "revocation")
    _, suspension_bits = await _list_bits(client, "suspension")
    assert set_indexes(suspension_bits) == []


async def test_an_unknown_list(client) -> None:
    answer = await client.get("/v1/status-lists/probation")
    assert (answer.status_code, answer.json()["error"]["field"]) == (422, "purpose")


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


GARBAGE = [
    "",
    "x",
    "a.b.c",
    "....",
    "é.é.é",
    _b64({"alg": "none"}) + "." + _b64({"type": ["OpenBadgeCredential"]}) + ".",
    _b64({"alg": "EdDSA", "kid": "nobody"}) + "." + _b64({}) + ".c2ln",
    _b64({"alg": "EdDSA", "kid": 7}) + "." + _b64([]) + ".c2ln",
    _b64({"alg": "HS256", "kid": "x"}) + "." + _b64({}) + ".c2ln",
    _b64(["not", "a", "header"]) + ".e30.c2ln",
    "x" * 16_384,
]


async def test_garbage_is_not_verified_and_never_an_error(client) -> None:
    for token in GARBAGE:
        answer = await client.post("/v1/credentials/verify", json={"credential": token})
        assert answer.status_code == 200, (token, answer.text)
        verdict = answer.json()
        assert verdict["verified"] is False
        [check] = verdict["checks"]
        assert not check["ok"]
        assert check["reason"].startswith(("malformed", "unknown key")), token


async def test_a_status_list_presented_as_a_credential_is_malformed(client, mint, clock) -> None:
    await certified(client, mint, clock)
    status_list = (await client.get("/v1/status-lists/revocation")).text
    answer = await client.post("/v1/credentials/verify", json={"credential": status_list})
    verdict = answer.json()
    assert verdict["verified"] is False
    failed = [c for c in verdict["checks"] if not c["ok"]]
    assert [(c["check"], c["reason"][:10]) for c in failed] == [("format", "malformed:")]


async def test_an_oversized_or_missing_credential_is_refused(client) -> None:
    too_long = await client.post("/v1/credentials/verify", json={"credential": "x" * 16_385})
    assert (too_long.status_code, too_long.json()["error"]["field"]) == (422, "credential")
    missing = await client.post("/v1/credentials/verify", json={})
    assert (missing.status_code, missing.json()["error"]["field"]) == (422, "credential")


async def test_verification_is_limited_per_client(client, app) -> None:
    clock = limit_with_manual_clock(app, LIMITS)
    body = {"credential": "x.y.z"}
    for _ in range(3):
        assert (await client.post("/v1/credentials/verify", json=body)).status_code == 200
    # A made-up token buys no way around the limit.
    refused = await client.post(
        "/v1/credentials/verify", json=body, headers={"Authorization": "Bearer made-up"}
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (429, "RATE_LIMITED")
    clock.advance(60)
    assert (await client.post("/v1/credentials/verify", json=body)).status_code == 200


async def test_the_routes_declare_their_answers(app) -> None:
    paths = app.openapi()["paths"]
    verify_route = paths["/v1/credentials/verify"]["post"]
    assert {"200", "422", "429"} <= set(verify_route["responses"])
    status_list = paths["/v1/status-lists/{purpose}"]["get"]
    assert "application/vc+jwt" in status_list["responses"]["200"]["content"]
    for public_route in (
        verify_route,
        status_list,
        paths["/.well-known/credential-jwks.json"]["get"],
    ):
        assert "security" not in public_route
    read = paths["/v1/certifications/{certification_id}/credential"]["get"]
    assert {"200", "401", "403", "404", "409"} <= set(read["responses"])
