"""The dispatcher: at least once, with backoff, each subscriber on its own, one sender per row."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.clock import TestClock
from certboard_core.dispatcher import LEASE_MARGIN, SETTLE_TIME, OutboxDispatcher, retry_delay
from certboard_core.outbox import DELIVERED, PENDING, EventEnvelope, OutboxDelivery
from certboard_core.testing.plugin import T0

from .factories import SUBSCRIBERS, all_deliveries, deliveries_by_subscriber, publish

TIMEOUT = timedelta(seconds=10)


def _dispatcher(
    sessions: async_sessionmaker[AsyncSession],
    handler,
    clock: TestClock,
    *,
    subscribers: dict[str, str] = SUBSCRIBERS,
    delivery_timeout: timedelta = TIMEOUT,
    lease_margin: timedelta = LEASE_MARGIN,
) -> OutboxDispatcher:
    return OutboxDispatcher(
        sessions=sessions,
        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)),
        subscribers=subscribers,
        source="applications",
        token=lambda: "service-token",
        clock=clock,
        delivery_timeout=delivery_timeout,
        lease_margin=lease_margin,
        jitter=lambda: 0.0,
    )


async def test_delivery_posts_the_envelope_with_the_service_identity(sessions, clock) -> None:
    event_id = await publish(sessions, clock)
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
    assert {d.status for d in (await deliveries_by_subscriber(sessions)).values()} == {DELIVERED}


async def test_a_failed_delivery_is_retried_after_backoff_and_only_then(sessions, clock) -> None:
    await publish(sessions, clock)
    exams_up = False

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "exams" and not exams_up:
            return httpx.Response(503, text="down for maintenance")
        return httpx.Response(200)

    dispatcher = _dispatcher(sessions, handler, clock)
    assert await dispatcher.dispatch_once() == 1
    exams = (await deliveries_by_subscriber(sessions))["exams"]
    assert exams.status == PENDING
    assert exams.attempts == 1
    assert exams.last_error == "HTTP 503: down for maintenance"
    assert exams.next_attempt_at == T0 + timedelta(seconds=2)

    exams_up = True
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.dispatch_once() == 0  # not due yet
    clock.advance(timedelta(seconds=1))
    assert await dispatcher.dispatch_once() == 1
    exams = (await deliveries_by_subscriber(sessions))["exams"]
    assert exams.status == DELIVERED
    assert exams.attempts == 2


async def test_an_unreachable_subscriber_is_a_retry_not_a_loss(sessions, clock) -> None:
    await publish(sessions, clock)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    dispatcher = _dispatcher(sessions, handler, clock)
    for _attempt in range(1, 4):
        assert await dispatcher.dispatch_once() == 0
        clock.advance(timedelta(minutes=30))
    rows = await deliveries_by_subscriber(sessions)
    assert {r.attempts for r in rows.values()} == {3}
    assert all(r.last_error and r.last_error.startswith("ConnectError") for r in rows.values())
    assert {r.status for r in rows.values()} == {PENDING}


async def test_a_claimed_delivery_is_not_sent_twice_by_a_second_replica(sessions, clock) -> None:
    await publish(sessions, clock)
    release, sending = asyncio.Event(), asyncio.Event()
    calls: list[str] = []

    async def slow(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        if len(calls) == len(SUBSCRIBERS):
            sending.set()
        await release.wait()
        return httpx.Response(200)

    first = _dispatcher(sessions, slow, clock)
    second = _dispatcher(sessions, slow, clock)
    running = asyncio.create_task(first.dispatch_once())
    # Both of the first replica's lanes have claimed their row and are sending (waiting for
    # only one would let the second replica win the other lane's claim, which is correct).
    await sending.wait()
    assert await second.dispatch_once() == 0
    release.set()
    assert await running == 2
    assert sorted(calls) == ["exams", "supervision"]


async def test_on_postgresql_rows_being_claimed_elsewhere_are_skipped_not_waited_for(
    sessions, clock, db_backend: str
) -> None:
    if db_backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: BEGIN IMMEDIATE serialises the claims")
    await publish(sessions, clock)
    exams = select(OutboxDelivery.id).where(OutboxDelivery.subscriber == "exams")
    async with sessions() as replica, replica.begin():
        await replica.exec(exams.with_for_update())  # another replica, mid-claim
        async with asyncio.timeout(10):  # a guard: a claim that waits for the lock never ends
            sent = await _dispatcher(sessions, lambda _: httpx.Response(200), clock).dispatch_once()
    assert sent == 1
    assert {s: d.status for s, d in (await deliveries_by_subscriber(sessions)).items()} == {
        "exams": PENDING,
        "supervision": DELIVERED,
    }


async def test_a_frozen_subscriber_does_not_hold_up_the_others(sessions, clock) -> None:
    for _ in range(3):
        await publish(sessions, clock)
    thawed, supervision_has_all = asyncio.Event(), asyncio.Event()
    supervision_calls = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal supervision_calls
        if request.url.host == "exams":
            await thawed.wait()
        else:
            supervision_calls += 1
            if supervision_calls == 3:
                supervision_has_all.set()
        return httpx.Response(200)

    running = asyncio.create_task(_dispatcher(sessions, handler, clock).dispatch_once())
    try:
        # A guard only: a dispatcher that sends one delivery after another never gets here.
        async with asyncio.timeout(10):
            await supervision_has_all.wait()
        statuses = [(d.subscriber, d.status) for d in await all_deliveries(sessions)]
        assert statuses.count(("supervision", DELIVERED)) >= 2  # the third is being settled
        assert statuses.count(("exams", DELIVERED)) == 0
    finally:
        thawed.set()
    assert await running == 6
    assert {d.status for d in await all_deliveries(sessions)} == {DELIVERED}


async def test_while_one_subscriber_is_frozen_later_events_reach_the_others(
    sessions, clock
) -> None:
    await publish(sessions, clock)
    thawed, arrived = asyncio.Event(), asyncio.Event()
    supervision_got: list[str] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "exams":
            await thawed.wait()
        else:
            supervision_got.append(EventEnvelope.model_validate_json(request.content).id.hex)
            arrived.set()
        return httpx.Response(200)

    dispatcher = _dispatcher(sessions, handler, clock)
    # No pause between looks, so the later event is found without waiting for a poll.
    running = asyncio.create_task(dispatcher.run(poll_seconds=0))
    try:
        async with asyncio.timeout(10):  # a guard only, as above
            await arrived.wait()
            arrived.clear()
            later = await publish(sessions, clock)
            await arrived.wait()
        assert supervision_got[-1] == later.hex
    finally:
        thawed.set()
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


async def test_a_replica_never_sends_what_another_holds_under_a_long_claim(sessions, clock) -> None:
    exams_only = {"exams": "http://exams"}
    for _ in range(10):
        await publish(sessions, clock, subscribers=exams_only)
    sent: list[str] = []
    replica_sent: list[int] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(EventEnvelope.model_validate_json(request.content).id.hex)
        return httpx.Response(200)

    replica = _dispatcher(sessions, record, clock, subscribers=exams_only)

    async def slow(request: httpx.Request) -> httpx.Response:
        clock.advance(TIMEOUT)  # each hand-over takes as long as it may
        if len(sent) == 6:  # 70 s into the batch: past a fixed 60 s lease
            replica_sent.append(await replica.dispatch_once())
        return record(request)

    first = _dispatcher(sessions, slow, clock, subscribers=exams_only)
    assert await first.dispatch_once() == 10
    assert replica_sent == [0]
    assert len(sent) == len(set(sent)) == 10


async def test_a_lane_starts_no_hand_over_that_could_outlast_its_lease(sessions, clock) -> None:
    exams_only = {"exams": "http://exams"}
    for _ in range(10):
        await publish(sessions, clock, subscribers=exams_only)
    sent: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(EventEnvelope.model_validate_json(request.content).id.hex)
        return httpx.Response(200)

    def slower_than_its_timeout(request: httpx.Request) -> httpx.Response:
        clock.advance(2 * TIMEOUT)
        return record(request)

    first = _dispatcher(sessions, slower_than_its_timeout, clock, subscribers=exams_only)
    replica = _dispatcher(sessions, record, clock, subscribers=exams_only)
    lease = 10 * TIMEOUT + LEASE_MARGIN
    # Hand-overs may start until the lease less a timeout and the settling time: 0, 20, .. 100 s.
    assert lease - TIMEOUT - SETTLE_TIME == timedelta(seconds=110)
    assert await first.dispatch_once() == 6
    assert await replica.dispatch_once() == 0  # the rest are still leased to the first
    clock.set(T0 + lease + timedelta(microseconds=1))
    assert await replica.dispatch_once() == 4
    assert len(sent) == len(set(sent)) == 10


async def test_a_shorter_lease_margin_shortens_the_lease_and_its_settling_time(
    sessions, clock
) -> None:
    """The crash tests' setting: leases lapse sooner, and still outlast what they cover."""
    exams_only = {"exams": "http://exams"}
    for _ in range(10):
        await publish(sessions, clock, subscribers=exams_only)
    margin = timedelta(seconds=3)
    sent: list[str] = []

    def slower_than_its_timeout(request: httpx.Request) -> httpx.Response:
        clock.advance(2 * TIMEOUT)
        sent.append(EventEnvelope.model_validate_json(request.content).id.hex)
        return httpx.Response(200)

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(EventEnvelope.model_validate_json(request.content).id.hex)
        return httpx.Response(200)

    first = _dispatcher(
        sessions, slower_than_its_timeout, clock, subscribers=exams_only, lease_margin=margin
    )
    replica = _dispatcher(sessions, record, clock, subscribers=exams_only, lease_margin=margin)
    lease = 10 * TIMEOUT + margin  # 103 s: hand-overs start until 103 - 10 - 1 = 92 s
    assert await first.dispatch_once() == 5  # at 0, 20, .. 80 s
    assert await replica.dispatch_once() == 0
    clock.set(T0 + lease)
    assert await replica.dispatch_once() == 0  # not a moment before it lapses
    clock.set(T0 + lease + timedelta(microseconds=1))
    assert await replica.dispatch_once() == 5
    assert len(sent) == len(set(sent)) == 10


