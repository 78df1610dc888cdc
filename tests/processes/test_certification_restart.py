"""A pass recorded while applications is down certifies once it is back, and never twice.

Real processes (``tests/crash/system.py``): alice's application is approved, her training
certificate accepted and her exam fee paid through applications' API, and exams grants her an
authorization on a live form. Applications is killed with SIGKILL; exams records her passing
attempt (``POST /v1/attempts``), and its outbox fails to deliver ``exam.passed``; applications
starts again, the retry lands, and exactly one certification exists, however often the event
is sent again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from certboard_core.cli import BACKENDS
from certboard_core.db import create_engine
from certboard_core.devissuer import ensure_dev_key
from certboard_core.roles import Role
from certboard_core.testing.plugin import DatabaseFactory, bearer
from tests.crash.system import System, free_base_port, wait_until
from tests.crash.traffic import as_uuid, record_payment, submit
from tests.e2e.rest import FORM_KEY, academy, exam_form, ready_for_exam

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


async def _authorized(system: System) -> dict[str, str]:
    """Alice's application approved and ready for the exam, and her authorization to test on
    a live form: ``{"application_id", "authorization_id", "form_id"}``."""
    staff, alice = system.token(Role.STAFF, "sam"), system.token(Role.APPLICANT, "alice")
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=30) as client:
        submitted = await submit(client, alice, "alice@example.org")
        assert submitted.status_code == 201, submitted.text
        application = submitted.json()
        paid = await record_payment(client, staff, application["id"], "fee-1")
        assert paid.status_code == 201, paid.text
        approved = await client.post(
            f"/v1/applications/{application['id']}/approve",
            json={"expected_version": application["version"]},
            headers=bearer(staff),
        )
        assert approved.status_code == 200, approved.text
        provider_id, program_id = await academy(client, staff, "Recovery Academy")
        provider = system.token(Role.PROVIDER, "academy", provider_id=provider_id)
        await ready_for_exam(
            client,
            application,
            staff=staff,
            provider=(provider, provider_id, program_id),
            completed_on=date.today() - timedelta(days=30),
            paid_at=datetime.now(UTC),
        )
    async with httpx.AsyncClient(base_url=system.url("exams"), timeout=30) as client:
        form = await exam_form(client, staff, "restart-1", live=True)
        request = {
            "application_id": application["id"],
            "language": "en",
            "delivery_mode": "test_centre",
        }
        granted = await client.post("/v1/exam-authorizations", json=request, headers=bearer(alice))
        assert granted.status_code == 200, granted.text
    return {
        "application_id": application["id"],
        "authorization_id": granted.json()["id"],
        "form_id": form["id"],
    }


async def _record_pass(system: System, exam: dict[str, str]) -> uuid.UUID:
    """Exams records alice's attempt, every item answered right; the id of its exam.passed."""
    body = {
        "authorization_id": exam["authorization_id"],
        "form_id": exam["form_id"],
        "taken_at": datetime.now(UTC).isoformat(),
        "responses": {str(n): key for n, key in enumerate(FORM_KEY, start=1)},
    }
    async with httpx.AsyncClient(base_url=system.url("exams"), timeout=30) as client:
        recorded = await client.post(
            "/v1/attempts", json=body, headers=bearer(system.token(Role.SERVICE, "vendor"))
        )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["passed"] is True, recorded.text
    [(event_id,)] = await system.rows(
        "exams", "SELECT id FROM outbox_event WHERE type = 'exam.passed'"
    )
    return as_uuid(event_id)


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
    exam = await _authorized(system)

    system.kill("applications")
    event_id = await _record_pass(system, exam)

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
    assert as_uuid(application_id) == uuid.UUID(exam["application_id"])
    handled = await system.rows(
        "applications", "SELECT event_id FROM processed_event WHERE type = 'exam.passed'"
    )
    assert [as_uuid(row[0]) for row in handled] == [event_id]
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=30) as client:
        verified = await client.get(f"/v1/verification/{number}")
        view = await client.get(
            f"/v1/applications/{exam['application_id']}",
            headers=bearer(system.token(Role.APPLICANT, "alice")),
        )
    assert verified.json()["status"] == "active"
    assert view.json()["status"] == "certified"
    assert view.json()["certification"]["number"] == number
