"""Employer alerts: enrolment by number and last name, one alert per change per enrolment by
signed webhook and email, coming expiry at 90/60/30 days, and who may see what."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel import select

from applications.certification.numbers import new_number
from applications.config import Settings
from applications.employer.alerts import fan_out
from applications.provider.webhooks import verify
from applications.renewal.categories import CeCategory
from certboard_core.clock import TestClock
from certboard_core.outbox import EventEnvelope, OutboxEvent
from certboard_core.ratelimit import LimitClass
from certboard_core.testing.plugin import Minter, bearer
from certboard_core.testing.ratelimit import limit_with_manual_clock

from ..certificate.conftest import Receiver
from ..discipline.test_discipline import decide, file, queue
from ..renewal.test_renewal_api import earned, fee, renew
from .conftest import HOOK, alerts, drain, employer, enrol, holder


async def _suspend(client: httpx.AsyncClient, mint: Minter, number: str) -> None:
    staff = mint("staff", "sam")
    assert (await file(client, number)).status_code == 201
    [complaint] = (await queue(client, staff))["items"]
    answer = await decide(client, staff, complaint, "suspension", ends_on="2026-06-30")
    assert answer.status_code == 200, answer.text


async def test_one_alert_per_change_per_enrolment_by_signed_webhook_and_mail(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, receiver: Receiver, settings: Settings
) -> None:
    hooked = await employer(client, mint, "acme", webhook_url=HOOK)
    other = await employer(client, mint, "bolt")
    alice = await holder(client, mint, "alice")
    bob = await holder(client, mint, "bob", last_name="Núñez")
    assert (await enrol(client, hooked, alice["number"].lower(), " lópez ")).status_code == 201
    assert (await enrol(client, other, bob["number"], "NUNEZ")).status_code == 201
    await drain(app)
    receiver.calls.clear()

    await _suspend(client, mint, alice["number"])
    await drain(app)

    [alert] = await alerts(client, hooked)
    assert alert["kind"] == "disciplined"
    assert alert["certificate_number"] == alice["number"]
    assert alert["certification_id"] == alice["certification_id"]
    assert alert["detail"] == {
        "outcome": "suspension",
        "status": "suspended",
        "from": "2026-03-10",
        "through": "2026-06-30",
    }
    assert "suspension through 2026-06-30" in alert["summary"]
    assert await alerts(client, other) == []  # bob's employer did not enrol alice

    [call] = receiver.calls
    assert str(call.url) == "http://127.0.0.1:9/hooks"
    header = call.headers["X-Certboard-Signature"]
    secret = hooked.profile["webhook_secret"]
    assert verify(secret, call.content, header, now=int(header.split(",")[0][2:]))
    assert not verify(other.profile["webhook_secret"], call.content, header, now=0)
    body = json.loads(call.content)
    assert body["type"] == "employer.alert"
    assert body["data"]["alert_id"] == alert["id"]
    assert body["data"]["kind"] == "disciplined"
    assert set(body["data"]) == {
        *("alert_id", "employer_id", "enrolment_id", "certification_id"),
        *("certificate_number", "kind", "summary", "detail"),
    }

    mail = Path(settings.mail_path) / f"{alert['id']}.eml"
    text = mail.read_text()
    assert "To: acme@x.org" in text
    assert f"Subject: Certificate {alice['number']}" in text

    # The same event delivered again (a retry after a lost acknowledgement) records nothing.
    async with app.state.sessions() as session:
        [event] = (
            await session.exec(
                select(OutboxEvent).where(OutboxEvent.type == "certification.disciplined")
            )
        ).all()
    envelope = EventEnvelope.model_validate(
        {**event.model_dump(), "source": "applications", "occurred_at": event.occurred_at}
    )
    async with app.state.sessions() as session, session.begin():
        assert (
            await fan_out(session, envelope, outbox=app.state.outbox, now=app.state.clock.now())
            == 0
        )
    assert await drain(app) == 0
    assert len(await alerts(client, hooked)) == 1
    assert len(receiver.calls) == 1


async def test_a_failing_webhook_is_retried_without_a_second_alert(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, receiver: Receiver
) -> None:
    hooked = await employer(client, mint, "acme", webhook_url=HOOK)
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, hooked, alice["number"], "Lopez")).status_code == 201
    receiver.status = 500
    await _suspend(client, mint, alice["number"])
    await drain(app)
    assert len(receiver.calls) == 1
    assert len(await alerts(client, hooked)) == 1


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
    await _suspend(client, mint, alice["number"])
    await drain(app)
    assert await alerts(client, acme) == []


def _noon(day: date) -> datetime:
    # Noon in Los Angeles (the CA preset's zone), whatever the offset that day.
    return datetime.combine(day, time(20, 0), tzinfo=UTC)


async def _sweep(client: httpx.AsyncClient, mint: Minter) -> int:
    answer = await client.post("/internal/sweep", headers=bearer(mint("staff", "sam")))
    assert answer.status_code == 200, answer.text
    count: int = answer.json()["employer_alerts"]
    return count


def _expiring(found: list[dict[str, Any]]) -> list[int]:
    return [a["detail"]["days_before"] for a in found if a["kind"] == "expiring"]


async def test_coming_expiry_at_90_60_30_days_once_each_latest_when_missed(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    last = date.fromisoformat(alice["valid_through"])

    clock.set(_noon(last - timedelta(days=91)))
    assert await _sweep(client, mint) == 0
    clock.set(_noon(last - timedelta(days=90)))
    assert await _sweep(client, mint) == 1
    assert await _sweep(client, mint) == 0
    clock.set(_noon(last - timedelta(days=45)))
    assert await _sweep(client, mint) == 1
    assert await _sweep(client, mint) == 0
    # The 30-day alert's day was missed; 10 days left still sends it, once.
    clock.set(_noon(last - timedelta(days=10)))
    assert await _sweep(client, mint) == 1
    clock.set(_noon(last))
    assert await _sweep(client, mint) == 0
    await drain(app)
    found = await alerts(client, acme)
    assert _expiring(found) == [30, 60, 90]  # newest first
    newest = next(a for a in found if a["kind"] == "expiring")
    assert newest["detail"]["days_left"] == 10
    assert newest["detail"]["valid_through"] == alice["valid_through"]


async def test_a_missed_window_sends_only_the_latest_threshold(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    last = date.fromisoformat(alice["valid_through"])
    clock.set(_noon(last - timedelta(days=20)))
    assert await _sweep(client, mint) == 1
    assert await _sweep(client, mint) == 0
    await drain(app)
    assert _expiring(await alerts(client, acme)) == [30]


async def test_status_changes_reach_each_enrolment_once(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    bolt = await employer(client, mint, "bolt")
    alice = await holder(client, mint, "alice")
    for who in (acme, bolt):
        assert (await enrol(client, who, alice["number"], "Lopez")).status_code == 201
    last = date.fromisoformat(alice["valid_through"])
    clock.set(_noon(last + timedelta(days=1)))
    await _sweep(client, mint)
    await drain(app)
    await _sweep(client, mint)
    await drain(app)
    async with app.state.sessions() as session:
        events = (
            await session.exec(
                select(OutboxEvent).where(OutboxEvent.type == "certification.status_changed")
            )
        ).all()
    assert events
    for who in (acme, bolt):
        changes = [a for a in await alerts(client, who) if a["kind"] == "status_changed"]
        assert len(changes) == len(events)
        assert {a["detail"]["to"] for a in changes} == {e.payload["to"] for e in events}


async def test_probation_is_told_and_a_letter_of_warning_is_not(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    staff = mint("staff", "sam")
    for outcome, extra in (
        ("letter_of_warning", {}),
        ("probation", {"ends_on": "2026-12-31", "conditions": "Monthly supervision reports."}),
    ):
        assert (await file(client, alice["number"])).status_code == 201
        [complaint] = (await queue(client, staff))["items"]
        answer = await decide(client, staff, complaint, outcome, **extra)
        assert answer.status_code == 200, answer.text
    await drain(app)
    [alert] = await alerts(client, acme)
    assert alert["kind"] == "disciplined"
    assert alert["detail"] == {
        "outcome": "probation",
        "status": "active",
        "from": "2026-03-10",
        "through": "2026-12-31",
    }


async def test_a_renewal_is_told_once_and_starts_a_new_expiry_cycle(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    alice_token, staff = mint("applicant", "alice"), mint("staff", "sam")
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    last = date.fromisoformat(alice["valid_through"])
    clock.set(_noon(last - timedelta(days=30)))
    assert await _sweep(client, mint) == 1
    await earned(
        app,
        (str(last - timedelta(days=60)), 2000, CeCategory.GENERAL),
        (str(last - timedelta(days=59)), 600, CeCategory.LAW_AND_ETHICS),
    )
    await fee(client, alice, staff, "renewal", 8000)
    renewed = await renew(client, alice, alice_token)
    assert renewed.status_code == 201, renewed.text
    await drain(app)
    await drain(app)
    found = await alerts(client, acme)
    [told] = [a for a in found if a["kind"] == "renewed"]
    assert told["detail"] == {
        "previous_valid_through": alice["valid_through"],
        "valid_through": renewed.json()["valid_through"],
    }
    # The next period's alerts are its own: 90 days before the new last day, one more.
    new_last = date.fromisoformat(renewed.json()["valid_through"])
    clock.set(_noon(new_last - timedelta(days=90)))
    assert await _sweep(client, mint) == 1
    assert await _sweep(client, mint) == 0


async def test_a_change_from_before_the_enrolment_is_no_news(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    await _suspend(client, mint, alice["number"])  # its event not delivered yet
    clock.advance(timedelta(days=1))
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    await drain(app)
    assert await alerts(client, acme) == []
    listed = await client.get("/v1/employer/enrolments", headers=bearer(acme.token))
    [enrolment] = listed.json()["items"]
    assert (enrolment["status"], enrolment["valid_through"]) == (
        "suspended",
        alice["valid_through"],
    )


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
