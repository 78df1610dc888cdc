"""The sweep writes what deadlines decided, once, set-wise; and notices reach the mail folder."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import httpx
from sqlmodel import col, func, select

from applications.application.models import Application
from applications.notification.models import Notification
from applications.payment.models import Payment
from applications.sweep.runner import sweep_once
from certboard_core.audit import AuditRecord
from certboard_core.outbox import OutboxDelivery, OutboxEvent
from certboard_core.testing.plugin import bearer

from .factories import act, pay, submit


async def _sweep(client: httpx.AsyncClient, token: str) -> dict[str, int]:
    response = await client.post("/internal/sweep", headers=bearer(token))
    assert response.status_code == 200, response.text
    result: dict[str, int] = response.json()
    return result


async def _count(app, model, *where) -> int:
    async with app.state.sessions() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def test_void_on_day_91_not_90_and_only_once(client, app, clock, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(client, alice)
    await pay(client, application, staff)
    incomplete = (
        await act(client, application, "revision-requests", staff, items=["diploma"])
    ).json()
    url = f"/v1/applications/{application['id']}"

    clock.advance(timedelta(days=90))  # day 90: the last day it can still be completed
    assert (await _sweep(client, staff))["voided"] == 0
    on_day_90 = (await client.get(url, headers=bearer(alice))).json()
    assert on_day_90["status"] == "incomplete"
    assert on_day_90["deadlines"]["days_left_to_complete"] == 0

    clock.advance(timedelta(days=1))  # day 91: void, even before the sweep writes it
    before_sweep = (await client.get(url, headers=bearer(alice))).json()
    assert before_sweep["status"] == "void"
    assert before_sweep["version"] == incomplete["version"]

    first = await _sweep(client, staff)
    assert first["voided"] == 1
    assert await _sweep(client, staff) == {
        "voided": 0,
        "expired": 0,
        "void_reminders": 0,
        "expiry_reminders": 0,
        "certification_statuses": 0,
        "renewal_reminders": 0,
        "employer_alerts": 0,
    }
    after = (await client.get(url, headers=bearer(alice))).json()
    assert after["status"] == "void"
    assert after["payments"][0]["forfeited_at"] is not None
    assert [n["reason"] for n in after["notifications"]][-1] == "voided"
    assert await _count(app, AuditRecord, col(AuditRecord.action) == "application.void") == 1
    assert await _count(app, OutboxEvent, col(OutboxEvent.type) == "application.void") == 1


async def test_waiting_on_staff_is_never_voided(client, clock, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(client, alice)
    await act(client, application, "review", staff)
    clock.advance(timedelta(days=200))
    assert (await _sweep(client, staff))["voided"] == 0
    read = (await client.get(f"/v1/applications/{application['id']}", headers=bearer(staff))).json()
    assert read["status"] == "under_review"


async def test_reminders_before_void_once_per_threshold(client, app, clock, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(client, alice)
    await act(client, application, "revision-requests", staff, items=["diploma"])
    clock.advance(timedelta(days=75))  # 15 days before the last day: nothing due yet
    assert (await _sweep(client, staff))["void_reminders"] == 0
    clock.advance(timedelta(days=1))  # 14 days before
    assert (await _sweep(client, staff))["void_reminders"] == 1
    assert (await _sweep(client, staff))["void_reminders"] == 0
    clock.advance(timedelta(days=12))  # 2 days before: the 3-day reminder was missed; send it
    assert (await _sweep(client, staff))["void_reminders"] == 1
    reasons = await _count(app, Notification, col(Notification.reason) == "void_reminder")
    assert reasons == 2


async def test_approval_expires_the_day_after_valid_through(client, clock, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(client, alice)
    await pay(client, application, staff)
    approved = (await act(client, application, "approve", staff)).json()
    assert approved["deadlines"]["valid_through"] == "2027-03-09"
    url = f"/v1/applications/{application['id']}"
    clock.advance(timedelta(days=364))  # 9 March 2027
    last_day = (await client.get(url, headers=bearer(alice))).json()
    assert last_day["status"] == "approved"
    assert last_day["deadlines"]["days_left_valid"] == 0
    assert (await _sweep(client, staff))["expired"] == 0
    clock.advance(timedelta(days=1))
    assert (await client.get(url, headers=bearer(alice))).json()["status"] == "expired"
    assert (await _sweep(client, staff))["expired"] == 1
    assert (await _sweep(client, staff))["expired"] == 0


async def test_notices_are_mailed_through_the_outbox(client, app, settings, mint) -> None:
    staff, alice = mint("staff", "sam"), mint("applicant", "alice")
    application = await submit(client, alice)
    await act(client, application, "revision-requests", staff, items=["diploma"])
    assert await app.state.dispatcher.dispatch_once() == 1
    [mail] = list(settings.mail_path.glob("*.eml"))
    text = mail.read_text()
    assert "To: maria.lopez@example.org" in text
    assert "Subject: Your application needs more information" in text
    assert await app.state.dispatcher.dispatch_once() == 0


async def test_only_staff_or_services_sweep(client, mint) -> None:
    response = await client.post("/internal/sweep", headers=bearer(mint("applicant", "a")))
    assert response.status_code == 403


async def test_a_backlog_swept_by_parallel_chunks_writes_each_row_once(
    client, app, clock, mint
) -> None:
    """Chunks of two, two at a time: every follow-up row is written once and reads as the
    single-application path would write it."""
    staff = mint("staff", "sam")
    applicants = {}
    for n in range(7):
        application = await submit(client, mint("applicant", f"p{n}"), email=f"p{n}@example.org")
        assert (await pay(client, application, staff, reference=f"fee-{n}")).status_code == 201
        revised = await act(client, application, "revision-requests", staff, items=["diploma"])
        assert revised.status_code == 200, revised.text
        applicants[application["id"]] = f"p{n}"
    clock.advance(timedelta(days=91))
    state = app.state
    result = await sweep_once(
        state.sessions,
        clock=state.clock,
        policy=state.policy,
        outbox=state.outbox,
        chunk=2,
        workers=2,
    )
    assert (result.voided, result.expired) == (7, 0)
    today = state.policy.local_date(clock.now()).isoformat()
    async with state.sessions() as session:
        stored = {str(a.id): a for a in (await session.exec(select(Application))).all()}
        audits = (
            await session.exec(select(AuditRecord).where(AuditRecord.action == "application.void"))
        ).all()
        events = (await session.exec(select(OutboxEvent))).all()
        deliveries = (await session.exec(select(OutboxDelivery))).all()
        notices = (
            await session.exec(select(Notification).where(Notification.reason == "voided"))
        ).all()
        fees = (await session.exec(select(Payment))).all()
    assert {i: a.status for i, a in stored.items()} == dict.fromkeys(applicants, "void")
    assert {a.entity_id: (a.actor, a.before, a.after) for a in audits} == {
        i: (
            "system:sweep",
            {"status": "incomplete", "version": stored[i].version - 1},
            {"status": "void", "version": stored[i].version},
        )
        for i in applicants
    }
    voids = [e for e in events if e.type == "application.void"]
    assert {e.aggregate_id: e.payload for e in voids} == {
        i: {"application_id": i, "applicant_id": p, "on": today} for i, p in applicants.items()
    }
    sent_to = {
        e.id: tuple(sorted(d.subscriber for d in deliveries if d.event_id == e.id)) for e in voids
    }
    assert set(sent_to.values()) == {tuple(sorted(state.outbox.recipients("application.void")))}
    assert sorted(str(n.application_id) for n in notices) == sorted(applicants)
    for notice in notices:
        assert notice.recipient == f"{applicants[str(notice.application_id)]}@example.org"
        assert notice.subject == "Your application is void"
        day = stored[str(notice.application_id)].last_day_to_complete
        assert f"{day:%B} {day.day}, {day.year}" in notice.body
    notice_ids = {str(n.id) for n in notices}
    mails = {e.aggregate_id: (e.type, e.payload) for e in events if e.aggregate_id in notice_ids}
    assert mails == {
        str(n.id): (
            "notification.requested",
            {"notification_id": str(n.id), "to": n.recipient, "subject": n.subject}
            | {"body": n.body},
        )
        for n in notices
    }
    assert all(f.forfeited_at == clock.now() for f in fees)
    assert all(a.first_notified_on is not None for a in stored.values())
    again = await sweep_once(
        state.sessions, clock=state.clock, policy=state.policy, outbox=state.outbox, workers=2
    )
    assert (again.voided, again.expired) == (0, 0)


async def test_reads_do_not_wait_for_a_writer(client, app, mint, db_backend) -> None:
    """On SQLite a long write (a sweep) holds the write lock; reads must not queue behind it."""
    alice = mint("applicant", "alice")
    application = await submit(client, alice)
    async with app.state.sessions() as writer, writer.begin():
        await writer.exec(select(func.count()).select_from(AuditRecord))  # takes the lock
        read = await client.get(f"/v1/applications/{application['id']}", headers=bearer(alice))
        assert read.status_code == 200
        assert read.json()["id"] == application["id"]


async def test_the_sweep_route_declares_only_refusals_of_the_caller(client) -> None:
    spec = (await client.get("/openapi.json")).json()
    responses = spec["paths"]["/internal/sweep"]["post"]["responses"]
    assert set(responses) == {"200", "401", "403"}
    assert responses["401"]["description"] == "UNAUTHENTICATED"


def test_closing_an_application_never_loads_the_sweep() -> None:
    """The sweep depends on the application aggregate, never the reverse."""
    probe = (
        "import sys, applications.application.closing, applications.notification.service; "
        "print(sorted(m for m in sys.modules if m.startswith('applications.sweep')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