class TickingClock:
    """Real time's habit: a little later at every look."""

    def __init__(self) -> None:
        self.at = T0

    def now(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


async def test_a_batch_of_one_is_sent_though_time_passes_after_its_claim(sessions) -> None:
    clock = TickingClock()
    await publish(sessions, clock, subscribers={"exams": "http://exams"})
    dispatcher = OutboxDispatcher(
        sessions=sessions,
        client=httpx.AsyncClient(transport=httpx.MockTransport(lambda _: httpx.Response(200))),
        subscribers={"exams": "http://exams"},
        source="applications",
        token=lambda: "service-token",
        clock=clock,
    )
    assert await dispatcher.dispatch_once() == 1


async def test_a_hand_over_that_outlasts_its_timeout_is_a_retry(sessions, clock) -> None:
    await publish(sessions, clock)
    never = asyncio.Event()

    async def hung(request: httpx.Request) -> httpx.Response:
        await never.wait()
        return httpx.Response(200)

    # A zero timeout cuts the hand-over off at its first wait, without waiting in real time.
    dispatcher = _dispatcher(sessions, hung, clock, delivery_timeout=timedelta(0))
    assert await dispatcher.dispatch_once() == 0
    rows = await deliveries_by_subscriber(sessions)
    assert {(r.status, r.attempts, r.last_error) for r in rows.values()} == {
        (PENDING, 1, "no answer within 0 s")
    }
    assert {r.next_attempt_at for r in rows.values()} == {T0 + retry_delay(1)}
    assert {r.leased_until for r in rows.values()} == {None}


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
