"""The sweep writes what deadlines decided, once, set-wise; and notices reach the mail folder."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlmodel import col, func, select

from applications.notification.models import Notification
from certboard_core.audit import AuditRecord
from certboard_core.outbox import OutboxEvent
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


async def test_a_large_backlog_is_swept_in_chunks(client, app, clock, mint) -> None:
    from applications.sweep.runner import sweep_once

    staff = mint("staff", "sam")
    for n in range(5):
        application = await submit(client, mint("applicant", f"p{n}"))
        await act(client, application, "revision-requests", staff, items=["diploma"])
    clock.advance(timedelta(days=91))
    state = app.state
    result = await sweep_once(
        state.sessions, clock=state.clock, policy=state.policy, outbox=state.outbox, chunk=2
    )
    assert result.voided == 5
    assert await _count(app, AuditRecord, col(AuditRecord.action) == "application.void") == 5


async def test_reads_do_not_wait_for_a_writer(client, app, mint, db_backend) -> None:
    """On SQLite a long write (a sweep) holds the write lock; reads must not queue behind it."""
    alice = mint("applicant", "alice")
    application = await submit(client, alice)
    async with app.state.sessions() as writer, writer.begin():
        await writer.exec(select(func.count()).select_from(AuditRecord))  # takes the lock
        read = await client.get(f"/v1/applications/{application['id']}", headers=bearer(alice))
        assert read.status_code == 200
        assert read.json()["id"] == application["id"]
