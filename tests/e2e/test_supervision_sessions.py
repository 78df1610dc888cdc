"""Supervision through the gateway: hours, a session signed off, the compliance report, and
the short-week reminder the supervision sweep sends through the applications' notices."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlmodel import select

from applications.notification.models import Notification, NotificationReason
from applications.notification.service import NOTIFICATION_EVENT
from certboard_core.outbox import OutboxEvent
from certboard_core.testing.plugin import bearer
from supervision.agreement.models import SupervisionAgreement
from supervision.policy import build_policy

from .conftest import System
from .helpers import (
    application_input,
    data_of,
    error_of,
    qualified_supervisor,
    set_clock,
    uploads,
)

SUBMIT = "mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }"
REPORT = """
mutation($a: ID!) {
  reportHoursWorked(agreementId: $a, period: WEEK, startsOn: "2026-03-02", hours: "20.01") {
    id hours period startsOn current version
  }
}
"""
LOG = """
mutation($input: SessionLogInput!) {
  logSupervisionSession(input: $input) { id minutes locked version startTime stopTime }
}
"""
SIGN = """
mutation($id: ID!, $v: Int!) {
  signOffSupervisionSession(id: $id, expectedVersion: $v, supervisorName: "Dr. Sam Ortiz",
                            supervisorLicenseNumber: "LCSW-1234") {
    id locked signedOffBy supervisorLicenseNumber version
  }
}
"""
COMPLIANCE = """
query($peer: String) {
  supervisionCompliance(from: "2026-03-04", to: "2026-03-04", peerApplicantId: $peer) {
    startsOn endsOn
    peers {
      peerApplicantId compliant hoursWorked requiredMinutes shortfallMinutes
      weeks { weekStartsOn hoursWorked supervisedMinutes sessions requiredMinutes
              shortfallMinutes missingSession capExceededOn compliant }
    }
  }
}
"""
SESSIONS = "{ supervisionSessions { items { id peerName locked } nextCursor } }"


async def _agreement(system: System) -> str:
    row = SupervisionAgreement(
        peer_applicant_id="alice",
        supervisor_id="sup-s",
        employer="Helena Peer Center",
        starts_on=date(2026, 1, 1),
        signed_by_peer_at=datetime(2026, 1, 2, tzinfo=UTC),
        signed_by_supervisor_at=datetime(2026, 1, 3, tzinfo=UTC),
        relationship_attested=True,
        created_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    async with system.services["supervision"].state.sessions() as session:
        session.add_all([qualified_supervisor("sup-s"), row])
        await session.commit()
    return str(row.id)


async def test_a_short_week_is_reported_and_reminded_once(system: System, mint: Any) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sue")
    sam = mint("supervisor", "sup-s")
    tess = mint("supervisor", "sup-t")
    supervision = system.services["supervision"]
    supervision.state.policy = build_policy("MT")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    await data_of(system, SUBMIT, {"input": application_input()}, token=alice, files=uploads())
    agreement = await _agreement(system)

    hours = (await data_of(system, REPORT, {"a": agreement}, token=alice))["reportHoursWorked"]
    assert (hours["hours"], hours["period"], hours["current"]) == ("20.01", "WEEK", True)
    session_input = {
        "agreementId": agreement,
        "peerName": "Maria Lopez",
        "heldOn": "2026-03-04",
        "startTime": "10:00",
        "stopTime": "11:00",
        "format": "INDIVIDUAL",
        "topics": ["ASSESSMENTS", "PLANNING"],
    }
    logged = (await data_of(system, LOG, {"input": session_input}, token=alice))[
        "logSupervisionSession"
    ]
    assert (logged["minutes"], logged["locked"], logged["startTime"]) == (60, False, "10:00")
    # Another supervisor cannot sign it; its own can, once.
    refused = await error_of(system, SIGN, {"id": logged["id"], "v": 1}, token=tess)
    assert refused["code"] == "NOT_FOUND"
    signed = (await data_of(system, SIGN, {"id": logged["id"], "v": 1}, token=sam))[
        "signOffSupervisionSession"
    ]
    assert (signed["locked"], signed["signedOffBy"], signed["supervisorLicenseNumber"]) == (
        True,
        "supervisor:sup-s",
        "LCSW-1234",
    )
    locked = await error_of(system, SIGN, {"id": logged["id"], "v": 2}, token=sam)
    assert locked["code"] == "SESSION_LOCKED"
    # A session still running at 11:00 local (Denver) is refused, with its field.
    future = {**session_input, "heldOn": "2026-03-10", "startTime": "10:30", "stopTime": "11:15"}
    too_soon = await error_of(system, LOG, {"input": future}, token=alice)
    assert (too_soon["code"], too_soon["field"]) == ("IN_FUTURE", "stop_time")

    report = (await data_of(system, COMPLIANCE, {}, token=staff))["supervisionCompliance"]
    assert (report["startsOn"], report["endsOn"]) == ("2026-03-02", "2026-03-08")
    (peer,) = report["peers"]
    assert peer["weeks"] == [
        {
            "weekStartsOn": "2026-03-02",
            "hoursWorked": "20.01",
            "supervisedMinutes": 60,
            "sessions": 1,
            "requiredMinutes": 61,
            "shortfallMinutes": 1,
            "missingSession": False,
            "capExceededOn": None,
            "compliant": False,
        }
    ]
    assert (peer["peerApplicantId"], peer["compliant"]) == ("alice", False)
    for token, seen in ((sam, ["alice"]), (alice, ["alice"]), (tess, [])):
        found = (await data_of(system, COMPLIANCE, {}, token=token))["supervisionCompliance"]
        assert [p["peerApplicantId"] for p in found["peers"]] == seen
    assert (await data_of(system, SESSIONS, token=tess))["supervisionSessions"]["items"] == []

    # The supervision sweep publishes the short week; applications records and mails it.
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=supervision), base_url="http://supervision"
    ) as client:
        first = await client.post("/internal/sweep", headers=bearer(staff))
        assert first.json() == {"reminders": 1}
        assert (await client.post("/internal/sweep", headers=bearer(staff))).json() == {
            "reminders": 0
        }
    assert await supervision.state.dispatcher.dispatch_once() >= 1
    async with system.services["applications"].state.sessions() as session:
        notices = (
            await session.exec(
                select(Notification).where(
                    Notification.reason == NotificationReason.SUPERVISION_REMINDER
                )
            )
        ).all()
    # The peer's notice and their supervisor's copy, both mailed through the outbox.
    assert sorted((n.recipient, n.subject, n.created_by) for n in notices) == [
        (
            "maria.lopez@example.org",
            "Supervision short for the week of March 2, 2026",
            "service:supervision",
        ),
        (
            "sup-s@example.org",
            "Supervision short for Maria Lopez, week of March 2, 2026",
            "service:supervision",
        ),
    ]
    assert all("61 were due, 1 short" in n.body for n in notices)
    async with system.services["applications"].state.sessions() as session:
        mailed = (
            await session.exec(select(OutboxEvent).where(OutboxEvent.type == NOTIFICATION_EVENT))
        ).all()
    assert sorted(e.payload["to"] for e in mailed) == [
        "maria.lopez@example.org",
        "sup-s@example.org",
    ]


def _week_short(peer: str, supervisors: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``supervision.week_short`` envelope for ``peer``, 24 minutes short."""
    return {
        "id": "0192f5e8-0000-7000-8000-000000000001",
        "type": "supervision.week_short",
        "source": "supervision",
        "aggregate_type": "supervision_peer",
        "aggregate_id": peer,
        "occurred_at": "2026-03-10T17:00:00Z",
        "payload": {
            "peer_applicant_id": peer,
            "supervisors": supervisors,
            "week_starts_on": "2026-03-02",
            "hours_worked": "8.00",
            "supervised_minutes": 0,
            "required_minutes": 24,
            "shortfall_minutes": 24,
            "missing_session": False,
            "cap_exceeded_on": None,
        },
    }


