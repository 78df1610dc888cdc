"""Every transition over the API, every forbidden one, and concurrent staff."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlmodel import col, select

from applications.payment.models import Payment
from certboard_core.audit import AuditRecord
from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import bearer

from ..factories import act, pay, submit


@pytest.fixture
def staff(mint) -> str:
    return mint("staff", "sam")


@pytest.fixture
def alice(mint) -> str:
    return mint("applicant", "alice")


async def test_review_revision_resubmit_approve(
    client: httpx.AsyncClient, app, staff, alice
) -> None:
    application = await submit(client, alice)
    reviewed = (await act(client, application, "review", staff)).json()
    assert reviewed["status"] == "under_review"
    assert reviewed["version"] == 2

    asked = await act(
        client,
        reviewed,
        "revision-requests",
        staff,
        items=["government_id", "application_fee"],
        note="The ID photo is blurred.",
    )
    asked_body = asked.json()
    assert asked_body["status"] == "incomplete"
    assert asked_body["missing"] == ["government_id", "application_fee"]
    assert asked_body["deadlines"]["days_left_to_complete"] == 90
    assert asked_body["deadlines"]["first_notified_on"] == "2026-03-10"
    assert asked_body["deadlines"]["first_notification_on_time"] is True
    [notice] = asked_body["notifications"]
    assert notice["reason"] == "revision_requested"
    assert "government id" in notice["body"]
    assert "June 8, 2026" in notice["body"]

    resubmitted = (await act(client, asked_body, "resubmit", alice)).json()
    assert resubmitted["status"] == "resubmitted"
    assert resubmitted["missing"] == []
    assert resubmitted["revision_requests"][0]["resolved_at"] is not None

    assert (await pay(client, resubmitted, staff)).status_code == 201
    approved = (await act(client, resubmitted, "approve", staff)).json()
    assert approved["status"] == "approved"
    # Approved on 10 March 2026 (local): valid through 9 March 2027; exam requests until 23 Feb.
    assert approved["deadlines"]["valid_through"] == "2027-03-09"
    assert approved["deadlines"]["exam_request_cutoff"] == "2027-02-23"
    assert approved["deadlines"]["days_left_valid"] == 364
    # Same instant on the frozen clock: the order of equal timestamps is not part of the API.
    assert sorted(n["reason"] for n in approved["notifications"]) == [
        "approved",
        "revision_requested",
    ]

    async with app.state.sessions() as session:
        actions = (
            await session.exec(
                select(AuditRecord.action)
                .where(AuditRecord.entity_id == application["id"])
                .order_by(col(AuditRecord.id))
            )
        ).all()
        events = (
            await session.exec(select(OutboxEvent.type).order_by(col(OutboxEvent.occurred_at)))
        ).all()
    assert [a for a in actions if a.startswith("application.")] == [
        "application.submitted",
        "application.under_review",
        "application.incomplete",
        "application.resubmitted",
        "application.approved",
    ]
    assert "application.approved" in events
    assert "application.incomplete" in events


async def test_every_change_is_audited_with_before_and_after(client, app, staff, alice) -> None:
    application = await submit(client, alice)
    await act(client, application, "review", staff)
    async with app.state.sessions() as session:
        record = (
            await session.exec(
                select(AuditRecord).where(AuditRecord.action == "application.under_review")
            )
        ).one()
    assert record.actor == "staff:sam"
    assert record.before["status"] == "submitted"
    assert record.before["version"] == 1
    assert record.after["status"] == "under_review"
    assert record.after["version"] == 2


@pytest.mark.parametrize(
    ("setup", "action", "role"),
    [
        ([], "resubmit", "applicant"),  # submitted is not waiting on the applicant
        (["review"], "review", "staff"),
        (["deny"], "approve", "staff"),
        (["withdraw"], "review", "staff"),
        (["deny"], "withdraw", "applicant"),
    ],
)
async def test_forbidden_transitions_name_the_state(
    client, staff, alice, setup: list[str], action: str, role: str
) -> None:
    application = await submit(client, alice)
    for step in setup:
        token = alice if step == "withdraw" else staff
        extra = {"reason": "criminal history reviewed"} if step == "deny" else {}
        response = await act(client, application, step, token, **extra)
        assert response.status_code == 200, response.text
        application = response.json()
    token = alice if role == "applicant" else staff
    response = await act(client, application, action, token)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "TRANSITION_NOT_ALLOWED"
    assert application["status"].replace("_", " ") in error["message"]


async def test_roles_are_enforced(client, staff, alice, mint) -> None:
    application = await submit(client, alice)
    assert (await act(client, application, "review", alice)).status_code == 403
    assert (await act(client, application, "withdraw", staff)).status_code == 403
    bob = mint("applicant", "bob")
    response = await act(client, application, "withdraw", bob)
    assert response.status_code == 404


async def test_stale_version_is_a_conflict_and_changes_nothing(client, staff, alice) -> None:
    application = await submit(client, alice)
    await act(client, application, "review", staff)
    stale = await act(client, application, "deny", staff, reason="duplicate application")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"
    assert stale.json()["error"]["field"] == "expected_version"
    current = (
        await client.get(f"/v1/applications/{application['id']}", headers=bearer(staff))
    ).json()
    assert current["status"] == "under_review"


async def test_two_staff_at_once_one_wins(client, staff, alice, mint) -> None:
    application = await submit(client, alice)
    other = mint("staff", "kim")
    first, second = await asyncio.gather(
        act(client, application, "review", staff),
        act(client, application, "deny", other, reason="not eligible"),
    )
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409]
    loser = first if first.status_code == 409 else second
    assert loser.json()["error"]["code"] in ("VERSION_CONFLICT", "TRANSITION_NOT_ALLOWED")


async def test_deny_needs_a_reason_and_sends_it(client, staff, alice) -> None:
    application = await submit(client, alice)
    missing = await act(client, application, "deny", staff)
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "reason"
    denied = (
        await act(client, application, "deny", staff, reason="Fingerprint check failed")
    ).json()
    assert denied["status"] == "denied"
    assert denied["decision_reason"] == "Fingerprint check failed"
    assert "Fingerprint check failed" in denied["notifications"][0]["body"]


async def test_approval_needs_the_application_fee(client, staff, alice) -> None:
    application = await submit(client, alice)
    response = await act(client, application, "approve", staff)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "APPROVAL_REQUIREMENT_UNMET"
    assert response.json()["error"]["field"] == "application_fee"


async def test_revision_after_the_hold_voids_only_when_confirmed(
    client, app, clock, staff, alice
) -> None:
    application = await submit(client, alice)
    await pay(client, application, staff)
    # Waiting on staff: day 120 and still not void, however late staff are.
    clock.advance(timedelta(days=120))
    late = (await client.get(f"/v1/applications/{application['id']}", headers=bearer(staff))).json()
    assert late["status"] == "submitted"
    warned = await act(client, late, "revision-requests", staff, items=["diploma"])
    assert warned.status_code == 409
    assert warned.json()["error"]["code"] == "REVISION_WOULD_VOID"
    assert "2026-06-08" in warned.json()["error"]["message"]
    unchanged = (
        await client.get(f"/v1/applications/{application['id']}", headers=bearer(staff))
    ).json()
    assert unchanged["version"] == late["version"]

    voided = (
        await act(client, late, "revision-requests", staff, items=["diploma"], confirm_void=True)
    ).json()
    assert voided["status"] == "void"
    assert voided["payments"][0]["forfeited_at"] is not None
    assert voided["notifications"][-1]["reason"] == "voided"


async def test_documents_are_versioned_during_a_revision(client, staff, alice) -> None:
    from ..factories import JPEG, PDF

    application = await submit(client, alice)
    upload = {"file": ("id2.pdf", PDF, "application/pdf")}
    refused = await client.post(
        f"/v1/applications/{application['id']}/documents",
        data={"kind": "government_id"},
        files=upload,
        headers=bearer(alice),
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "TRANSITION_NOT_ALLOWED"
    assert refused.json()["error"]["field"] == "status"
    assert "submitted" in refused.json()["error"]["message"]
    await act(client, application, "revision-requests", staff, items=["government_id"])
    added = await client.post(
        f"/v1/applications/{application['id']}/documents",
        data={"kind": "government_id"},
        files=upload,
        headers=bearer(alice),
    )
    assert added.status_code == 200, added.text
    ids = [d for d in added.json()["documents"] if d["kind"] == "government_id"]
    assert [(d["version"], d["current"], d["content_type"]) for d in ids] == [
        (2, True, "application/pdf"),
        (1, False, "image/jpeg"),
    ]
    old = await client.get(
        f"/v1/applications/{application['id']}/documents/{ids[1]['id']}", headers=bearer(staff)
    )
    assert old.content == JPEG


async def test_payments_are_recorded_once(client, app, staff, alice) -> None:
    application = await submit(client, alice)
    assert (await pay(client, application, staff, "ref-7")).status_code == 201
    again = await pay(client, application, staff, "ref-7")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "DUPLICATE_PAYMENT"
    async with app.state.sessions() as session:
        assert len((await session.exec(select(Payment))).all()) == 1
    assert (await pay(client, application, alice, "ref-8")).status_code == 403


async def test_status_messages_count_and_are_not_sent_twice(client, clock, staff, alice) -> None:
    application = await submit(client, alice)
    message = {"subject": "We received your application", "body": "We will review it soon."}
    url = f"/v1/applications/{application['id']}/notifications"
    sent = await client.post(url, json=message, headers=bearer(staff))
    assert sent.status_code == 201
    assert sent.json()["deadlines"]["first_notified_on"] == "2026-03-10"
    again = await client.post(url, json=message, headers=bearer(staff))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "DUPLICATE_NOTIFICATION"
    clock.advance(timedelta(days=1))
    assert (await client.post(url, json=message, headers=bearer(staff))).status_code == 201


async def test_a_status_message_is_audited(client, app, staff, alice) -> None:
    application = await submit(client, alice)
    message = {"subject": "Your fee has arrived", "body": "We will review it this week."}
    url = f"/v1/applications/{application['id']}/notifications"
    sent = (await client.post(url, json=message, headers=bearer(staff))).json()
    [notice] = sent["notifications"]
    async with app.state.sessions() as session:
        [record] = (
            await session.exec(
                select(AuditRecord).where(AuditRecord.action == "application.status_message_sent")
            )
        ).all()
    assert record.actor == "staff:sam"
    assert record.entity_type == "application"
    assert record.entity_id == application["id"]
    assert record.before is None
    assert record.after == {
        "notification_id": notice["id"],
        "reason": "status_message",
        "subject": "Your fee has arrived",
        "first_notified_on": "2026-03-10",
    }


async def test_a_background_check_on_a_closed_application_names_its_state(
    client, staff, alice
) -> None:
    application = await submit(client, alice)
    denied = (await act(client, application, "deny", staff, reason="not eligible")).json()
    refused = await act(client, denied, "background-check", staff, result="passed")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "TRANSITION_NOT_ALLOWED"
    assert error["field"] == "status"
    assert "denied" in error["message"]
