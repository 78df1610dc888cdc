"""The outbox: written with the change, delivered at least once with backoff, consumed once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from asgi_lifespan import LifespanManager
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.audit import AuditEntry, AuditRecord, record_audits
from certboard_core.clock import TestClock
from certboard_core.db import create_engine, metadata, session_factory
from certboard_core.dispatcher import OutboxDispatcher, retry_delay
from certboard_core.outbox import (
    DELIVERED,
    PENDING,
    EventEnvelope,
    LocalSubscriber,
    NewEvent,
    Outbox,
    OutboxDelivery,
    OutboxEvent,
    ProcessedEvent,
)
from certboard_core.rowset import RowSet, constant, json_object
from certboard_core.settings import ServiceSettings
from certboard_core.testing.plugin import T0, DatabaseFactory, bearer

CORE_TABLES = [m.__table__ for m in (AuditRecord, OutboxEvent, OutboxDelivery, ProcessedEvent)]  # type: ignore[attr-defined]
SUBSCRIBERS = {"exams": "http://exams", "supervision": "http://supervision"}


@pytest.fixture
async def database(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    url = database_factory(None)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: metadata.create_all(sync, tables=CORE_TABLES))
    await engine.dispose()
    return url


@pytest.fixture
async def engine(database: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


async def _publish(sessions: async_sessionmaker[AsyncSession], *, commit: bool = True) -> uuid.UUID:
    outbox = Outbox(source="applications", subscribers=SUBSCRIBERS)
    async with sessions() as session:
        event_id = await outbox.publish(
            session,
            type="application.approved",
            aggregate_type="application",
            aggregate_id="app-1",
            payload={"valid_through": "2027-03-09"},
            at=T0,
        )
        if commit:
            await session.commit()
        else:
            await session.rollback()
    return event_id


async def _deliveries(sessions: async_sessionmaker[AsyncSession]) -> dict[str, OutboxDelivery]:
    async with sessions() as session:
        rows = (await session.exec(select(OutboxDelivery))).all()
    return {row.subscriber: row for row in rows}


def _dispatcher(
    sessions: async_sessionmaker[AsyncSession], handler, clock: TestClock
) -> OutboxDispatcher:
    return OutboxDispatcher(
        sessions=sessions,
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        subscribers=SUBSCRIBERS,
        source="applications",
        token=lambda: "service-token",
        clock=clock,
        jitter=lambda: 0.0,
    )


async def test_an_event_exists_only_if_its_transaction_commits(sessions) -> None:
    await _publish(sessions, commit=False)
    assert await _deliveries(sessions) == {}
    event_id = await _publish(sessions)
    deliveries = await _deliveries(sessions)
    assert set(deliveries) == {"exams", "supervision"}
    assert {d.event_id for d in deliveries.values()} == {event_id}
    assert {d.status for d in deliveries.values()} == {PENDING}


async def test_delivery_posts_the_envelope_with_the_service_identity(sessions, clock) -> None:
    event_id = await _publish(sessions)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"outcome": "handled"})

    assert await _dispatcher(sessions, handler, clock).dispatch_once() == 2
    assert sorted(str(r.url) for r in seen) == [
        "http://exams/internal/events",
        "http://supervision/internal/events",
    ]
    envelope = EventEnvelope.model_validate_json(seen[0].content)
    assert envelope.id == event_id
    assert envelope.type == "application.approved"
    assert envelope.payload == {"valid_through": "2027-03-09"}
    assert seen[0].headers["Authorization"] == "Bearer service-token"
    assert {d.status for d in (await _deliveries(sessions)).values()} == {DELIVERED}


async def test_a_failed_delivery_is_retried_after_backoff_and_only_then(sessions, clock) -> None:
    await _publish(sessions)
    exams_up = False

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "exams" and not exams_up:
            return httpx.Response(503, text="down for maintenance")
        return httpx.Response(200)

    dispatcher = _dispatcher(sessions, handler, clock)
    assert await dispatcher.dispatch_once() == 1
    exams = (await _deliveries(sessions))["exams"]
    assert exams.status == PENDING
    assert exams.attempts == 1
    assert exams.last_error == "HTTP 503: down for maintenance"
    assert exams.next_attempt_at == T0 + timedelta(seconds=2)

    exams_up = True
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.dispatch_once() == 0  # not due yet
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.dispatch_once() == 1
    exams = (await _deliveries(sessions))["exams"]
    assert exams.status == DELIVERED
    assert exams.attempts == 2


async def test_an_unreachable_subscriber_is_a_retry_not_a_loss(sessions, clock) -> None:
    await _publish(sessions)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    dispatcher = _dispatcher(sessions, handler, clock)
    for _attempt in range(1, 4):
        assert await dispatcher.dispatch_once() == 0
        clock.advance(timedelta(minutes=30))
    rows = await _deliveries(sessions)
    assert {r.attempts for r in rows.values()} == {3}
    assert all(r.last_error and r.last_error.startswith("ConnectError") for r in rows.values())
    assert {r.status for r in rows.values()} == {PENDING}


async def test_a_claimed_delivery_is_not_sent_twice_by_a_second_replica(sessions, clock) -> None:
    await _publish(sessions)
    release, sending = asyncio.Event(), asyncio.Event()
    calls: list[str] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        sending.set()
        await release.wait()
        return httpx.Response(200)

    first = _dispatcher(sessions, slow, clock)
    second = _dispatcher(sessions, slow, clock)
    running = asyncio.create_task(first.dispatch_once())
    await sending.wait()  # the first replica has claimed its rows and is sending
    assert await second.dispatch_once() == 0
    release.set()
    assert await running == 2
    assert sorted(calls) == ["exams", "supervision"]


@given(st.integers(min_value=1, max_value=200), st.floats(min_value=0, max_value=0.999))
def test_backoff_grows_and_is_capped(attempts: int, jitter: float) -> None:
    delay = retry_delay(attempts, jitter=jitter)
    assert timedelta(seconds=2) <= delay <= timedelta(minutes=10) * 1.1
    assert retry_delay(attempts + 1) >= retry_delay(attempts)


def test_backoff_counts_failures_from_one() -> None:
    assert retry_delay(1) == timedelta(seconds=2)
    assert retry_delay(2) == timedelta(seconds=4)
    assert retry_delay(10) == timedelta(minutes=10)
    with pytest.raises(ValueError, match="starts at 1"):
        retry_delay(0)


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


async def test_events_of_several_types_go_each_to_its_own_recipients(sessions) -> None:
    async def mail(_: EventEnvelope) -> None:
        return None

    outbox = Outbox(
        source="applications",
        subscribers=SUBSCRIBERS,
        local={"mailer": LocalSubscriber(event_types=frozenset({"notice"}), handler=mail)},
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
