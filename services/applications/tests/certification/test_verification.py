"""Public verification: no token, only name, status and dates, any spelling of the number,
a stable code for an unknown one, and a limit per client."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from certboard_core.ratelimit import LimitClass
from certboard_core.testing.ratelimit import limit_with_manual_clock

from .conftest import approved, deliver, passed, read

LIMITS = {
    LimitClass.PUBLIC: "3/minute",
    LimitClass.UNAUTHENTICATED: "100/minute",
    LimitClass.UPLOADS: "100/minute",
}


async def certified(client, mint, who: str = "alice", **form) -> str:
    application = await approved(client, mint, who, **form)
    await deliver(client, mint, "exam.passed", passed(application))
    number: str = (await read(client, application, mint("staff", "sam")))["certification"]["number"]
    return number


def credential_url(number: str) -> str:
    return f"http://127.0.0.1:8001/v1/verification/{number}/credential"


async def test_anyone_verifies_an_active_then_expired_certificate(client, mint, clock) -> None:
    number = await certified(client, mint)
    answer = await client.get(f"/v1/verification/{number}")
    assert answer.status_code == 200
    assert answer.json() == {
        "holder_name": "Maria Lopez",
        "number": number,
        "status": "active",
        "issued_on": "2026-05-04",
        "valid_through": "2028-05-03",
        "discipline": [],
        "credential_url": credential_url(number),
    }
    clock.set(datetime(2028, 5, 4, 20, tzinfo=UTC))
    expired = (await client.get(f"/v1/verification/{number}")).json()
    # Nothing left to vouch for: no credential to fetch.
    assert expired == {
        "holder_name": "Maria Lopez",
        "number": number,
        "status": "expired",
        "issued_on": "2026-05-04",
        "valid_through": "2028-05-03",
        "discipline": [],
        "credential_url": None,
    }


async def test_nothing_personal_beyond_the_name(client, mint) -> None:
    number = await certified(client, mint)
    text = (await client.get(f"/v1/verification/{number}")).text
    for secret in ("1990-05-17", "maria.lopez@example.org", "alice", "consumer", "100", "120"):
        assert secret not in text


async def test_the_number_as_people_type_it(client, mint) -> None:
    number = await certified(client, mint)
    spellings = [
        number.lower(),
        number.replace("-", ""),
        number.replace("-", " "),
        f" {number[:7]} {number[7:]} ",
        number.replace("0", "O").replace("1", "I"),
    ]
    for typed in spellings:
        answer = await client.get(f"/v1/verification/{typed}")
        assert answer.status_code == 200, typed
        assert answer.json()["holder_name"] == "Maria Lopez"


@pytest.mark.parametrize("typed", ["AAAA-AAAA-AAAB", "AAAA-AAAA-AAAA", "nonsense", "x" * 40])
async def test_an_unknown_number(client, typed: str) -> None:
    answer = await client.get(f"/v1/verification/{typed}")
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert (error["code"], error["field"]) == ("CERTIFICATE_NOT_FOUND", "number")
    assert error["message"] == "no certificate has this number"


async def test_a_number_past_the_length_limit_is_malformed(client) -> None:
    answer = await client.get(f"/v1/verification/{'A' * 41}")
    assert answer.status_code == 422


async def test_verification_is_limited_per_client(client, app, mint) -> None:
    number = await certified(client, mint)
    clock = limit_with_manual_clock(app, LIMITS)
    for _ in range(3):
        assert (await client.get(f"/v1/verification/{number}")).status_code == 200
    # A made-up token buys no way around the limit.
    refused = await client.get(
        f"/v1/verification/{number}", headers={"Authorization": "Bearer made-up"}
    )
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    clock.advance(60)
    assert (await client.get(f"/v1/verification/{number}")).status_code == 200


async def test_the_routes_declare_their_answers(app) -> None:
    paths = app.openapi()["paths"]
    verify = paths["/v1/verification/{number}"]["get"]
    assert {"200", "404", "422", "429"} <= set(verify["responses"])
    assert "security" not in verify
    read_one = paths["/v1/applications/{application_id}/certification"]["get"]
    assert {"200", "401", "403", "404"} <= set(read_one["responses"])
    standing = paths["/internal/applications/{application_id}/exam-standing"]["get"]
    assert {"200", "401", "403", "404"} <= set(standing["responses"])
