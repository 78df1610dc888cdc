"""Enrolment by number and last name (one refusal for a wrong name or an unknown number,
limited per employer), public webhook URLs only, and who may see whose enrolments."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from applications.certification.numbers import new_number
from certboard_core.clock import TestClock
from certboard_core.ratelimit import LimitClass
from certboard_core.testing.plugin import Minter, bearer
from certboard_core.testing.ratelimit import limit_with_manual_clock

from .conftest import alerts, drain, employer, enrol, holder, suspend


async def test_enrolment_refuses_a_wrong_name_and_an_unknown_number_alike(
    client: httpx.AsyncClient, mint: Minter
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    refusals = [
        await enrol(client, acme, alice["number"], "Lopes"),
        await enrol(client, acme, new_number(), "Lopez"),
        await enrol(client, acme, "not a number", "Lopez"),
        await enrol(client, acme, alice["number"], "  "),
    ]
    answers = []
    for refused in refusals:
        assert refused.status_code == 404, refused.text
        answers.append({k: v for k, v in refused.json()["error"].items() if k != "request_id"})
    assert all(a == answers[0] for a in answers)
    assert refusals[0].json()["error"]["code"] == "CERTIFICATION_NOT_MATCHED"
    assert refusals[0].json()["error"]["field"] == "certificate_number"
    listed = await client.get("/v1/employer/enrolments", headers=bearer(acme.token))
    assert listed.json() == {"items": [], "next_cursor": None}

    made = await enrol(client, acme, alice["number"], "LOPEZ")
    assert made.status_code == 201, made.text
    assert made.json()["holder_name"] == "Maria Lopez"
    again = await enrol(client, acme, alice["number"], "Lopez")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "ALREADY_ENROLLED"

    nobody = mint("employer", "no-profile")
    missing = await client.post(
        "/v1/employer/enrolments",
        json={"certificate_number": alice["number"], "last_name": "Lopez"},
        headers=bearer(nobody),
    )
    assert missing.status_code == 409
    assert missing.json()["error"]["code"] == "EMPLOYER_PROFILE_MISSING"


async def test_guessing_enrolments_meets_429_per_employer(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter
) -> None:
    acme = await employer(client, mint, "acme")
    bolt = await employer(client, mint, "bolt")
    alice = await holder(client, mint, "alice")
    clock = limit_with_manual_clock(
        app,
        {
            LimitClass.PUBLIC: "3/minute",
            LimitClass.UNAUTHENTICATED: "100/minute",
            LimitClass.UPLOADS: "100/minute",
        },
    )
    for name in ("Lopes", "Lopec", "Lopeb"):
        assert (await enrol(client, acme, alice["number"], name)).status_code == 404
    refused = await enrol(client, acme, alice["number"], "Lopez")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert refused.headers["Retry-After"] == "60"
    # Another employer counts on its own; the first may try again a minute later.
    assert (await enrol(client, bolt, alice["number"], "Lopez")).status_code == 201
    clock.advance(60)
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201


async def test_webhook_urls_must_be_public(client: httpx.AsyncClient, mint: Minter) -> None:
    token = bearer(mint("employer", "acme"))
    for url in ("https://10.0.0.8/hook", "https://169.254.169.254/latest", "ftp://x.org/"):
        refused = await client.post(
            "/v1/employer/profile",
            json={"organisation": "Acme", "alert_email": "a@x.org", "webhook_url": url},
            headers=token,
        )
        assert refused.status_code == 422, url
        assert refused.json()["error"]["field"] == "webhook_url"
    made = await client.post(
        "/v1/employer/profile",
        json={"organisation": "Acme", "alert_email": "a@x.org"},
        headers=token,
    )
    assert made.status_code == 201
    patched = await client.patch(
        "/v1/employer/profile",
        json={"expected_version": 1, "webhook_url": "https://[::ffff:10.0.0.1]/hook"},
        headers=token,
    )
    assert patched.status_code == 422
    assert patched.json()["error"]["field"] == "webhook_url"


async def test_the_holder_sees_who_follows_and_employers_see_only_their_own(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    bolt = await employer(client, mint, "bolt")
    alice = await holder(client, mint, "alice")
    await holder(client, mint, "bob")
    made = (await enrol(client, acme, alice["number"], "Lopez")).json()
    followers = f"/v1/certifications/{alice['certification_id']}/followers"

    seen = await client.get(followers, headers=bearer(mint("applicant", "alice")))
    assert seen.json() == [{"organisation": "Acme Health", "since": "2026-03-10T17:00:00Z"}]
    staff = await client.get(followers, headers=bearer(mint("staff", "sam")))
    assert staff.json() == seen.json()
    stranger = await client.get(followers, headers=bearer(mint("applicant", "bob")))
    assert stranger.status_code == 404
    assert (await client.get(followers, headers=bearer(acme.token))).status_code == 403

    theirs = await client.get("/v1/employer/enrolments", headers=bearer(bolt.token))
    assert theirs.json() == {"items": [], "next_cursor": None}
    taken = await client.delete(f"/v1/employer/enrolments/{made['id']}", headers=bearer(bolt.token))
    assert taken.status_code == 404
    mine = await client.get("/v1/employer/enrolments", headers=bearer(acme.token))
    assert [e["id"] for e in mine.json()["items"]] == [made["id"]]
    refused = await client.get("/v1/employer/alerts", headers=bearer(mint("applicant", "alice")))
    assert refused.status_code == 403

    left = await client.delete(f"/v1/employer/enrolments/{made['id']}", headers=bearer(acme.token))
    assert left.status_code == 204
    assert (await client.get(followers, headers=bearer(mint("staff", "sam")))).json() == []
    # No longer enrolled: a change tells nobody.
    await suspend(client, mint, alice["number"])
    await drain(app)
    assert await alerts(client, acme) == []
