"""The outbox: written with the change, consumed once (delivery is ``test_dispatcher.py``)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from asgi_lifespan import LifespanManager
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.audit import AuditEntry, AuditRecord, record_audits
from certboard_core.clock import TestClock
from certboard_core.outbox import (
    PENDING,
    EventEnvelope,
    LocalSubscriber,
    NewEvent,
    Outbox,
    OutboxDelivery,
    OutboxEvent,
)
from certboard_core.rowset import RowSet, constant, json_object
from certboard_core.settings import ServiceSettings
from certboard_core.testing.plugin import T0, bearer

from .factories import SUBSCRIBERS, deliveries_by_subscriber, publish


async def test_an_event_exists_only_if_its_transaction_commits(sessions, clock) -> None:
    await publish(sessions, clock, commit=False)
    assert await deliveries_by_subscriber(sessions) == {}
    event_id = await publish(sessions, clock)
    deliveries = await deliveries_by_subscriber(sessions)
    assert set(deliveries) == {"exams", "supervision"}
    assert {d.event_id for d in deliveries.values()} == {event_id}
    assert {d.status for d in deliveries.values()} == {PENDING}


async def test_deliveries_are_due_on_real_time_whatever_the_business_clock_shows(
    database: str, dev_data_dir: Path
) -> None:
    business = TestClock()
    received: list[EventEnvelope] = []

    def subscriber(request: httpx.Request) -> httpx.Response:
        received.append(EventEnvelope.model_validate_json(request.content))
        return httpx.Response(200)

    settings = ServiceSettings(
        service_name="applications",
        environment="test",
        data_dir=dev_data_dir,
        database_url=database,
        outbox_subscribers=SUBSCRIBERS,
        log_json=False,
    )
    spec = ServiceSpec(title="publisher", description="", settings=settings, routers=[])
    app = create_service_app(
        spec, clock=business, http_transport=httpx.MockTransport(subscriber), run_background=False
    )
    published: dict[uuid.UUID, datetime] = {}
    async with LifespanManager(app):
        for years in (5, -5, 100, -30):
            business.reset()
            business.advance(timedelta(days=365 * years))
            at = business.now()
            async with app.state.sessions() as session, session.begin():
                event_id = await app.state.outbox.publish(
                    session,
                    type="application.approved",
                    aggregate_type="application",
                    aggregate_id=f"moved-{years}",
                    payload={},
                    at=at,
                )
            published[event_id] = at
        assert await app.state.dispatcher.dispatch_once() == 2 * len(published)
    assert sorted((e.id, e.occurred_at) for e in received) == sorted(
        (event_id, at) for event_id, at in published.items() for _ in SUBSCRIBERS
    )


@pytest.fixture
async def consumer(
    database: str, dev_data_dir: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, list]]:
    handled: list[EventEnvelope] = []

    async def on_approved(session: AsyncSession, event: EventEnvelope) -> None:
        if event.payload.get("explode"):
            raise RuntimeError("handler failed")
        handled.append(event)
        session.add(
            AuditRecord(
                occurred_at=T0,
                actor="service:applications",
                action="seen",
                entity_type="event",
                entity_id=str(event.id),
            )
        )

    settings = ServiceSettings(
        service_name="exams",
        environment="test",
        data_dir=dev_data_dir,
        database_url=database,
        log_json=False,
    )
    app = create_service_app(
        ServiceSpec(
            title="consumer",
            description="",
            settings=settings,
            routers=[],
            event_handlers={"application.approved": on_approved},
        )
    )
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://exams") as client:
            yield client, handled


def _envelope(**payload: object) -> dict:
    return EventEnvelope(
        id=uuid.uuid4(),
        type="application.approved",
        source="applications",
        aggregate_type="application",
        aggregate_id="a-1",
        occurred_at=datetime(2026, 3, 10, tzinfo=UTC),
        payload=dict(payload),
    ).model_dump(mode="json")


async def test_the_same_event_twice_is_handled_once(consumer, mint) -> None:
    client, handled = consumer
    service = bearer(mint("service", "service:applications"))
    envelope = _envelope(valid_through="2027-03-09")
    first = await client.post("/internal/events", json=envelope, headers=service)
    again = await client.post("/internal/events", json=envelope, headers=service)
    assert first.json()["outcome"] == "handled"
    assert again.json()["outcome"] == "duplicate"
    assert [str(e.id) for e in handled] == [envelope["id"]]


async def test_a_failing_handler_leaves_the_event_to_be_retried(consumer, mint) -> None:
    client, handled = consumer
    service = bearer(mint("service", "service:applications"))
    envelope = _envelope(explode=True)
    failed = await client.post("/internal/events", json=envelope, headers=service)
    assert failed.status_code == 500
    assert failed.json()["error"]["code"] == "INTERNAL"
    # Nothing was recorded, so the publisher's retry is handled rather than skipped.
    retried = await client.post(
        "/internal/events", json=_envelope() | {"id": envelope["id"]}, headers=service
    )
    assert retried.json()["outcome"] == "handled"
    assert len(handled) == 1


async def test_unknown_events_are_acknowledged_and_only_services_may_send(consumer, mint) -> None:
    client, _ = consumer
    other = _envelope() | {"type": "exam.passed"}
    service = bearer(mint("service", "service:exams"))
    assert (await client.post("/internal/events", json=other, headers=service)).json()[
        "outcome"
    ] == "ignored"
    staff = await client.post(
        "/internal/events", json=_envelope(), headers=bearer(mint("staff", "s"))
    )
    assert staff.status_code == 403


async def test_events_of_several_types_go_each_to_its_own_recipients(sessions, clock) -> None:
    async def mail(_: EventEnvelope) -> None:
        return None

    outbox = Outbox(
        source="applications",
        subscribers=SUBSCRIBERS,
        local={"mailer": LocalSubscriber(event_types=frozenset({"notice"}), handler=mail)},
        clock=clock,
    )
    events = [
        NewEvent("application.void", "application", "a-1", {"on": "2026-03-10", "n": 1}),
        NewEvent("notice", "notification", "n-1", {"to": "a@example.org", "body": 'say "hi"'}),
        NewEvent("application.void", "application", "a-2", {"nested": {"list": [1, None]}}),
    ]
    async with sessions() as session, session.begin():
        ids = await outbox.publish_many(session, events, at=T0)
    async with sessions() as session:
        stored = {e.id: e for e in (await session.exec(select(OutboxEvent))).all()}
        deliveries = (await session.exec(select(OutboxDelivery))).all()
    assert [(stored[i].type, stored[i].aggregate_id, stored[i].payload) for i in ids] == [
        (e.type, e.aggregate_id, e.payload) for e in events
    ]
    assert all(e.occurred_at == T0 for e in stored.values())
    assert sorted((d.event_id, d.subscriber) for d in deliveries) == sorted(
        [
            *((ids[0], "exams"), (ids[0], "supervision"), (ids[1], "mailer")),
            *((ids[2], "exams"), (ids[2], "supervision")),
        ]
    )
    assert {(d.status, d.attempts, d.next_attempt_at) for d in deliveries} == {(PENDING, 0, T0)}


async def test_audit_records_keep_before_and_after_as_given(sessions) -> None:
    entries = [
        AuditEntry("sam", "thing.created", "thing", "t-1", None, {"name": "Ünïcode 'quoted'"}),
        AuditEntry("sam", "thing.renamed", "thing", "t-1", {"v": 1}, {"v": 2, "tags": []}),
    ]
    async with sessions() as session, session.begin():
        await record_audits(session, entries, at=T0)
    async with sessions() as session:
        rows = (await session.exec(select(AuditRecord).order_by(AuditRecord.id))).all()
    assert [(r.actor, r.action, r.entity_id, r.before, r.after) for r in rows] == [
        (e.actor, e.action, e.entity_id, e.before, e.after) for e in entries
    ]
    assert {r.occurred_at for r in rows} == {T0}


async def test_a_row_set_reads_back_as_a_table(sessions) -> None:
    ident = uuid.uuid4()
    async with sessions() as session:
        connection = await session.connection()
        rows = RowSet(
            connection.dialect.name,
            ("id", "n", "text", "doc"),
            [(ident, 41, 'it\'s "quoted" ✓', {"a": [1, None]}), (ident.hex, 0, "", None)],
        )
        result = await connection.execute(
            sa.select(
                rows.uuid("id"),
                rows.uuid_text("id"),
                rows.integer("n") + 1,
                rows.text("text"),
                json_object(
                    constant("n"), rows.integer("n"), constant("doc"), rows.document("doc")
                ),
            ).select_from(rows.table)
        )
        got = [tuple(r) for r in result.all()]
    assert got == [
        (ident, str(ident), 42, 'it\'s "quoted" ✓', {"n": 41, "doc": {"a": [1, None]}}),
        (ident, str(ident), 1, "", {"n": 0, "doc": None}),
    ]
