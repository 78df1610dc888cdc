"""The MT journey through the gateway alone: supervision signed before approval, a compliant
week, one attempt, and a refusal until newer training (see ``test_journeys`` for the others)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from certboard_core.testing.plugin import DatabaseFactory, Minter

from .conftest import System, running_system
from .helpers import data_of, error_of, set_clock
from .journeys import (
    COMPLIANCE,
    REPORT_HOURS,
    accept_pending_certificates,
    approve,
    certificate_row,
    live_form,
    log_session,
    pay,
    provider_with_program,
    qualified_supervisor,
    request_exam,
    signed_agreement,
    signed_off_session,
    sit,
    status,
    submit,
    upload,
)

CHECK = """
mutation C($id: ID!, $v: Int!) {
  recordBackgroundCheck(id: $id, expectedVersion: $v, result: PASSED, note: "cleared") { version }
}
"""
TO_SIGN = """
{ supervisionSessions(awaitingSignOff: true) { items { heldOn locked } } }
"""
MY_SESSIONS = """
{ me { applications { supervisionAgreements { status sessions { heldOn locked } } } } }
"""
REQUEST_EXAM = """
mutation R($id: ID!) {
  requestExam(input: {applicationId: $id, language: ENGLISH, deliveryMode: ONLINE_PROCTORED}) {
    id kind
  }
}
"""


@pytest.fixture
async def montana(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path: Path
) -> AsyncIterator[System]:
    """The system with every service on Montana's rules."""
    mt = {"policy_preset": "MT"}
    overrides = {"applications": mt, "exams": mt, "supervision": mt}
    async with running_system(
        database_factory, dev_data_dir, tmp_path / "documents", overrides
    ) as made:
        yield made


async def test_mt_with_supervision_one_attempt_and_a_newer_training(
    montana: System, mint: Minter
) -> None:
    system = montana
    alice, staff, vendor = mint("applicant", "alice"), mint("staff", "sue"), mint("service", "pv")
    sam = mint("supervisor", "dr-sam")
    await set_clock(system, staff, "2026-03-02T17:00:00+00:00")
    supervisor = await qualified_supervisor(system, sam, staff)

    # Applied with the recovery attestations; the background check clears; the agreement is
    # signed by both before staff approve (approval asks supervision).
    application = await submit(
        system, alice, recoveryTwoYearsAttested=True, diagnosisTreatmentAttested=True
    )
    version = (await status(system, staff, application))["version"]
    await data_of(system, CHECK, {"id": application, "v": version}, token=staff)
    await pay(system, staff, application, "APPLICATION", "2026-03-02T17:05:00Z")
    agreement = await signed_agreement(system, alice, sam, supervisor, "2026-03-02")
    await approve(system, staff, application)

    # A week of work with its supervision: 20 hours need 60 minutes (1:20), and got them.
    await set_clock(system, staff, "2026-03-09T17:00:00+00:00")
    hours = {"a": agreement, "from": "2026-03-02", "hours": "20"}
    await data_of(system, REPORT_HOURS, hours, token=alice)
    await signed_off_session(system, alice, sam, agreement, "2026-03-05")
    week = {"from": "2026-03-02", "to": "2026-03-08"}
    for reader in (alice, sam, staff):
        report = (await data_of(system, COMPLIANCE, week, token=reader))["supervisionCompliance"]
        assert report["peers"] == [
            {
                "peerApplicantId": "alice",
                "compliant": True,
                "weeks": [
                    {
                        "weekStartsOn": "2026-03-02",
                        "supervisedMinutes": 60,
                        "requiredMinutes": 60,
                        "shortfallMinutes": 0,
                        "compliant": True,
                    }
                ],
            }
        ]

    # Another session logged, not yet signed: the supervisor's to sign, and the peer sees both
    # under her agreement; only the signed one counts.
    await log_session(system, alice, agreement, "2026-03-06")
    waiting = (await data_of(system, TO_SIGN, token=sam))["supervisionSessions"]["items"]
    assert waiting == [{"heldOn": "2026-03-06", "locked": False}]
    (view,) = (await data_of(system, MY_SESSIONS, token=alice))["me"]["applications"]
    assert view["supervisionAgreements"] == [
        {
            "status": "ACTIVE",
            "sessions": [
                {"heldOn": "2026-03-05", "locked": True},
                {"heldOn": "2026-03-06", "locked": False},
            ],
        }
    ]

    # Training, the fee, one attempt, failed.
    provider, program = await provider_with_program(system, staff, "Montana Peer Network")
    network = mint("provider", "network", provider_id=provider)
    await upload(system, network, provider, [certificate_row("MPN-1", program, "2026-02-20")])
    await accept_pending_certificates(system, staff, application)
    form = await live_form(system, staff)
    await pay(system, staff, application, "EXAM", "2026-03-09T17:10:00Z")
    first = await request_exam(system, alice, application)
    await set_clock(system, staff, "2026-03-20T20:00:00+00:00")
    failed = await sit(system, vendor, first["id"], form, 90, "2026-03-20T16:00:00Z")
    assert failed["passed"] is False
    exams = (await status(system, alice, application))["exams"]
    assert (exams["attemptsUsed"], exams["attemptsLeft"], exams["attemptsLimit"]) == (1, 0, 1)

    # Under MT a new attempt needs training completed after the failure.
    await pay(system, staff, application, "RETAKE", "2026-03-21T17:00:00Z")
    refused = await error_of(system, REQUEST_EXAM, {"id": application}, token=alice)
    assert refused["code"] == "EXAM_NOT_ELIGIBLE"
    reasons = [r["code"] for r in refused["reasons"]]
    assert reasons == ["ATTEMPTS_EXHAUSTED", "NEW_TRAINING_REQUIRED"]
    await set_clock(system, staff, "2026-04-02T17:00:00+00:00")
    newer = [certificate_row("MPN-2", program, "2026-04-01")]
    await upload(system, network, provider, newer)
    await accept_pending_certificates(system, staff, application)
    exams = (await status(system, alice, application))["exams"]
    assert (exams["attemptsUsed"], exams["attemptsLeft"]) == (0, 1)
    retake = await data_of(system, REQUEST_EXAM, {"id": application}, token=alice)
    assert retake["requestExam"]["kind"] == "RETAKE"
