"""A certification's credential end to end: issued to its holder, verified by anyone (and by
an independent JOSE library), refused or failed for what discipline and time say."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime

import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from applications.certification.rules import CertificationStatus
from applications.credential.keys import add_key
from applications.credential.models import StatusPurpose
from applications.credential.vc import OB_CONTEXT, VC_CONTEXT
from certboard_core.testing.plugin import bearer

from .conftest import certified, credential_of, fetch, set_bit, store_status, verify

# joserfc warns that RFC 9864 (2025) deprecates "EdDSA" for the fully specified "Ed25519";
# PyJWT and today's VC and Open Badges verifiers know "EdDSA" only, so the board signs with it.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated:UserWarning")
EDDSA = ["EdDSA"]

ALL_CHECKS = ["key", "signature", "format", "valid_from", "valid_until", "revocation", "suspension"]


async def test_the_holder_gets_an_open_badge_that_verifies(client, mint, clock) -> None:
    certification_id = await certified(client, mint, clock)
    answer = await fetch(client, mint, certification_id)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    payload = answer.json()["payload"]
    assert payload["@context"] == [VC_CONTEXT, OB_CONTEXT]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["name"] == "Peer Support Specialist Certification Board"
    # Issued on 4 May 2026, valid through 3 May 2028: whole days in Los Angeles (PDT, -7 h).
    assert (payload["validFrom"], payload["validUntil"]) == (
        "2026-05-04T07:00:00Z",
        "2028-05-04T06:59:59Z",
    )
    subject = payload["credentialSubject"]
    assert subject["achievement"]["name"] == "Peer Support Specialist"
    number = subject["identifier"][0]["identityHash"]
    assert [e["statusPurpose"] for e in payload["credentialStatus"]] == [
        "revocation",
        "suspension",
    ]
    for entry in payload["credentialStatus"]:
        assert entry["type"] == "BitstringStatusListEntry"
        assert entry["statusListCredential"].endswith(f"/v1/status-lists/{entry['statusPurpose']}")
        assert 0 <= int(entry["statusListIndex"]) < 131_072
    text = json.dumps(payload)
    for personal in ("1990-05-17", "maria.lopez@example.org", "Maria", "alice"):
        assert personal not in text
    verdict = await verify(client, answer.json()["credential"])
    assert verdict["verified"] is True
    assert [c["check"] for c in verdict["checks"]] == ALL_CHECKS
    assert number.count("-") == 2


async def test_an_independent_library_verifies_it_against_the_jwks(client, mint, clock) -> None:
    certification_id = await certified(client, mint, clock)
    token = (await credential_of(client, mint, certification_id))["credential"]
    jwks = await client.get("/.well-known/credential-jwks.json")
    assert jwks.headers["Cache-Control"] == "public, max-age=3600"
    decoded = jose_jwt.decode(token, KeySet.import_key_set(jwks.json()), algorithms=EDDSA)
    assert decoded.header["typ"] == "vc+jwt"
    assert decoded.header["cty"] == "vc"
    [key] = jwks.json()["keys"]
    assert decoded.header["kid"] == key["kid"]
    assert decoded.claims["type"][1] == "OpenBadgeCredential"
    assert decoded.claims["exp"] == int(datetime(2028, 5, 4, 6, 59, 59, tzinfo=UTC).timestamp())


def _tamper(token: str) -> str:
    header, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["validUntil"] = "2099-12-31T23:59:59Z"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def test_a_tampered_credential_fails_on_its_signature(client, mint, clock) -> None:
    certification_id = await certified(client, mint, clock)
    token = (await credential_of(client, mint, certification_id))["credential"]
    verdict = await verify(client, _tamper(token))
    assert verdict["verified"] is False
    assert verdict["reasons"] == {"signature": "bad signature"}


async def test_a_revoked_certification_fails_on_its_status(client, mint, clock, app) -> None:
    certification_id = await certified(client, mint, clock)
    token = (await credential_of(client, mint, certification_id))["credential"]
    await set_bit(app, clock, certification_id, StatusPurpose.REVOCATION, True)
    verdict = await verify(client, token)
    assert verdict["verified"] is False
    assert verdict["reasons"] == {"revocation": "revoked"}


async def test_a_suspension_fails_then_passes_once_cleared(client, mint, clock, app) -> None:
    certification_id = await certified(client, mint, clock)
    token = (await credential_of(client, mint, certification_id))["credential"]
    await set_bit(app, clock, certification_id, StatusPurpose.SUSPENSION, True)
    assert (await verify(client, token))["reasons"] == {"suspension": "suspended"}
    await set_bit(app, clock, certification_id, StatusPurpose.SUSPENSION, False)
    assert (await verify(client, token))["verified"] is True


async def test_the_stored_status_alone_sets_the_bit(client, mint, clock, app) -> None:
    certification_id = await certified(client, mint, clock)
    token = (await credential_of(client, mint, certification_id))["credential"]
    await store_status(app, certification_id, CertificationStatus.SUSPENDED)
    assert (await verify(client, token))["reasons"] == {"suspension": "suspended"}
    await store_status(app, certification_id, CertificationStatus.REVOKED)
    assert (await verify(client, token))["reasons"] == {"revocation": "revoked"}


async def test_credentials_of_a_rotated_key_still_verify(client, mint, clock, settings) -> None:
    certification_id = await certified(client, mint, clock)
    old = (await credential_of(client, mint, certification_id))["credential"]
    add_key(settings.credential_key_dir)
    new = (await credential_of(client, mint, certification_id))["credential"]
    keys = (await client.get("/.well-known/credential-jwks.json")).json()["keys"]
    kids = [k["kid"] for k in keys]
    assert len(set(kids)) == 2
    # The newest signs; the older one is still published and still verifies.
    for token, key in ((new, keys[1]), (old, keys[0])):
        only = KeySet.import_key_set({"keys": [key]})
        assert jose_jwt.decode(token, only, algorithms=EDDSA).header["kid"] == key["kid"]
    assert (await verify(client, old))["verified"] is True
    assert (await verify(client, new))["verified"] is True


async def test_by_the_clock_a_credential_expires(client, mint, clock) -> None:
    certification_id = await certified(client, mint, clock)
    token = (await credential_of(client, mint, certification_id))["credential"]
    clock.set(datetime(2028, 5, 4, 6, 59, 59, tzinfo=UTC))  # 23:59:59 on 3 May in LA
    assert (await verify(client, token))["verified"] is True
    clock.set(datetime(2028, 5, 4, 7, 0, tzinfo=UTC))
    assert (await verify(client, token))["reasons"] == {"valid_until": "expired"}
    refused = await fetch(client, mint, certification_id)
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        409,
        "CERTIFICATION_NOT_CURRENT",
    )


async def test_not_yet_valid_before_the_day_of_issue(client, mint, clock) -> None:
    certification_id = await certified(client, mint, clock)
    token = (await credential_of(client, mint, certification_id))["credential"]
    clock.set(datetime(2026, 5, 4, 6, 59, 59, tzinfo=UTC))  # 23:59:59 on 3 May in LA
    assert (await verify(client, token))["reasons"] == {"valid_from": "not yet valid"}


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (CertificationStatus.SUSPENDED, "CERTIFICATION_SUSPENDED"),
        (CertificationStatus.REVOKED, "CERTIFICATION_REVOKED"),
    ],
)
async def test_discipline_refuses_a_credential(client, mint, clock, app, status, code) -> None:
    certification_id = await certified(client, mint, clock)
    await store_status(app, certification_id, status)
    refused = await fetch(client, mint, certification_id)
    error = refused.json()["error"]
    assert (refused.status_code, error["code"], error["field"]) == (
        409,
        code,
        "certification_id",
    )


async def test_only_the_holder_or_staff(client, mint, clock) -> None:
    certification_id = await certified(client, mint, clock)
    other = await fetch(client, mint, certification_id, who="bob")
    assert (other.status_code, other.json()["error"]["code"]) == (404, "NOT_FOUND")
    unknown = await fetch(client, mint, uuid.uuid4())
    assert unknown.status_code == 404
    staff = await client.get(
        f"/v1/certifications/{certification_id}/credential",
        headers=bearer(mint("staff", "sam")),
    )
    assert staff.status_code == 200
    # The same places on every issue: indexes are allocated once.
    first = (await credential_of(client, mint, certification_id))["payload"]
    assert first["credentialStatus"] == staff.json()["payload"]["credentialStatus"]
