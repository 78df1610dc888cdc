"""Notices go in set-wise from typed rows, once per key, each mailed through the outbox; the
route that sends one by hand declares the errors it can give."""

from __future__ import annotations

import uuid

from sqlmodel import col, select

from applications.notification.models import Notification
from applications.notification.repository import NoticeRow
from applications.notification.service import NOTIFICATION_EVENT, send_notice_rows
from certboard_core.ids import new_ids
from certboard_core.outbox import OutboxEvent
from certboard_core.rowset import RowSet

from ..factories import submit


def _row(application_id: str, key: str, subject: str) -> NoticeRow:
    notice_id, event_id = new_ids(2)
    return NoticeRow(
        id=notice_id,
        application_id=application_id,
        reason="status_message",
        dedupe_key=key,
        recipient="maria.lopez@example.org",
        subject=subject,
        body=f"The words of {subject.lower()}.",
        event_id=event_id,
    )


async def test_notice_rows_land_in_their_named_columns_once_per_key(client, app, mint) -> None:
    application = await submit(client, mint("applicant", "alice"))
    application_id = uuid.UUID(application["id"]).hex
    first, second = _row(application_id, "k:1", "First"), _row(application_id, "k:2", "Second")
    state = app.state
    now = state.clock.now()
    today = state.policy.local_date(now)

    async def send(rows: list[NoticeRow]) -> list[uuid.UUID]:
        async with state.sessions() as session, session.begin():
            dialect = (await session.connection()).dialect.name
            return await send_notice_rows(
                session,
                RowSet.of(dialect, NoticeRow, rows),
                actor="staff:sam",
                at=now,
                today=today,
                outbox=state.outbox,
            )

    created = await send([first, second])
    # The same key again is a retry: nothing recorded, nothing mailed.
    assert await send([_row(application_id, "k:1", "First again")]) == []

    assert sorted(created) == sorted(uuid.UUID(hex=r.id) for r in (first, second))
    async with state.sessions() as session:
        stored = (
            await session.exec(select(Notification).where(col(Notification.id).in_(created)))
        ).all()
        mails = (
            await session.exec(select(OutboxEvent).where(OutboxEvent.type == NOTIFICATION_EVENT))
        ).all()
    assert {
        (n.id.hex, n.application_id.hex, n.reason, n.dedupe_key, n.recipient, n.subject, n.body)
        for n in stored
    } == {r[:7] for r in (first, second)}
    assert all(n.created_by == "staff:sam" and n.created_on == today for n in stored)
    assert {(e.id.hex, e.aggregate_id, e.payload["subject"]) for e in mails} == {
        (r.event_id, str(uuid.UUID(hex=r.id)), r.subject) for r in (first, second)
    }


async def test_the_status_message_route_declares_the_errors_it_gives(client) -> None:
    spec = (await client.get("/openapi.json")).json()
    responses = spec["paths"]["/v1/applications/{application_id}/notifications"]["post"][
        "responses"
    ]
    assert set(responses) == {"201", "400", "401", "403", "404", "409", "422", "429"}
    assert responses["400"]["description"] == "MALFORMED_BODY"
    assert responses["404"]["description"] == "NOT_FOUND"
    assert responses["409"]["description"] == "DUPLICATE_NOTIFICATION"
    assert responses["422"]["description"] == "VALIDATION_ERROR"


async def test_a_status_message_to_no_application_is_not_found(client, mint) -> None:
    response = await client.post(
        f"/v1/applications/{uuid.uuid4()}/notifications",
        json={"subject": "Where things stand", "body": "We have your file."},
        headers={"Authorization": f"Bearer {mint('staff', 'sam')}"},
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"
