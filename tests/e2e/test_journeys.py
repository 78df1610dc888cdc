"""Whole journeys through the gateway alone, each as its users would take it, on the test clock.

Only GraphQL operations move the story on; between them the services' dispatchers hand events
over (``deliver``), as their timers would."""

from __future__ import annotations

from certboard_core.testing.plugin import Minter

from .conftest import System
from .helpers import JPEG, data_of, run_sweep, set_clock
from .journeys import (
    VERIFY,
    accept_pending_certificates,
    approve,
    certificate_row,
    live_form,
    pay,
    provider_with_program,
    request_exam,
    sit,
    status,
    submit,
    upload,
)

START = "mutation T($id: ID!, $v: Int!) { startReview(id: $id, expectedVersion: $v) { version } }"
REVISE = """
mutation R($id: ID!, $v: Int!) {
  requestRevision(id: $id, expectedVersion: $v, items: [GOVERNMENT_ID], note: "Unreadable") {
    status missing
  }
}
"""
ADD_DOCUMENT = """
mutation A($id: ID!, $file: Upload!) {
  addApplicationDocument(id: $id, kind: GOVERNMENT_ID, file: $file) { missing version }
}
"""
RESUBMIT = """
mutation B($id: ID!, $v: Int!) {
  resubmitApplication(id: $id, expectedVersion: $v) { status missing }
}
"""


async def test_ca_from_application_to_a_verified_certificate(system: System, mint: Minter) -> None:
    alice, staff, vendor = mint("applicant", "alice"), mint("staff", "sam"), mint("service", "pv")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")

    # Applied, sent back for a readable ID, completed, approved.
    application = await submit(system, alice)
    version = (await status(system, staff, application))["version"]
    started = await data_of(system, START, {"id": application, "v": version}, token=staff)
    revised = await data_of(
        system, REVISE, {"id": application, "v": started["startReview"]["version"]}, token=staff
    )
    assert revised["requestRevision"] == {"status": "INCOMPLETE", "missing": ["GOVERNMENT_ID"]}
    await set_clock(system, staff, "2026-03-16T15:00:00+00:00")
    completed = await data_of(
        system,
        ADD_DOCUMENT,
        {"id": application, "file": None},
        token=alice,
        files={"variables.file": ("id-readable.jpg", JPEG, "image/jpeg")},
    )
    # Still listed until she says she is done: staff review the request as a whole.
    assert completed["addApplicationDocument"]["missing"] == ["GOVERNMENT_ID"]
    resubmitted = await data_of(
        system,
        RESUBMIT,
        {"id": application, "v": completed["addApplicationDocument"]["version"]},
        token=alice,
    )
    assert resubmitted["resubmitApplication"] == {"status": "RESUBMITTED", "missing": []}
    await pay(system, staff, application, "APPLICATION", "2026-03-16T15:05:00Z")
    await set_clock(system, staff, "2026-03-18T16:00:00+00:00")
    await approve(system, staff, application)
    view = await status(system, alice, application)
    assert view["status"] == "APPROVED"
    # Twelve months from approval, through the day before the anniversary; requests stop 14
    # days before that.
    assert view["deadlines"]["validThrough"] == "2027-03-17"
    assert view["deadlines"]["examRequestCutoff"] == "2027-03-03"

    # The provider sends its batch; staff accept Maria's certificate.
    provider, program = await provider_with_program(system, staff, "Peer Academy")
    academy = mint("provider", "academy", provider_id=provider)
    await set_clock(system, staff, "2026-03-20T14:00:00+00:00")
    rows = [
        certificate_row("PA-100", program, "2026-02-27"),
        certificate_row(
            "PA-101",
            program,
            "2026-02-27",
            legalName="Ana Ruiz",
            email="ana@example.org",
            dateOfBirth="1985-02-01",
        ),
    ]
    await upload(system, academy, provider, rows)
    await accept_pending_certificates(system, staff, application)
    certificates = (await status(system, alice, application))["trainingCertificates"]
    assert [c["status"] for c in certificates] == ["ACCEPTED"]

    # The exam: a fee, a request, a failure; a retake fee, a request, a pass.
    form = await live_form(system, staff)
    await pay(system, staff, application, "EXAM", "2026-03-21T10:00:00Z")
    await set_clock(system, staff, "2026-03-21T18:00:00+00:00")
    first = await request_exam(system, alice, application)
    assert (first["kind"], first["status"]) == ("FIRST", "GRANTED")
    await set_clock(system, staff, "2026-04-10T18:00:00+00:00")
    failed = await sit(system, vendor, first["id"], form, 95, "2026-04-10T15:00:00Z")
    assert failed == {"correct": 95, "total": 120, "passed": False}
    exams = (await status(system, alice, application))["exams"]
    assert (exams["attemptsUsed"], exams["attemptsLeft"], exams["attemptsLimit"]) == (1, 2, 3)
    assert [a["status"] for a in exams["authorizations"]] == ["ATTEMPTED"]

    await set_clock(system, staff, "2026-04-20T18:00:00+00:00")
    await pay(system, staff, application, "RETAKE", "2026-04-20T17:00:00Z")
    retake = await request_exam(system, alice, application)
    assert retake["kind"] == "RETAKE"
    await set_clock(system, staff, "2026-05-04T18:00:00+00:00")
    passed = await sit(system, vendor, retake["id"], form, 96, "2026-05-04T15:00:00Z")
    assert passed == {"correct": 96, "total": 120, "passed": True}

    # Certified on the day of the pass, for two years; anyone can check the number.
    view = await status(system, alice, application)
    assert view["status"] == "CERTIFIED"
    assert view["exams"]["attemptsUsed"] == 2
    results = [a["result"] for a in view["exams"]["authorizations"]]
    assert results == [
        {"correct": 95, "total": 120, "passed": False},
        {"correct": 96, "total": 120, "passed": True},
    ]
    certification = view["certification"]
    assert (certification["status"], certification["issuedOn"], certification["validThrough"]) == (
        "ACTIVE",
        "2026-05-04",
        "2028-05-03",
    )
    verified = (await system.gql(VERIFY, {"number": certification["number"]})).json()
    assert verified == {
        "data": {
            "verifyCertification": {
                "holderName": "Maria Lopez",
                "status": "ACTIVE",
                "issuedOn": "2026-05-04",
                "validThrough": "2028-05-03",
            }
        }
    }
    reasons = [n["reason"] for n in view["notifications"]]
    assert {"REVISION_REQUESTED", "APPROVED", "CERTIFIED"} <= set(reasons)