async def _deliver(system: System, mint: Any, envelope: dict[str, Any]) -> list[str]:
    """Deliver ``envelope`` to applications twice; the outcome of each."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=system.services["applications"]),
        base_url="http://applications",
    ) as client:
        token = bearer(mint("service", "supervision"))
        answers = [await client.post("/internal/events", json=envelope, headers=token)]
        answers.append(await client.post("/internal/events", json=envelope, headers=token))
    return [a.json()["outcome"] for a in answers]


async def _recipients(system: System) -> list[str]:
    async with system.services["applications"].state.sessions() as session:
        return sorted(n.recipient for n in (await session.exec(select(Notification))).all())


async def test_a_reminder_for_a_peer_without_an_application_is_dropped(
    system: System, mint: Any
) -> None:
    sam = {"supervisor_id": "sup-s", "email": "sup-s@example.org"}
    assert await _deliver(system, mint, _week_short("nobody", [sam])) == ["handled", "duplicate"]
    assert await _recipients(system) == []


async def test_a_supervisor_without_a_contact_email_is_logged_and_the_peer_mailed(
    system: System, mint: Any, caplog: pytest.LogCaptureFixture
) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sue")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    await data_of(system, SUBMIT, {"input": application_input()}, token=alice, files=uploads())
    supervisors = [
        {"supervisor_id": "sup-old", "email": None},
        {"supervisor_id": "sup-s", "email": "sup-s@example.org"},
    ]
    outcomes = await _deliver(system, mint, _week_short("alice", supervisors))
    assert outcomes == ["handled", "duplicate"]
    assert await _recipients(system) == ["maria.lopez@example.org", "sup-s@example.org"]
    # structlog hands the event to the standard library as a dict.
    events = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    unmailed = [e for e in events if e["event"].startswith("supervisor has no contact email")]
    assert [(e["level"], e["supervisor_id"]) for e in unmailed] == [("warning", "sup-old")]
