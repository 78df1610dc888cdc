"""A pass recorded while applications is down certifies once it is back, and never twice.

Real processes (``tests/crash/system.py``): applications is killed with SIGKILL, exams'
outbox takes ``exam.passed`` (published through exams' own ``Outbox`` into its database, as
recording a pass will) and fails to deliver it; applications starts again, the retry lands,
and exactly one certification exists, however often the event is sent again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from certboard_core.cli import BACKENDS
from certboard_core.db import create_engine, session_factory
from certboard_core.devissuer import ensure_dev_key
from certboard_core.outbox import Outbox
from certboard_core.roles import Role
from certboard_core.testing.plugin import DatabaseFactory, bearer
from tests.crash.system import System, free_base_port, wait_until
from tests.crash.traffic import as_uuid, submit

pytestmark = [pytest.mark.processes, pytest.mark.parametrize("db_backend", ["sqlite"])]


@pytest.fixture
def system(database_factory: DatabaseFactory, tmp_path: Path) -> Iterator[System]:
    ensure_dev_key(tmp_path)
    made = System(
        data_dir=tmp_path,
        databases={p.name: database_factory(p.name) for p in BACKENDS},
        base_port=free_base_port(),
    )
    try:
        yield made
    finally:
        made.stop_all()


async def _approved(system: System, client: httpx.AsyncClient) -> dict[str, str]:
    """Alice's application, its fee recorded and approved by staff."""
    staff = bearer(system.token(Role.STAFF, "sam"))
    submitted = await submit(client, system.token(Role.APPLICANT, "alice"), "alice@example.org")
    assert submitted.status_code == 201, submitted.text
    application = submitted.json()
    path = f"/v1/applications/{application['id']}"
    fee = {
        "kind": "application",
        "amount_cents": 0,
        "reference": "fee-1",
        "paid_at": "2026-01-05T17:00:00Z",
    }
    assert (await client.post(f"{path}/payments", json=fee, headers=staff)).status_code == 201
    body = {"expected_version": application["version"]}
    approved = await client.post(f"{path}/approve", json=body, headers=staff)
    assert approved.status_code == 200, approved.text
    return {"id": application["id"], "applicant_id": "alice"}


async def _publish_pass(system: System, application: dict[str, str]) -> uuid.UUID:
    """Record ``exam.passed`` in exams' outbox the way exams does: its own Outbox, its database."""
    engine = create_engine(system.databases["exams"])
    outbox = Outbox(source="exams", subscribers={"applications": system.url("applications")})
    try:
        async with session_factory(engine)() as session, session.begin():
            return await outbox.publish(
                session,
                type="exam.passed",
                aggregate_type="attempt",
                aggregate_id="attempt-1",
                payload={
                    "attempt_id": "attempt-1",
                    "authorization_id": str(uuid.uuid4()),
                    "application_id": application["id"],
                    "applicant_id": application["applicant_id"],
                    "taken_on": datetime.now(UTC).date().isoformat(),
                    "correct": 110,
                    "total": 120,
                },
                at=datetime.now(UTC),
            )
    finally:
        await engine.dispose()


async def _delivery(system: System, event_id: uuid.UUID) -> tuple[str, int]:
    rows = await system.rows(
        "exams",
        "SELECT event_id, status, attempts FROM outbox_delivery WHERE subscriber = 'applications'",
    )
    [(status, attempts)] = [(s, a) for e, s, a in rows if as_uuid(e) == event_id]
    return status, attempts


async def _send_again(system: System) -> None:
    """Make exams' delivery to applications due again, as if its settling had been lost."""
    engine = create_engine(system.databases["exams"])
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE outbox_delivery SET status = 'pending', next_attempt_at = :due, "
                    "leased_until = NULL WHERE subscriber = 'applications'"
                ),
                {"due": datetime(2000, 1, 1, tzinfo=UTC)},
            )
    finally:
        await engine.dispose()


async def _certifications(system: System) -> list[tuple[object, ...]]:
    return await system.rows("applications", "SELECT application_id, number FROM certification")


async def test_a_pass_recorded_while_applications_is_down_certifies_once(system: System) -> None:
    await system.start("applications", "exams")
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=30) as client:
        application = await _approved(system, client)

    system.kill("applications")
    event_id = await _publish_pass(system, application)

    async def tried_and_failed() -> bool:
        status, attempts = await _delivery(system, event_id)
        return status == "pending" and attempts >= 1

    await wait_until(tried_and_failed, seconds=60, what="exams tried applications while down")
    assert await _certifications(system) == []

    await system.start("applications")

    async def delivered() -> bool:
        return (await _delivery(system, event_id))[0] == "delivered"

    await wait_until(delivered, seconds=90, what="the pass delivered after the restart")
    # The same event sent again (as after a crash before exams settled it) changes nothing.
    await _send_again(system)
    await wait_until(delivered, seconds=90, what="the pass delivered a second time")

    [(application_id, number)] = await _certifications(system)
    assert as_uuid(application_id) == uuid.UUID(application["id"])
    handled = await system.rows(
        "applications", "SELECT event_id FROM processed_event WHERE type = 'exam.passed'"
    )
    assert [as_uuid(row[0]) for row in handled] == [event_id]
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=30) as client:
        verified = await client.get(f"/v1/verification/{number}")
        view = await client.get(
            f"/v1/applications/{application['id']}",
            headers=bearer(system.token(Role.APPLICANT, "alice")),
        )
    assert verified.json()["status"] == "active"
    assert view.json()["status"] == "certified"
    assert view.json()["certification"]["number"] == number
