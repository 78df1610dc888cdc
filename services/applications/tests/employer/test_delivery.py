"""Employer alerts delivered: one per change per enrolment, by signed webhook (never to a
host that turned private) and email, through the outbox however often an event arrives."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import select

from applications.config import Settings
from applications.employer.alerts import fan_out
from applications.provider.webhooks import verify
from applications.renewal.categories import CeCategory
from certboard_core.clock import TestClock
from certboard_core.outbox import EventEnvelope, OutboxDelivery, OutboxEvent
from certboard_core.testing.plugin import Minter, bearer

from ..certificate.conftest import Receiver
from ..discipline.test_discipline import decide, file, queue
from ..provider.test_webhooks import Resolver
from ..renewal.test_renewal_api import earned, fee, renew
from .conftest import HOOK, alerts, drain, employer, enrol, holder, noon, suspend, sweep


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

    await suspend(client, mint, alice["number"])
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
    await suspend(client, mint, alice["number"])
    await drain(app)
    assert len(receiver.calls) == 1
    assert len(await alerts(client, hooked)) == 1


async def test_a_webhook_host_that_turns_private_is_not_called(
    client: httpx.AsyncClient,
    app: FastAPI,
    mint: Minter,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = {"hooks.acme.example": ["93.184.216.34"]}
    resolver = Resolver(names)
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", resolver)
    acme = await employer(client, mint, "acme", webhook_url="https://hooks.acme.example/in")
    assert acme.profile["webhook_url"] == "https://hooks.acme.example/in"
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    names["hooks.acme.example"] = ["10.0.0.8"]  # DNS rebinding after the URL was saved
    await suspend(client, mint, alice["number"])
    await drain(app)
    assert receiver.calls == []
    async with app.state.sessions() as session:
        failed = (
            await session.exec(
                select(OutboxDelivery).where(OutboxDelivery.subscriber == "employer_webhooks")
            )
        ).one()
    assert failed.status == "pending"
    assert "private address" in (failed.last_error or "")
    assert len(await alerts(client, acme)) == 1  # the alert stands; the email went


async def test_status_changes_reach_each_enrolment_once(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    bolt = await employer(client, mint, "bolt")
    alice = await holder(client, mint, "alice")
    for who in (acme, bolt):
        assert (await enrol(client, who, alice["number"], "Lopez")).status_code == 201
    last = date.fromisoformat(alice["valid_through"])
    clock.set(noon(last + timedelta(days=1)))
    await sweep(client, mint)
    await drain(app)
    await sweep(client, mint)
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
    clock.set(noon(last - timedelta(days=30)))
    assert await sweep(client, mint) == 1
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
    clock.set(noon(new_last - timedelta(days=90)))
    assert await sweep(client, mint) == 1
    assert await sweep(client, mint) == 0


async def test_a_change_from_before_the_enrolment_is_no_news(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    await suspend(client, mint, alice["number"])  # its event not delivered yet
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


async def test_a_rotated_secret_signs_from_then_on(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, receiver: Receiver
) -> None:
    hooked = await employer(client, mint, "acme", webhook_url=HOOK)
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, hooked, alice["number"], "Lopez")).status_code == 201
    rotated = await client.post(
        "/v1/employer/profile/webhook-secret",
        json={"expected_version": 1},
        headers=bearer(hooked.token),
    )
    assert rotated.status_code == 200, rotated.text
    secret = rotated.json()["webhook_secret"]
    assert secret.startswith("whsec_")
    assert secret != hooked.profile["webhook_secret"]
    assert rotated.json()["version"] == 2
    stale = await client.post(
        "/v1/employer/profile/webhook-secret",
        json={"expected_version": 1},
        headers=bearer(hooked.token),
    )
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"
    read = await client.get("/v1/employer/profile", headers=bearer(hooked.token))
    assert "webhook_secret" not in read.json()

    await suspend(client, mint, alice["number"])
    await drain(app)
    [call] = receiver.calls
    header = call.headers["X-Certboard-Signature"]
    now = int(header.split(",")[0][2:])
    assert verify(secret, call.content, header, now=now)
    assert not verify(hooked.profile["webhook_secret"], call.content, header, now=now)