async def test_one_application_falls_void_and_another_approval_expires_unused(
    system: System, mint: Minter
) -> None:
    staff, alice, bob = mint("staff", "sam"), mint("applicant", "alice"), mint("applicant", "bob")
    await set_clock(system, staff, "2026-01-15T18:00:00+00:00")
    unanswered = await submit(system, alice)
    started = await data_of(system, START, {"id": unanswered, "v": 1}, token=staff)
    await data_of(
        system, REVISE, {"id": unanswered, "v": started["startReview"]["version"]}, token=staff
    )
    unused = await submit(system, bob, email="bob@example.org", firstName="Bob")
    await pay(system, staff, unused, "APPLICATION", "2026-01-15T18:05:00Z")
    await set_clock(system, staff, "2026-01-20T17:00:00+00:00")
    await approve(system, staff, unused)
    assert (await status(system, bob, unused))["deadlines"]["validThrough"] == "2027-01-19"

    # Alice never answers: day 91 after submission (Los Angeles) the sweep writes void.
    await set_clock(system, staff, "2026-04-16T07:00:00+00:00")
    swept = await run_sweep(system, staff)
    assert swept["voided"] == 1
    void = await status(system, alice, unanswered)
    assert (void["status"], void["missing"]) == ("VOID", ["GOVERNMENT_ID"])
    assert "VOIDED" in [n["reason"] for n in void["notifications"]]
    # Void is final: she may apply again, and the new application starts its own clock.
    again = await status(system, alice, await submit(system, alice))
    assert (again["status"], again["deadlines"]["lastDayToComplete"]) == ("SUBMITTED", "2026-07-15")

    # Bob never requests the exam: valid through 2027-01-19, expired the day after.
    await set_clock(system, staff, "2027-01-20T07:59:00+00:00")  # 23:59 on the 19th in LA
    assert (await run_sweep(system, staff))["expired"] == 0
    assert (await status(system, bob, unused))["status"] == "APPROVED"
    await set_clock(system, staff, "2027-01-20T08:00:00+00:00")
    assert (await run_sweep(system, staff))["expired"] == 1
    expired = await status(system, bob, unused)
    assert expired["status"] == "EXPIRED"
    reasons = [n["reason"] for n in expired["notifications"]]
    assert {"APPROVED", "EXPIRY_REMINDER", "EXPIRED"} <= set(reasons)
    assert (await status(system, bob, await submit(system, bob, email="bob@example.org")))[
        "status"
    ] == "SUBMITTED"
