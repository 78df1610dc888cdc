"""Services killed with SIGKILL mid-delivery lose no event and handle none twice.

Applications publishes ``application.submitted`` to exams (and supervision) through its
outbox; each subscriber records the events it handled (``processed_event``, one row per event id, in
the handler's transaction), so an event sent again after a crash is answered ``duplicate``
and changes nothing. ``make test`` runs the short form (SQLite, a dozen events, each case);
``make crash`` runs the same with more events.
"""

from __future__ import annotations

import os
from collections import Counter

import httpx
import pytest

from certboard_core.roles import Role

from .conftest import MakeSystem
from .system import System, wait_until
from .traffic import as_uuid, submit

EVENTS = int(os.environ.get("CERTBOARD_CRASH_EVENTS", "12"))
# Supervision is left out to start faster: its deliveries wait, retried, and are not counted.
SUBSCRIBERS = ("exams",)

pytestmark = [pytest.mark.crash, pytest.mark.parametrize("db_backend", ["sqlite"])]


async def _submit(system: System, client: httpx.AsyncClient, numbers: range) -> None:
    for n in numbers:
        token = system.token(Role.APPLICANT, f"crash-{n}")
        answer = await submit(client, token, f"crash-{n}@example.org")
        assert answer.status_code == 201, answer.text


async def _deliveries(system: System, subscriber: str) -> list[tuple[object, ...]]:
    return await system.rows(
        "applications",
        "SELECT event_id, status, attempts, last_error, leased_until FROM outbox_delivery "
        "WHERE subscriber = :subscriber",
        subscriber=subscriber,
    )


async def _all_delivered(system: System) -> bool:
    for subscriber in SUBSCRIBERS:
        rows = await _deliveries(system, subscriber)
        if len(rows) != EVENTS or any(status != "delivered" for _, status, *_ in rows):
            return False
    return True


async def _wait_all_delivered(system: System, seconds: float) -> None:
    try:
        await wait_until(lambda: _all_delivered(system), seconds=seconds, what="all delivered")
    except AssertionError as late:
        state = {
            subscriber: Counter(
                (status, attempts, leased is not None)
                for _, status, attempts, _, leased in await _deliveries(system, subscriber)
            )
            for subscriber in SUBSCRIBERS
        }
        raise AssertionError(f"{late}; (status, attempts, leased): {state}") from None


async def _handled(system: System, service: str) -> int:
    return len(await system.rows(service, "SELECT event_id FROM processed_event"))


async def _assert_each_event_handled_once(system: System) -> None:
    for subscriber in SUBSCRIBERS:
        sent = [as_uuid(row[0]) for row in await _deliveries(system, subscriber)]
        handled = [
            as_uuid(row[0])
            for row in await system.rows(subscriber, "SELECT event_id FROM processed_event")
        ]
        assert len(sent) == EVENTS
        assert Counter(handled) == Counter(sent), subscriber


async def _a_delivery_to_exams_failed(system: System) -> bool:
    return any(row[3] is not None for row in await _deliveries(system, "exams"))


async def test_a_subscriber_killed_and_restarted_handles_each_event_once(
    make_system: MakeSystem,
) -> None:
    system = make_system()
    await system.start("applications", "exams")
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=30) as client:
        await _submit(system, client, range(EVENTS // 2))

        async def exams_is_handling() -> bool:
            return await _handled(system, "exams") > 0

        await wait_until(exams_is_handling, seconds=30, what="exams handling events")
        system.kill("exams")
        await _submit(system, client, range(EVENTS // 2, EVENTS))
        await wait_until(
            lambda: _a_delivery_to_exams_failed(system),
            seconds=30,
            what="a delivery to the killed exams failing",
        )
        await system.start("exams")
        await _wait_all_delivered(system, seconds=90)
    await _assert_each_event_handled_once(system)


async def test_a_publisher_killed_with_deliveries_pending_loses_none(
    make_system: MakeSystem,
) -> None:
    system = make_system()
    await system.start("applications", "exams")
    system.kill("exams")
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=30) as client:
        await _submit(system, client, range(EVENTS))

    async def each_waits_for_its_retry() -> bool:
        rows = await _deliveries(system, "exams")
        return len(rows) == EVENTS and all(row[2] >= 1 and row[4] is None for row in rows)

    # Every delivery to exams has failed once and waits for its retry, none under a lease (a
    # lease outlives its holder; the case below waits one out): now kill the publisher.
    await wait_until(each_waits_for_its_retry, seconds=30, what="each delivery tried once")
    system.kill("applications")
    await system.start("exams", "applications")
    await _wait_all_delivered(system, seconds=90)
    await _assert_each_event_handled_once(system)


async def test_a_publisher_killed_mid_hand_over_loses_none_and_handles_each_once(
    make_system: MakeSystem,
) -> None:
    # A short hand-over timeout and lease margin keep the lease that must lapse (claimed rows
    # x timeout + margin) near 15 s, instead of 10 s per row + 30 s: what happens is the same.
    system = make_system(
        CERTBOARD_OUTBOX_DELIVERY_TIMEOUT_SECONDS="1", CERTBOARD_OUTBOX_LEASE_MARGIN_SECONDS="3"
    )
    await system.start("applications", "exams")
    # Frozen, exams accepts connections but answers none: hand-overs hang under a lease.
    system.pause("exams")
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=30) as client:
        await _submit(system, client, range(EVENTS))

    async def a_lease_is_held() -> bool:
        return any(row[4] is not None for row in await _deliveries(system, "exams"))

    await wait_until(a_lease_is_held, seconds=30, what="deliveries to exams claimed")
    system.kill("applications")
    # Thawed, exams handles the requests that were waiting, whose sender is gone: the events
    # are handled now and sent again once the lease lapses, to be answered duplicate.
    system.resume("exams")
    await system.start("applications")
    await _wait_all_delivered(system, seconds=180)
    await _assert_each_event_handled_once(system)
